#!/usr/bin/env bash
# A short tuning sweep of the OpenCL Lloyd and mixture kernels on the lent GPU machine: the
# issue's GPU workloads under several -Dclmix.opencl.config overrides (KernelConfig.withOverrides),
# one bench run each, GPU only. Prepare .devkit as for bench/gpu-run.sh, then
#   run(command="bench/gpu-tune.sh", carry=[".devkit"])
# Prints one line per configuration: the override and the bench's table row; every bench's JSON
# lands in $OUT/tune (or bench/target/gpu-tune). DIV=100 divides n for a dry run without a GPU.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${OUT:-bench/target/gpu-tune}
mkdir -p "$out"
kit=${KIT:-.devkit/run}
[ -x "$kit" ] || { echo "gpu-tune: $kit missing; prepare it with ../shared/tools/device-kit" >&2; exit 2; }
# Signal chaining: the OpenCL driver must not replace the JVM's SIGSEGV handler (see ./clmix).
jsig="$(dirname "$kit")/jre/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$(cd "$(dirname "$jsig")" && pwd)/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
div=${DIV:-1}
base="--add-modules jdk.incubator.vector -XX:+UseParallelGC"
i=0
sweep() {  # ALGO_OPTIONS... -- CONFIGS...
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  for cfg in "$@"; do
    i=$((i + 1))
    local row
    row=$(JAVA_OPTS="$base -Dclmix.opencl.config=$cfg" timeout 40 "$kit" bench --quiet --devices gpus \
      --json "$out/tune-$i.json" "${opts[@]}" 2>/dev/null | grep -E '^opencl' | head -1)
    echo "$i ${opts[1]} [$cfg] ${row:-failed or timed out}"
  done
}
# K-means n=10M d=32 k=64: the register-tiled kernel's shape, then the pruned scan kernel.
sweep --algo kmeans --n $((10000000 / div)) --d 32 -k 64 --iters 20 --repeats 2 -- \
  "kg=4" "kg=4,tiles=1" "kg=4,tiles=2" "kg=4,tiles=4" "kg=4,tiles=16" \
  "kg=4,wg=256" "kg=4,wg=64" "kg=2" "kg=8" "kg=4,cv=4" "kg=4,cv=1" "kg=4,ppi=2" "kg=8,cv=1" \
  "kg=0,ppi=1,prune=true,wg=128" "kg=0,ppi=1,prune=false,wg=128"
# GMM full n=10M d=32 k=64: points per work-item in the E phase, statistics block.
sweep --algo gmm --covariance full --n $((10000000 / div)) --d 32 -k 64 --iters 5 --repeats 2 -- \
  "gmmVecs=2" "gmmVecs=1" "gmmVecs=4" "gmmBlock=2" "wg=256" "wg=64"
