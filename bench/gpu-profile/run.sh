#!/usr/bin/env bash
# On the lent GPU machine (which has CUDA's nvcc and ncu): builds kmeans_profile from the
# kernels with the OpenCL build's -D options, times it, then profiles the second launch of each
# kernel (labels already set, as in a settled pass) with Nsight Compute. Results under $OUT
# (else bench/target/gpu-profile).
#   run(command="bench/gpu-profile/run.sh", ...)     NCU=0 skips the profile; N rows (10M)
set -uo pipefail
# Checked before anything is built or run: N=0 or N=x reached the profiler as a row count, and
# NCU=yes was taken for 0.
N=${N:-10000000}
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "gpu-profile: N must be a positive whole number, not '$N'" >&2; exit 2; }
NCU=${NCU:-1}
[[ "$NCU" =~ ^[01]$ ]] || { echo "gpu-profile: NCU must be 0 or 1, not '$NCU'" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out=${OUT:-$here/../target/gpu-profile}
mkdir -p "$out"
export PATH=/usr/local/cuda/bin:$PATH
defs=${DEFS:-"-DDIM=32 -DHAVE_FP64 -DKG_C=16 -DKG_FUSED=0 -DKG_GROUPS=4 -DKG_P=4 -DWG_SIZE=128 -DKA_UNROLL=4 -DKA_WG=256"}
"$here/cl2cuda.sh" "$here/../../kernels/kmeans_gemm.cl" > "$out/gen.cuh"
nvcc -O3 -arch=sm_90 -I"$here" -I"$out" $defs -Xptxas -v -lineinfo -o "$out/kmeans_profile" "$here/kmeans_profile.cu" \
  2> "$out/nvcc.txt" || { tail -30 "$out/nvcc.txt"; exit 1; }
grep -E "Compiling entry|Used|spill" "$out/nvcc.txt" | grep -B2 -A0 "Used" | head -20
"$out/kmeans_profile" "$N" 20
"$out/kmeans_profile" "$N" 20
if [ "$NCU" = 1 ]; then
  # Launches 3 and 4 (the timed pass), not the warm-up's, in which every label changes.
  ncu --set full --import-source yes -k regex:'assign_wrap|acc_wrap' --launch-skip 2 -c 2 -o "$out/profile" \
    "$out/kmeans_profile" "$N" 1 > "$out/ncu-run.txt" 2>&1
  ncu --import "$out/profile.ncu-rep" --print-summary none > "$out/ncu.txt" 2>&1
  ncu --import "$out/profile.ncu-rep" --page source --csv --print-source sass > "$out/source.csv" 2>&1 || true
  grep -E "Duration|Throughput|Registers|Achieved Occupancy|Theoretical Occupancy|Block Limit|Warp Cycles Per Issued|Issue Slots|Eligible|Bank" "$out/ncu.txt"
fi
