#!/usr/bin/env bash
# A short tuning sweep of the OpenCL Lloyd and mixture kernels on the lent GPU machine: the
# issue's GPU workloads under several -Dclmix.opencl.config overrides (KernelConfig.withOverrides),
# one bench run each, GPU only. Prepare .devkit as for bench/gpu-run.sh, then
#   run(command="bench/gpu-tune.sh", carry=[".devkit"])
# Prints one line per configuration: the override and the bench's table row; every bench's JSON
# lands in $OUT/tune (or bench/target/gpu-tune). DIV=100 divides n for a dry run without a GPU.
# SWEEPS picks sweeps (default "kmeans kacc gmm"; kacc: the split Lloyd accumulation against the
# fused kernel, KernelConfig.kmAccSplit; prune: the pruned form of the register-tiled kernel; tune: `clmix tune --dry-run`, the built-in autotuning). KTIMES=1 adds each run's device time per kernel
# (-Dclmix.opencl.kernelTimes=true: launches then wait for each other, so read the kernel times,
# not s/iter). For a dry run on a machine without a GPU: DEVICES=opencl:0:0 (default gpus),
# PREFIX=wg=128,ppi=4,cv=2,tiles=8,kg=4,prune=false,kacc=split,gmmLanes=1, (put before every configuration:
# the GPU defaults, which a CPU device does not get) and KIT=a script that runs the jar as
# .devkit/run does.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Checked before anything runs (the kit, the GPU): DIV=0 or DIV=x failed in the arithmetic,
# KTIMES=yes was taken for 0, a SCALE that clmix tune refuses only failed after the other sweeps,
# and a name in SWEEPS that is no sweep ran nothing without a word.
div=${DIV:-1}
[[ "$div" =~ ^[1-9][0-9]*$ ]] || { echo "gpu-tune: DIV must be a positive whole number, not '$div'" >&2; exit 2; }
KTIMES=${KTIMES:-0}
[[ "$KTIMES" =~ ^[01]$ ]] || { echo "gpu-tune: KTIMES must be 0 or 1, not '$KTIMES'" >&2; exit 2; }
SCALE=${SCALE:-1}
[[ "$SCALE" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$ && "${SCALE%%[eE]*}" =~ [1-9] ]] \
  || { echo "gpu-tune: SCALE must be a number above 0, not '$SCALE'" >&2; exit 2; }
sweeps=" ${SWEEPS:-kmeans kacc gmm} "
for s in $sweeps; do
  case " kmeans kacc prune gmm tune " in
    *" $s "*) ;;
    *) echo "gpu-tune: SWEEPS: no sweep '$s'; expected some of: kmeans kacc prune gmm tune" >&2; exit 2 ;;
  esac
