#!/usr/bin/env python3
"""One scikit-learn fit as a user would run it, timed: the counterpart of one `clmix fit`.

    sklearn_fit.py DATA.npy --algo kmeans|gmm -k K [--covariance T] [--n-init N] [--seed S]

K-means: KMeans(k, n_init=N, random_state=S) with its defaults (k-means++, Lloyd, tol 1e-4).
Gaussian mixture: GaussianMixture(k, covariance_type=T, n_init=N, random_state=S) with its
defaults (k-means initialisation, tol 1e-3, at most 100 iterations). These are the defaults
`clmix fit` follows. Prints one JSON line: seconds (the fit call alone, as clmix's `seconds`),
n_iter, and the objective (inertia, or the mean log-likelihood bound).
"""
import argparse
import json
import time
import warnings

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--algo", choices=["kmeans", "gmm"], required=True)
    ap.add_argument("-k", type=int, required=True)
    ap.add_argument("--covariance", default="full")
    ap.add_argument("--n-init", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    x = np.load(a.data)
    if a.algo == "kmeans":
        est = KMeans(a.k, n_init=a.n_init, random_state=a.seed)
    else:
        est = GaussianMixture(a.k, covariance_type=a.covariance, n_init=a.n_init, random_state=a.seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        t = time.perf_counter()
        est.fit(x)
        seconds = time.perf_counter() - t
    objective = float(est.inertia_) if a.algo == "kmeans" else float(est.lower_bound_)
    print(json.dumps({"seconds": seconds, "n_iter": int(est.n_iter_), "objective": objective}))


if __name__ == "__main__":
    main()
