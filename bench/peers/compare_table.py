#!/usr/bin/env python3
"""Prints clmix against its peers side by side, from the JSON files bench/compare.sh writes:
for each workload W, W.clmix.json (clmix bench --json), W.sklearn.json (sklearn_bench.py) and,
when present, W.sklearn-1t.json (scikit-learn on one thread) and W.smile.json (SmileBench).

    compare_table.py DIR W1 [W2 ...]

One Markdown table: seconds per iteration of every implementation, the speed-up of each over
scikit-learn (the faster of its runs, so that a busy machine's penalty on threads never
flatters clmix) and over Smile (their seconds divided by its seconds), the objective's relative
difference from scikit-learn's, and, for clmix's rows, whether the issue's target is met
(K-means >= 1.5x scikit-learn, Gaussian mixtures >= 20x). The last column is the machine's
SGEMM rate measured just before that implementation ran (W.probe.txt), to tell a slow
implementation from a slow moment of a shared virtual machine.
"""
import json
import os
import sys

TARGETS = {"kmeans": 1.5, "gmm": 20.0}


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def ratio(num, den):
    return None if num is None or den is None or den <= 0 else num / den


def rows_for(directory, w):
    clmix = load(os.path.join(directory, w + ".clmix.json"))
    peers = [(key, load(os.path.join(directory, w + "." + key + ".json"))) for key in ("sklearn", "sklearn-1t", "smile")]
    peers = [(key, p) for key, p in peers if p]
    sks = [p for key, p in peers if key.startswith("sklearn")]
    sm = next((p for key, p in peers if key == "smile"), None)
    if clmix is None:
        return []
    probes = {}
    probe_file = os.path.join(directory, w + ".probe.txt")
    if os.path.exists(probe_file):
        with open(probe_file) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2:
                    probes[parts[0]] = parts[1]
    spec = clmix["spec"]
    name = "%s%s n=%d d=%d k=%d" % (spec["algo"], " " + spec["covariance"] if spec["covariance"] else "",
                                   spec["n"], spec["d"], spec["k"])
    # A marginal time (t(I) - t(1)) / (I - 1) can come out <= 0 when I or the repeats are too few
    # for the noise: no time, rather than a negative speed-up.
    timed = [p for p in sks if (p.get("secondsPerIteration") or 0) > 0]
    fastest = min(timed, key=lambda p: p["secondsPerIteration"]) if timed else None
    sk_s = fastest["secondsPerIteration"] if fastest else None
    sm_s = sm.get("secondsPerIteration") if sm else None
    sm_s = sm_s if sm_s is not None and sm_s > 0 else None  # a marginal time <= 0 is no time (above)
    sk_obj = sks[0].get("objective") if sks else None
    target = TARGETS[spec["algo"]]
    out = []
    for r in clmix["rows"]:
        label = "clmix %s (%s)" % (r["device"], r["name"] or "?")
        if r["status"] != "ok":
            out.append([name, label, "failed: " + (r["error"] or "")[:70], "", "", "", "", "", ""])
            continue
        s = r["secondsPerIteration"]
        up = ratio(sk_s, s)
        met = "n/a" if up is None else ("yes" if up >= target else "no") + " (>= %gx)" % target
        out.append([name, label, fmt(s, ".4g"), fmt(up, ".2f") + "x" if up else "n/a",
                    fmt(ratio(sm_s, s), ".2f") + "x" if ratio(sm_s, s) else "n/a",
                    fmt(r["objective"], ".10g"), fmt(rel(r["objective"], sk_obj), ".1e"), met,
                    probes.get("clmix", "n/a")])
    for key, peer in peers:
        label = "%s (%s%s)" % (peer["library"], threads(peer),
                               ", CPU/wall %.1f" % peer["cpuPerWall"] if peer.get("cpuPerWall") else "")
        s = peer.get("secondsPerIteration")
        if s is None or s <= 0:
            why = peer.get("error", "no time") if s is None else "marginal time %.3g s <= 0: more iterations or repeats" % s
            out.append([name, label, "n/a: " + why, "", "", "", "", "", probes.get(key, "n/a")])
            continue
        out.append([name, label, fmt(s, ".4g"), fmt(ratio(sk_s, s), ".2f") + "x" if ratio(sk_s, s) else "n/a",
                    fmt(ratio(sm_s, s), ".2f") + "x" if ratio(sm_s, s) else "n/a",
                    fmt(peer.get("objective"), ".10g"), fmt(rel(peer.get("objective"), sk_obj), ".1e"), "",
                    probes.get(key, "n/a")])
    return out


def threads(peer):
    t = peer.get("threads")
    if isinstance(t, dict):
        return ", ".join("%s %s threads" % (k, v) for k, v in t.items())
    return "%s CPUs" % t if t else "?"


def rel(x, ref):
    if x is None or ref is None or ref == 0:
        return None
    return abs(x - ref) / abs(ref)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    directory, workloads = argv[1], argv[2:]
    header = ["workload", "implementation", "s/iter", "vs scikit-learn (faster run)", "vs Smile", "objective",
              "rel. diff vs sklearn", "target met", "SGEMM probe GFLOP/s"]
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for w in workloads:
        for row in rows_for(directory, w):
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main(sys.argv)