done
out=${OUT:-bench/target/gpu-tune}
mkdir -p "$out"
kit=${KIT:-.devkit/run}
[ -x "$kit" ] || { echo "gpu-tune: $kit missing; prepare it with ../shared/tools/device-kit" >&2; exit 2; }
# Signal chaining: the OpenCL driver must not replace the JVM's SIGSEGV handler (see ./clmix).
jsig="$(dirname "$kit")/jre/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$(cd "$(dirname "$jsig")" && pwd)/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
devices=${DEVICES:-gpus}
prefix=${PREFIX:-}
# Tunings off: each sweep's overrides apply to the defaults, not to whatever clmix tune kept there.
base="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Dclmix.opencl.tuning=off"
[ "$KTIMES" = 1 ] && base="$base -Dclmix.opencl.kernelTimes=true"
i=0
sweep() {  # ALGO_OPTIONS... -- CONFIGS...
  local opts=()
  while [ "$1" != "--" ]; do opts+=("$1"); shift; done
  shift
  for cfg in "$@"; do
    i=$((i + 1))
    local row
    row=$(JAVA_OPTS="$base -Dclmix.opencl.config=$prefix$cfg" timeout 40 "$kit" bench --quiet --devices "$devices" \
      --json "$out/tune-$i.json" "${opts[@]}" 2>"$out/tune-$i.err" | grep -E '^opencl' | head -1)
    echo "$i ${opts[1]} [$cfg] ${row:-failed or timed out}"
    # Kernel times (KTIMES=1) go to stderr when the JVM exits: one line per kernel.
    [ "$KTIMES" = 1 ] && grep -E '^  (km_|reduce_|gmm_)' "$out/tune-$i.err"
  done
}
kmeans="--algo kmeans --n $((10000000 / div)) --d 32 -k 64 --iters 20 --repeats 2"
# K-means n=10M d=32 k=64: the register-tiled kernel's shape (with the default, split
# accumulation; wg=256 fits no register-tiled plan in 48 KB and runs the scan kernel), then the
# pruned and unpruned scan kernels.
case $sweeps in *" kmeans "*) sweep $kmeans -- \
  "kg=4" "kg=4,tiles=1" "kg=4,tiles=2" "kg=4,tiles=4" "kg=4,tiles=16" \
  "kg=4,wg=256" "kg=4,wg=64" "kg=2" "kg=8" "kg=4,cv=4" "kg=4,cv=1" "kg=4,ppi=2" "kg=8,cv=1" \
  "kg=0,ppi=1,prune=true,wg=128" "kg=0,ppi=1,prune=false,wg=128" ;; esac
# The same K-means under both accumulations (KernelConfig.kmAccSplit: km_accumulate after
# km_assign_gemm, the default, against step 5 inside the fused kernel), km_accumulate's rows
# loaded per batch (kaccUnroll), and rows per group; the default first and last, to see drift.
case $sweeps in *" kacc "*) sweep $kmeans -- \
  "kacc=split" "kacc=fused" "kacc=split,kaccUnroll=1" "kacc=split,kaccUnroll=2" "kacc=split,kaccUnroll=8" \
  "kacc=split,tiles=4" "kacc=fused,tiles=4" "kacc=split,tiles=16" "kacc=split" ;; esac
# The register-tiled Lloyd kernel's pruned form (KernelConfig.pruning: Hamerly's bounds, KG_PRUNE)
# against the unpruned one, with either accumulation; the default first and last, to see drift.
case $sweeps in *" prune "*) sweep $kmeans -- \
  "prune=false" "prune=true" "kacc=fused" "kacc=fused,prune=true" "prune=true,tiles=4" "prune=true,tiles=16" \
  "prune=false" "prune=true" ;; esac
# GMM full n=10M d=32 k=64: points per work-item in the E phase, statistics block.
case $sweeps in *" gmm "*) sweep --algo gmm --covariance full --n $((10000000 / div)) --d 32 -k 64 --iters 5 \
  --repeats 2 -- "gmmVecs=2" "gmmVecs=1" "gmmVecs=4" "gmmBlock=2" "wg=256" "wg=64" ;; esac
# clmix tune, the built-in short autotuning step, as a dry run (nothing is kept on the lent
# machine): its sweeps, its confirmation and the tuning it would keep, as JSON in $out/tune.json.
# SCALE multiplies its workloads' rows (2M and 1M rows on a GPU; DIV does not apply).
case $sweeps in *" tune "*)
  JAVA_OPTS="$base" timeout 300 "$kit" tune --quiet --dry-run --json --device "${TUNE_DEVICE:-all}" \
    --scale "$SCALE" > "$out/tune.json" 2> "$out/tune.err"
  tune_rc=$?
  echo "tune: rc $tune_rc ($out/tune.json)"; cat "$out/tune.json"
  { grep -v incubator "$out/tune.err" || true; } | tail -3 ;; esac
# The script's status: tune's, when it ran (a failed sweep row is in its table, not the status).
# It used to be whatever the last grep returned: 1 when tune printed nothing on stderr.
exit "${tune_rc:-0}"
