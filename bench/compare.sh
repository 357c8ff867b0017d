#!/usr/bin/env bash
# clmix (Java engine and PoCL) against scikit-learn and Smile, side by side, on the issue's CPU
# workloads: the same generated data, the same start, the same number of iterations.
#
#   bench/compare.sh                 # full sizes: K-means n=500k d=32 k=64; GMM full n=100k d=16 k=16;
#                                    # GMM diag n=200k d=32 k=32
#   QUICK=1 bench/compare.sh         # a tenth of the rows, for a quick look
#
#   ROUNDS=3 bench/compare.sh        # three rounds, each implementation's runs taking turns with the
#                                    # others': the table gives the median over rounds of each
#                                    # speed-up, taken within its round (this VM's speed changes from
#                                    # one minute to the next, and a ratio of runs minutes apart
#                                    # measures that as much as the code)
#
# Environment: KM_N KM_D KM_K, GF_N GF_D GF_K, GD_N GD_D GD_K (sizes); ITERS (20); REPEATS (3); ROUNDS (1);
# WARMUP (10: seconds of untimed runs before clmix's and Smile's timed ones, which run on the JIT;
# scikit-learn's compiled code gets one warm-up run);
# SMILE_REPEATS (REPEATS); DEVICES (java,opencl:0:0); SMILE=0 skips Smile; SKLEARN_1T=0 skips
# scikit-learn limited to one thread (the table compares with the faster of the two); PYTHON (/tmp/v/bin/python,
# then python3, with scikit-learn); OUT_DIR (bench/target/compare-DATE). Every file lands in OUT_DIR:
# the start (.start.json), each implementation's JSON, W.probe.txt (the machine's SGEMM rate measured
# just before each implementation ran: this VM's two vCPUs sometimes share one core's FMA units and
# run everything at half speed), and table.md, which is printed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Checked before anything runs: QUICK=yes, SMILE=no or SKLEARN_1T=false were taken for 0
# without a word, and a size or count the CLI refuses stopped the comparison only when its
# workload came up, after the others had run.
for v in QUICK SMILE SKLEARN_1T; do
  [[ "${!v:-}" =~ ^[01]?$ ]] || { echo "compare: $v must be 0 or 1, not '${!v}'" >&2; exit 2; }
done
div=1
[ "${QUICK:-0}" = 1 ] && div=10
KM_N=${KM_N:-$((500000 / div))}; KM_D=${KM_D:-32}; KM_K=${KM_K:-64}
GF_N=${GF_N:-$((100000 / div))}; GF_D=${GF_D:-16}; GF_K=${GF_K:-16}
GD_N=${GD_N:-$((200000 / div))}; GD_D=${GD_D:-32}; GD_K=${GD_K:-32}
ITERS=${ITERS:-20}; REPEATS=${REPEATS:-3}; SMILE_REPEATS=${SMILE_REPEATS:-$REPEATS}; ROUNDS=${ROUNDS:-1}
for v in KM_N KM_D KM_K GF_N GF_D GF_K GD_N GD_D GD_K ITERS REPEATS SMILE_REPEATS ROUNDS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "compare: $v must be a positive whole number, not '${!v}'" >&2; exit 2; }
done
WARMUP=${WARMUP:-10}
[[ "$WARMUP" =~ ^[0-9]+$ && "$WARMUP" -le 600 ]] || { echo "compare: WARMUP must be whole seconds from 0 to 600, not '$WARMUP'" >&2; exit 2; }
DEVICES=${DEVICES:-java,opencl:0:0}
out=${OUT_DIR:-$root/bench/target/compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

py=${PYTHON:-}
if [ -z "$py" ]; then
  if [ -x /tmp/v/bin/python ]; then py=/tmp/v/bin/python; else py=python3; fi
fi
"$py" -c 'import sklearn' 2>/dev/null || { echo "compare: $py has no scikit-learn; set PYTHON" >&2; exit 2; }

jar=$root/bench/target/benchmarks.jar
if [ "${SMILE:-1}" = 1 ] && [ ! -f "$jar" ]; then
  "$root/bench/build.sh"
fi

probe() {  # W NAME: the machine's SGEMM rate now, beside NAME's figures (see peers/sgemm_probe.py)
  echo "$2 $("$py" "$root/bench/peers/sgemm_probe.py")" >> "$out/$1.probe.txt"
}

run() {  # name algo covariance n d k [round]: files W.*, or W.rR.* for round R of several
  local w=$1 algo=$2 cov=$3 n=$4 d=$5 k=$6
  [ -n "${7:-}" ] && w="$w.r$7"
  rm -f "$out/$w.probe.txt"
  echo "compare: $w: clmix ($DEVICES)" >&2
  probe "$w" clmix
  # --covariance is for mixtures only: clmix bench refuses it with --algo kmeans.
  local cov_opt=()
  [ "$algo" = gmm ] && cov_opt=(--covariance "$cov")
  "$root/clmix" bench --algo "$algo" ${cov_opt[@]+"${cov_opt[@]}"} --n "$n" --d "$d" -k "$k" --iters "$ITERS" \
    --repeats "$REPEATS" --warmup "$WARMUP" --devices "$DEVICES" --quiet --json "$out/$w.clmix.json" --csv "$out/$w.clmix.csv" \
    --save-data "$out/$w.npy" --save-start "$out/$w.start.json" > "$out/$w.clmix.txt"
  echo "compare: $w: scikit-learn" >&2
  probe "$w" sklearn
  "$py" "$root/bench/peers/sklearn_bench.py" --data "$out/$w.npy" --start "$out/$w.start.json" \
    --repeats "$REPEATS" --json "$out/$w.sklearn.json"
  if [ "${SKLEARN_1T:-1}" = 1 ]; then
    # One thread too: on a busy machine OpenBLAS's spinning threads can be far slower than one.
    probe "$w" sklearn-1t
    "$py" "$root/bench/peers/sklearn_bench.py" --data "$out/$w.npy" --start "$out/$w.start.json" \
      --repeats "$REPEATS" --threads 1 --json "$out/$w.sklearn-1t.json"
  fi
  if [ "${SMILE:-1}" = 1 ]; then
    echo "compare: $w: Smile" >&2
    probe "$w" smile
    java -cp "$jar" io.clmix.benchmarks.peers.SmileBench --data "$out/$w.npy" --start "$out/$w.start.json" \
      --repeats "$SMILE_REPEATS" --warmup "$WARMUP" --json "$out/$w.smile.json"
  fi
  rm -f "$out/$w.npy"  # the data can be regenerated from the seed; keep the directory small
}

load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
for ((r = 1; r <= ROUNDS; r++)); do
  round=""
  if [ "$ROUNDS" -gt 1 ]; then
    round=$r
    echo "compare: round $r of $ROUNDS" >&2
  fi
  run kmeans kmeans - "$KM_N" "$KM_D" "$KM_K" $round
  run gmm-full gmm full "$GF_N" "$GF_D" "$GF_K" $round
  run gmm-diag gmm diag "$GD_N" "$GD_D" "$GD_K" $round
done
load_after=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')

{
  echo "bench/compare.sh, $(date -u +%Y-%m-%dT%H:%MZ); ITERS=$ITERS REPEATS=$REPEATS SMILE_REPEATS=$SMILE_REPEATS ROUNDS=$ROUNDS DEVICES=$DEVICES"
  echo "host: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; load average $load_before before, $load_after after"
  echo
  "$py" "$root/bench/peers/compare_table.py" "$out" kmeans gmm-full gmm-diag
} | tee "$out/table.md"
echo "compare: files in $out" >&2
