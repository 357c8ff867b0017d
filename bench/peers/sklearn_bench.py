#!/usr/bin/env python3
"""scikit-learn on the workload that `clmix bench` exported: the same float32 data (--save-data),
the same start (--save-start) and the same number of iterations, timed the way clmix is.

    sklearn_bench.py --data W.npy --start W.start.json [--iters I] [--repeats R] [--threads T] [--json OUT]

K-means: KMeans(init=centres, n_init=1, max_iter=I, tol=0, algorithm="lloyd").
Gaussian mixture: GaussianMixture(max_iter=I, tol=0, weights_init, means_init, precisions_init),
which skips its own initialisation when all three are given.

Seconds per iteration are marginal: (t(I) - t(1)) / (n_iter(I) - n_iter(1)), the median over R
repeats after one warm-up, so the per-fit setup (validation, copies, x squared norms, the final
E-step) is left out, as clmix leaves out its upload. fitSecondsPerIteration (t(I) / n_iter(I))
is reported too. K-means can stop early on strict convergence (no label changed); n_iter says.
The start is cast to the data's dtype so that every iteration stays in float32.
--threads limits BLAS and OpenMP (threadpoolctl); by default scikit-learn uses every CPU. On a
machine shared with other work, OpenBLAS's spinning threads can make the default much slower
than one thread, so bench/compare.sh measures both.
"""
import contextlib
import argparse
import json
import statistics
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def threads():
    try:
        from threadpoolctl import threadpool_info
        return {p["user_api"]: p["num_threads"] for p in threadpool_info()}
    except Exception:  # threadpoolctl is a scikit-learn dependency, but never fail a benchmark over it
        return {}


def estimator(start, X, max_iter):
    dt = X.dtype
    if start["algo"] == "kmeans":
        return KMeans(n_clusters=start["k"], init=np.asarray(start["centres"], dtype=dt), n_init=1,
                      max_iter=max_iter, tol=0.0, algorithm="lloyd")
    return GaussianMixture(n_components=start["k"], covariance_type=start["covariance"], tol=0.0,
                           reg_covar=1e-6, max_iter=max_iter, n_init=1,
                           weights_init=np.asarray(start["weights"], dtype=dt),
                           means_init=np.asarray(start["means"], dtype=dt),
                           precisions_init=np.asarray(start["precisions"], dtype=dt))


def timed_fit(start, X, max_iter):
    est = estimator(start, X, max_iter)
    c0 = time.process_time()
    t0 = time.perf_counter()
    est.fit(X)
    wall = time.perf_counter() - t0
    return est, wall, time.process_time() - c0


def at_least(lo):
    """An argparse type: an integer >= lo, else a usage error naming the option (status 2)."""
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError("%r is not an integer" % text)
        if value < lo:
            raise argparse.ArgumentTypeError("%d is not allowed; expected an integer >= %d" % (value, lo))
        return value
    return parse


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--start", required=True)
    # 0 or less would time nothing (--repeats 0 ended in an AttributeError), or be taken for the
    # default (--iters 0, --threads 0).
    ap.add_argument("--iters", type=at_least(2), default=None,
                    help="default: the start file's iterations; at least 2, for the marginal time")
    ap.add_argument("--repeats", type=at_least(1), default=3)
    ap.add_argument("--threads", type=at_least(1), default=None,
                    help="BLAS and OpenMP threads (default: scikit-learn's)")
    ap.add_argument("--json", default=None, help="write the result here (default: stdout)")
    a = ap.parse_args(argv)

    with open(a.start) as f:
        start = json.load(f)
    iters = a.iters if a.iters is not None else start["iterations"]
    if iters < 2:
        sys.exit("sklearn_bench: --iters must be >= 2 for the marginal time per iteration")
    X = np.load(a.data, mmap_mode=None)
    if X.dtype != np.float32:
        X = X.astype(np.float32)

    warnings.simplefilter("ignore", ConvergenceWarning)  # tol=0 never converges, by design
    limits = contextlib.nullcontext()
    if a.threads:
        from threadpoolctl import threadpool_limits
        limits = threadpool_limits(limits=a.threads)
    marginal, per_fit, cpu = [], [], []
    est = None
    with limits:
        used = threads()
        timed_fit(start, X, 1)  # warm-up: thread pools, page cache, imports
        for _ in range(a.repeats):
            est, t_all, c_all = timed_fit(start, X, iters)
            one, t_one, _ = timed_fit(start, X, 1)
            n_all, n_one = int(est.n_iter_), int(one.n_iter_)
            if n_all > n_one:
                marginal.append((t_all - t_one) / (n_all - n_one))
            per_fit.append(t_all / n_all)
            cpu.append(c_all / t_all)

    kmeans = start["algo"] == "kmeans"
    result = {
        "library": "scikit-learn " + sklearn.__version__,
        "numpy": np.__version__,
        "threads": used,
        "algo": start["algo"],
        "covariance": start.get("covariance"),
        "n": int(X.shape[0]), "d": int(X.shape[1]), "k": start["k"],
        "iterations": iters,
        "repeats": a.repeats,
        "nIter": int(est.n_iter_),
        "secondsPerIteration": statistics.median(marginal) if marginal else None,
        "fitSecondsPerIteration": statistics.median(per_fit),
        "timing": "marginal (t(I) - t(1)) / (n_iter(I) - n_iter(1)), median over repeats after a warm-up",
        "cpuPerWall": statistics.median(cpu),
        "objectiveName": "inertia" if kmeans else "lowerBound",
        "objective": float(est.inertia_ if kmeans else est.lower_bound_),
    }
    text = json.dumps(result, indent=2)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
