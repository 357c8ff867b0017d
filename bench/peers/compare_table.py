#!/usr/bin/env python3
"""Prints clmix against its peers side by side, from the JSON files bench/compare.sh writes:
for each workload W, W.clmix.json (clmix bench --json), W.sklearn.json (sklearn_bench.py) and,
when present, W.sklearn-1t.json (scikit-learn on one thread) and W.smile.json (SmileBench).
With several rounds (compare.sh's ROUNDS), the files are W.r1.*, W.r2.*, ...

    compare_table.py DIR W1 [W2 ...]

One Markdown table: seconds per iteration of every implementation, the speed-up of each over
scikit-learn (the faster of its runs, so that a busy machine's penalty on threads never
flatters clmix) and over Smile (their seconds divided by its seconds), the objective's relative
difference from scikit-learn's, and, for clmix's rows, whether the issue's target is met
(K-means >= 1.5x scikit-learn, Gaussian mixtures >= 20x). The last column is the machine's
SGEMM rate measured just before that implementation ran (W.probe.txt), to tell a slow
implementation from a slow moment of a shared virtual machine.

Over several rounds each figure is the median of the rounds' figures, with their range in
brackets, and each speed-up is taken within its round first: the runs of one round are minutes
apart at most, so the ratio compares the implementations rather than two moments of the machine.
"""
import glob
import json
import os
import re
import statistics
import sys

TARGETS = {"kmeans": 1.5, "gmm": 20.0}
PEERS = ("sklearn", "sklearn-1t", "smile")


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt(x, spec):
    return "n/a" if x is None else format(x, spec)


def ratio(num, den):
    return None if num is None or den is None or den <= 0 else num / den


def rel(x, ref):
    if x is None or ref is None or ref == 0:
        return None
    return abs(x - ref) / abs(ref)


def threads(peer):
    t = peer.get("threads")
    if isinstance(t, dict):
        return ", ".join("%s %s threads" % (k, v) for k, v in t.items())
    return "%s CPUs" % t if t else "?"


def prefixes(directory, w):
    """The file prefixes of workload w's rounds: [w], or [w.r1, w.r2, ...] in round order."""
    if os.path.exists(os.path.join(directory, w + ".clmix.json")):
        return [w]
    found = []
    for path in glob.glob(os.path.join(directory, glob.escape(w) + ".r*.clmix.json")):
        m = re.match(re.escape(w) + r"\.r(\d+)\.clmix\.json$", os.path.basename(path))
        if m:
            found.append((int(m.group(1)), w + ".r" + m.group(1)))
    return [p for _, p in sorted(found)]


def round_rows(directory, prefix):
    """One round's rows as dicts: key (device or peer), workload name, label, and the figures."""
    clmix = load(os.path.join(directory, prefix + ".clmix.json"))
    if clmix is None:
        return []
    peers = [(key, load(os.path.join(directory, prefix + "." + key + ".json"))) for key in PEERS]
    peers = [(key, p) for key, p in peers if p]
    sks = [p for key, p in peers if key.startswith("sklearn")]
    sm = next((p for key, p in peers if key == "smile"), None)
    probes = {}
    probe_file = os.path.join(directory, prefix + ".probe.txt")
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
        row = {"key": "clmix " + r["device"], "name": name, "label": "clmix %s (%s)" % (r["device"], r["name"] or "?"),
               "target": target, "probe": probes.get("clmix")}
        if r["status"] != "ok":
            row["failed"] = "failed: " + (r["error"] or "")[:70]
        else:
            s = r["secondsPerIteration"]
            row.update(s=s, up=ratio(sk_s, s), smile=ratio(sm_s, s), objective=r["objective"],
                       rel=rel(r["objective"], sk_obj))
        out.append(row)
    for key, peer in peers:
        label = "%s (%s%s)" % (peer["library"], threads(peer),
                               ", CPU/wall %.1f" % peer["cpuPerWall"] if peer.get("cpuPerWall") else "")
        row = {"key": key, "name": name, "label": label, "target": None, "probe": probes.get(key)}
        s = peer.get("secondsPerIteration")
        if s is None or s <= 0:
            why = peer.get("error", "no time") if s is None else "marginal time %.3g s <= 0: more iterations or repeats" % s
            row["failed"] = "n/a: " + why
        else:
            row.update(s=s, up=ratio(sk_s, s), smile=ratio(sm_s, s), objective=peer.get("objective"),
                       rel=rel(peer.get("objective"), sk_obj))
        out.append(row)
    return out


def median_and_range(values, spec, suffix=""):
    """'m' for one value; 'm (lo to hi)' for several; 'n/a' when none is known."""
    known = [v for v in values if v is not None]
    if not known:
        return "n/a"
    m = format(statistics.median(known), spec) + suffix
    if len(values) == 1:
        return m
    return "%s (%s to %s%s)" % (m, format(min(known), spec), format(max(known), spec), suffix)


def merged(rounds):
    """The table's cells for one implementation over its rounds (one or more row dicts)."""
    first = rounds[0]
    ok = [r for r in rounds if "failed" not in r]
    if not ok:
        return [first["name"], first["label"], first["failed"], "", "", "", "", "", fmt(first["probe"], "")]
    ups = [r["up"] for r in ok]
    met = ""
    if first["target"] is not None:
        known = [u for u in ups if u is not None]
        met = "n/a" if not known else ("yes" if statistics.median(known) >= first["target"] else "no") \
            + " (>= %gx)" % first["target"]
    failed = len(rounds) - len(ok)
    s = median_and_range([r["s"] for r in ok], ".4g") + (", %d round(s) failed" % failed if failed else "")
    probes = [float(r["probe"]) for r in rounds if r["probe"] not in (None, "n/a")]
    probe = median_and_range(probes, ".1f") if probes else "n/a"
    return [first["name"], first["label"], s, median_and_range(ups, ".2f", "x"),
            median_and_range([r["smile"] for r in ok], ".2f", "x"), fmt(ok[0]["objective"], ".10g"),
            fmt(ok[0]["rel"], ".1e"), met, probe]


def rows_for(directory, w):
    rounds = [round_rows(directory, p) for p in prefixes(directory, w)]
    rounds = [r for r in rounds if r]
    if not rounds:
        return []
    order = []
    by_key = {}
    for rows in rounds:
        for row in rows:
            if row["key"] not in by_key:
                order.append(row["key"])
                by_key[row["key"]] = []
            by_key[row["key"]].append(row)
    return [merged(by_key[key]) for key in order]


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
