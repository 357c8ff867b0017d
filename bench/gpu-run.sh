#!/usr/bin/env bash
# The GPU benchmark, for the lent GPU machine: the issue's GPU workloads (K-means n=10M d=32 k=64;
# Gaussian mixture, full covariances, n=10M d=32 k=64, E- and M-step) after smaller sanity sizes
# that also run the Java engine, so every device's objective is checked against it. About 8
# minutes at most: every step has its own time limit, so one hang cannot eat the others.
#
# Prepare on the development machine, then run through the device tool (the lead does this):
#   mvn -q -DskipTests package && KIT_MODULES=jdk.management ../shared/tools/device-kit   # -> .devkit/
#   (jdk.management lets the report show CPU/wall; without it that column says n/a)
#   run(command="bench/gpu-run.sh", carry=[".devkit"])
# Results land in $OUT (the device tool's folder that comes back), else bench/target/gpu:
# one STEP.json, STEP.csv and STEP.txt per step, all.csv (every row), devices.json, nvidia-smi.txt.
# Steps: sanity-kmeans, sanity-gmm-full, sanity-gmm-diag (all devices, Java included),
# kmeans-10m (all devices: the Java engine takes about a minute), gmm-full-10m (GPUs only: the
# Java engine would need several minutes per iteration).
# DIV=100 divides every n, for a dry run of the script on a machine without a GPU.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Checked before anything runs (the kit, the GPU): DIV=0 or DIV=x failed inside every step's
# arithmetic and ran the steps with no row count, with status 0.
div=${DIV:-1}
[[ "$div" =~ ^[1-9][0-9]*$ ]] || { echo "gpu-run: DIV must be a positive whole number, not '$div'" >&2; exit 2; }
out=${OUT:-bench/target/gpu}
mkdir -p "$out"
kit=${KIT:-.devkit/run}
[ -x "$kit" ] || { echo "gpu-run: $kit missing; prepare it with ../shared/tools/device-kit" >&2; exit 2; }
# Signal chaining: the OpenCL driver must not replace the JVM's SIGSEGV handler (see ./clmix).
jsig="$(dirname "$kit")/jre/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$(cd "$(dirname "$jsig")" && pwd)/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
# The Java engine uses the Vector API, an incubator module that must be named at startup.
export JAVA_OPTS="--add-modules jdk.incubator.vector -XX:+UseParallelGC ${JAVA_OPTS:-}"

(nvidia-smi --query-gpu=name,memory.total,clocks.max.sm,clocks.max.mem,driver_version --format=csv 2>&1 || true) \
  > "$out/nvidia-smi.txt"
timeout 60 "$kit" devices --json > "$out/devices.json" 2> "$out/devices.err"
cat "$out/devices.json"

n() { echo $(( $1 / div )); }
started=$(date +%s)
# Each step's limit allows for bench's warm-up, 10 s per device (--warmup).
step() {  # STEP LIMIT_SECONDS bench-options...
  local name=$1 limit=$2
  shift 2
  echo "gpu-run: $name (limit ${limit}s, $(( $(date +%s) - started ))s elapsed)" >&2
  timeout "$limit" "$kit" bench --quiet --json "$out/$name.json" --csv "$out/$name.csv" "$@" \
    > "$out/$name.txt" 2> "$out/$name.err"
  local rc=$?
  [ $rc -eq 124 ] && echo "gpu-run: $name stopped at its ${limit}s limit" | tee -a "$out/$name.err" >&2
  cat "$out/$name.txt"
  grep -v 'incubator' "$out/$name.err" | tail -3 >&2
}

step sanity-kmeans    90 --algo kmeans --n $(n 1000000) --d 32 -k 64 --iters 10 --repeats 2 --devices all
step sanity-gmm-full 105 --algo gmm --covariance full --n $(n 200000) --d 32 -k 64 --iters 5 --repeats 2 --devices all
step sanity-gmm-diag  90 --algo gmm --covariance diag --n $(n 1000000) --d 32 -k 64 --iters 5 --repeats 2 --devices all
step kmeans-10m      180 --algo kmeans --n $(n 10000000) --d 32 -k 64 --iters 20 --repeats 2 --devices all
step gmm-full-10m    180 --algo gmm --covariance full --n $(n 10000000) --d 32 -k 64 --iters 10 --repeats 2 --devices gpus

# One CSV of every row (each file has the same header).
first=1
for f in sanity-kmeans sanity-gmm-full sanity-gmm-diag kmeans-10m gmm-full-10m; do
  [ -s "$out/$f.csv" ] || continue
  if [ $first = 1 ]; then cat "$out/$f.csv"; first=0; else tail -n +2 "$out/$f.csv"; fi
done > "$out/all.csv"
echo "gpu-run: done in $(( $(date +%s) - started ))s; files in $out" >&2
