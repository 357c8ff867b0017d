#!/usr/bin/env bash
# Whole fits as a user runs them from the command line, each in a fresh process: `clmix fit` on
# the Java engine and on PoCL against scikit-learn's fit with the same defaults. Unlike
# bench/compare.sh (steady-state seconds per iteration after a warm-up), these times include
# everything a short fit pays: seeding, the K-means start of a mixture, convergence, and on the
# Java engine the JIT compiling its vector kernels.
#
#   bench/short-fits.sh            # the README's two fits (100k x 8, k = 5) and a 32-blob diag mixture
#
# Environment: ROUNDS (5; the implementations alternate within a round), DEVICES (java,opencl:0:0),
# CLMIX (the command that runs clmix: ./clmix, or for instance "java --add-modules
# jdk.incubator.vector -XX:+UseParallelGC -jar OTHER.jar" to time another build), CASES (all;
# or a space-separated list of case names),
# PYTHON (/tmp/v/bin/python, then python3, with scikit-learn), OUT_DIR (bench/target/short-DATE).
# Prints a Markdown table: per fit and implementation the median over the rounds of the fit's own
# seconds (clmix's JSON `seconds`; scikit-learn's fit call) and of the whole process (JVM or
# Python start, reading the file, the fit), with the best run's iterations and the objective of
# the last round.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "short-fits: ROUNDS must be a positive whole number, not '$ROUNDS'" >&2; exit 2; }
if [ -n "${CLMIX:-}" ]; then read -r -a clmix <<< "$CLMIX"; else clmix=("$root/clmix"); fi
DEVICES=${DEVICES:-java,opencl:0:0}
out=${OUT_DIR:-$root/bench/target/short-$(date +%Y%m%d-%H%M%S)}
py=${PYTHON:-}
if [ -z "$py" ]; then
  if [ -x /tmp/v/bin/python ]; then py=/tmp/v/bin/python; else py=python3; fi
fi
"$py" -c 'import sklearn' 2>/dev/null || { echo "short-fits: $py has no scikit-learn; set PYTHON" >&2; exit 2; }

# name | data (n d blobs seed) | fit options, the same for clmix and scikit-learn
cases=(
  "kmeans-k5-ninit4|100000 8 5 0|--algo kmeans -k 5 --n-init 4"
  "gmm-full-k5|100000 8 5 0|--algo gmm -k 5 --covariance full"
  "gmm-diag-k32|100000 8 32 3|--algo gmm -k 32 --covariance diag"
)
# A name in CASES that is no case would be skipped without a word, leaving an empty table.
names=()
for c in "${cases[@]}"; do names+=("${c%%|*}"); done
read -r -a wanted <<< "${CASES:-}"
for want in ${wanted[@]+"${wanted[@]}"}; do
  case " ${names[*]} " in
    *" $want "*) ;;
    *) echo "short-fits: CASES: no case '$want'; expected some of: ${names[*]}" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"

results=$out/results.tsv
: > "$results"
for c in "${cases[@]}"; do
  IFS='|' read -r name data opts <<< "$c"
  read -r n d blobs seed <<< "$data"
  file=$out/$name.npy
  case " ${CASES:-$name} " in *" $name "*) ;; *) continue ;; esac
  [ -f "$file" ] || "${clmix[@]}" generate --n "$n" --d "$d" -k "$blobs" --seed "$seed" --out "$file" > /dev/null
  for r in $(seq 1 "$ROUNDS"); do
    for dev in ${DEVICES//,/ } sklearn; do
      t0=$EPOCHREALTIME
      if [ "$dev" = sklearn ]; then
        # shellcheck disable=SC2086
        json=$("$py" "$root/bench/peers/sklearn_fit.py" "$file" $opts)
      else
        # shellcheck disable=SC2086
        json=$("${clmix[@]}" fit "$file" $opts --device "$dev" --quiet --json | tail -1)
      fi
      t1=$EPOCHREALTIME
      printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$dev" "$t0" "$t1" "$json" >> "$results"
    done
  done
  echo "short-fits: $name done" >&2
done

"$py" - "$results" <<'EOF' | tee "$out/table.md"
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, dev, t0, t1, js = line.rstrip("\n").split("\t", 4)
    rows.setdefault((name, dev), []).append((float(t1) - float(t0), json.loads(js)))
print("| fit | implementation | fit s (median) | process s (median) | iterations | objective |")
print("|---|---|---|---|---|---|")
for (name, dev), runs in rows.items():
    fit = statistics.median(j["seconds"] for _, j in runs)
    wall = statistics.median(w for w, _ in runs)
    last = runs[-1][1]
    iters = last.get("iterations", last.get("n_iter"))  # the best run's, as scikit-learn's n_iter_
    obj = last.get("objective", last.get("inertia", last.get("lowerBound")))
    impl = "scikit-learn" if dev == "sklearn" else "clmix " + dev
    print(f"| {name} | {impl} | {fit:.3f} | {wall:.3f} | {iters} | {obj:.10g} |")
EOF
