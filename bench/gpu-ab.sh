#!/usr/bin/env bash
# Alternating runs of two builds on the lent GPU machine: the kit's jar (.devkit/app.jar, this
# checkout) and BASE, a jar built from another commit and copied into the kit, on the same
# workload and overrides, ROUNDS rounds (each build first in every other round), so that the
# machine's drift between runs falls on both builds alike. Prepare .devkit as for bench/gpu-run.sh, then, e.g.
#   git worktree add /tmp/base <commit> && (cd /tmp/base && mvn -q -DskipTests package) \
#     && cp /tmp/base/target/clmix-all.jar .devkit/base.jar              # here
#   run(command="BASE=.devkit/base.jar bench/gpu-ab.sh", carry=[".devkit"])   # there
# CONFIGS: space-separated -Dclmix.opencl.config overrides, each alternated (default: the
# defaults). WORKLOAD: the bench's options (default K-means n=10M d=32 k=64, 20 iterations,
# 2 repeats). ROUNDS (default 3). KTIMES=1 adds each run's device time per kernel. DEVICES
# (default gpus) for a dry run on PoCL with KIT a script that runs the jar as .devkit/run does. Prints one
# line per run: round, build, override, and the bench's table row.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Checked before anything runs (the kit, the GPU): ROUNDS=0 ran no round and ROUNDS=x printed
# only seq's complaint, both with status 0, and KTIMES=yes was taken for 0.
ROUNDS=${ROUNDS:-3}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "gpu-ab: ROUNDS must be a positive whole number, not '$ROUNDS'" >&2; exit 2; }
KTIMES=${KTIMES:-0}
[[ "$KTIMES" =~ ^[01]$ ]] || { echo "gpu-ab: KTIMES must be 0 or 1, not '$KTIMES'" >&2; exit 2; }
kit=${KIT:-.devkit/run}
base=${BASE:?"BASE: the other build's jar, inside the kit (e.g. .devkit/base.jar)"}
[ -x "$kit" ] || { echo "gpu-ab: $kit missing; prepare it with ../shared/tools/device-kit" >&2; exit 2; }
[ -f "$base" ] || { echo "gpu-ab: $base missing" >&2; exit 2; }
# Signal chaining: the OpenCL driver must not replace the JVM's SIGSEGV handler (see ./clmix).
jsig="$(dirname "$kit")/jre/lib/libjsig.so"
[ -f "$jsig" ] && export LD_PRELOAD="$(cd "$(dirname "$jsig")" && pwd)/libjsig.so${LD_PRELOAD:+:$LD_PRELOAD}"
# The kit's launcher, running BASE instead of its own jar: the line device-kit writes,
# exec ... -jar "$here/app.jar", with BASE's path (a KIT for a dry run must contain it too).
other="$(dirname "$kit")/run-base"
abs="$(cd "$(dirname "$base")" && pwd)/$(basename "$base")"
sed "s|\"\$here/app.jar\"|\"$abs\"|" "$kit" > "$other" && chmod +x "$other"
grep -q "$abs" "$other" || { echo "gpu-ab: could not point $other at $abs" >&2; exit 2; }
out=${OUT:-bench/target/gpu-ab}
mkdir -p "$out"
workload=${WORKLOAD:---algo kmeans --n 10000000 --d 32 -k 64 --iters 20 --repeats 2}
opts="--add-modules jdk.incubator.vector -XX:+UseParallelGC -Dclmix.opencl.tuning=off ${EXTRA_OPTS:-}"
[ "$KTIMES" = 1 ] && opts="$opts -Dclmix.opencl.kernelTimes=true"
read -r -a configs <<< "${CONFIGS:-}"
[ ${#configs[@]} -eq 0 ] && configs=("")
i=0
for r in $(seq 1 "$ROUNDS"); do
  # Each build goes first in every other round: a steady drift of the machine would otherwise
  # favour the build that always runs second.
  order="new base"
  [ $((r % 2)) = 0 ] && order="base new"
  for cfg in "${configs[@]}"; do
    for build in $order; do
      i=$((i + 1))
      launcher=$kit
      [ $build = base ] && launcher=$other
      # shellcheck disable=SC2086
      row=$(JAVA_OPTS="$opts -Dclmix.opencl.config=$cfg" timeout 60 "$launcher" bench --quiet --devices ${DEVICES:-gpus} \
        $workload --json "$out/ab-$i.json" 2>"$out/ab-$i.err" | grep -E '^opencl' | head -1)
      echo "$r $build [$cfg] ${row:-failed or timed out}"
      if [ "$KTIMES" = 1 ]; then
        grep -E '^  (km_|reduce_|gmm_)' "$out/ab-$i.err" || true
      fi
    done
  done
done
exit 0
