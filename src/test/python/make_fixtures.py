"""Generate scikit-learn reference fixtures for the clmix Java tests.

scikit-learn is NOT a build dependency of clmix.  This script is run by hand and
its outputs (src/test/resources/fixtures/) are committed; the Java tests only
read the committed files.

How to run (from the repository root):

    python3 -m venv /tmp/v && /tmp/v/bin/pip install scikit-learn && \
        /tmp/v/bin/python src/test/python/make_fixtures.py

The script is deterministic (every random choice uses a fixed seed); re-running
it with the same scikit-learn / numpy versions reproduces the files byte for
byte as far as numpy / BLAS allow.

Outputs, for D in iris, wine, digits, breast_cancer, blobs:
    D.npy          feature matrix, float64, C order, 2-D (np.save)
    D.kmeans.json  KMeans references (best-of-n, fixed start, float32, weighted)
    D.gmm.json     GaussianMixture references for full/tied/diag/spherical
plus iris.csv (header row of feature names, repr precision) for CSV loading.
See src/test/python/README.md for the JSON layout.
"""

import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn import datasets
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures"))

KMEANS_N_INITS = [1, 4, 10]
KMEANS_SEEDS = range(20)
GMM_N_INITS = [1, 4]
GMM_SEEDS = range(10)
COV_TYPES = ["full", "tied", "diag", "spherical"]
INIT_SEED = 12345
WEIGHT_SEED = 7
BLOBS_SEED = 2024
PRECISION_REG = 1e-3
REG_COVAR = 1e-6
REG_COVAR_FALLBACK = 1e-3  # digits only, when 1e-6 fails


def tolist(a):
    """numpy -> nested Python lists of float/int (json.dump writes repr floats)."""
    return np.asarray(a).tolist()


def stats(values):
    v = np.asarray(values, dtype=np.float64)
    return {"median": float(np.median(v)), "min": float(v.min()), "max": float(v.max())}


def write_json(path, obj):
    # allow_nan=False: fail loudly rather than emit non-standard NaN/Infinity.
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


# --------------------------------------------------------------------------- data

def load_real(name):
    loader = getattr(datasets, "load_" + name)
    b = loader()
    X = np.ascontiguousarray(b.data, dtype=np.float64)
    return X, list(b.feature_names)


def make_blobs():
    """5 anisotropic Gaussian clusters, n=2000, d=4."""
    rng = np.random.default_rng(BLOBS_SEED)
    k, d, n = 5, 4, 2000
    means = rng.uniform(-10.0, 10.0, size=(k, d))
    covs = np.empty((k, d, d))
    for j in range(k):
        A = rng.normal(size=(d, d))
        covs[j] = A @ A.T
    weights = rng.dirichlet(np.full(k, 5.0))
    counts = rng.multinomial(n, weights)
    labels = np.repeat(np.arange(k), counts)
    X = np.empty((n, d))
    start = 0
    for j in range(k):
        X[start:start + counts[j]] = rng.multivariate_normal(means[j], covs[j], size=counts[j])
        start += counts[j]
    perm = rng.permutation(n)
    X = np.ascontiguousarray(X[perm])
    labels = labels[perm]
    truth = {
        "means": tolist(means),
        "covariances": tolist(covs),
        "weights": tolist(weights),
        "counts": tolist(counts),
        "labels": tolist(labels),
        "generator": "np.random.default_rng(2024): means=uniform(-10,10,(5,4)); "
                     "for each j: A=normal((4,4)), cov=A@A.T; weights=dirichlet(5*ones(5)); "
                     "counts=multinomial(2000,weights); rows drawn per cluster with "
                     "multivariate_normal, then rows permuted by rng.permutation(2000)",
    }
    return X, truth


# --------------------------------------------------------------------------- kmeans

def init_indices(n, k):
    return np.random.default_rng(INIT_SEED).choice(n, k, replace=False)


def kmeans_record(km):
    return {
        "labels": tolist(km.labels_),
        "centres": tolist(np.asarray(km.cluster_centers_, dtype=np.float64)),
        "inertia": float(km.inertia_),
        "nIter": int(km.n_iter_),
    }


def kmeans_fixture(X, k):
    n, d = X.shape
    out = {"k": k, "n": n, "d": d, "sklearnVersion": sklearn.__version__}

    best = {}
    for n_init in KMEANS_N_INITS:
        inertias = []
        for s in KMEANS_SEEDS:
            km = KMeans(n_clusters=k, init="k-means++", n_init=n_init,
                        algorithm="lloyd", random_state=s).fit(X)
            inertias.append(float(km.inertia_))
        best[str(n_init)] = {"nInit": n_init, "seeds": list(KMEANS_SEEDS),
                             "inertias": inertias, **stats(inertias)}
    out["bestOfN"] = best

    idx = init_indices(n, k)
    centres0 = X[idx].copy()
    fs = {"initIndices": tolist(idx), "initCentres": tolist(centres0),
          "maxIter": 300, "tol": 1e-4}
    km = KMeans(n_clusters=k, init=centres0, n_init=1, algorithm="lloyd",
                max_iter=300, tol=1e-4).fit(X)
    fs.update(kmeans_record(km))
    X32 = X.astype(np.float32)
    km32 = KMeans(n_clusters=k, init=centres0.astype(np.float32), n_init=1,
                  algorithm="lloyd", max_iter=300, tol=1e-4).fit(X32)
    fs["float32"] = kmeans_record(km32)
    out["fixedStart"] = fs

    w = np.random.default_rng(WEIGHT_SEED).uniform(0.5, 2.0, n)
    kmw = KMeans(n_clusters=k, init=centres0, n_init=1, algorithm="lloyd",
                 max_iter=300, tol=1e-4).fit(X, sample_weight=w)
    out["weighted"] = {"sampleWeights": tolist(w), "initIndices": tolist(idx),
                       **kmeans_record(kmw)}

    out["tolerance"] = float(np.mean(np.var(X, axis=0)) * 1e-4)
    return out


# --------------------------------------------------------------------------- gmm

def gmm_init(X, k, cov_type):
    n, d = X.shape
    idx = init_indices(n, k)
    means = X[idx].copy()
    weights = np.full(k, 1.0 / k)
    if cov_type in ("full", "tied"):
        C = np.cov(X, rowvar=False) + PRECISION_REG * np.eye(d)  # ddof=1
        P = np.linalg.inv(C)
        P = 0.5 * (P + P.T)  # exactly symmetric so sklearn's check passes
        prec = np.repeat(P[None], k, axis=0) if cov_type == "full" else P
    elif cov_type == "diag":
        prec = np.tile(1.0 / (np.var(X, axis=0) + PRECISION_REG), (k, 1))  # ddof=0
    else:  # spherical
        prec = np.full(k, 1.0 / (np.mean(np.var(X, axis=0)) + PRECISION_REG))
    return idx, weights, means, prec


def gmm_record(g, X):
    return {
        "lowerBound": float(g.lower_bound_),
        "lowerBounds": [float(v) for v in g.lower_bounds_],
        "nIter": int(g.n_iter_),
        "converged": bool(g.converged_),
        "weights": tolist(g.weights_),
        "means": tolist(g.means_),
        "covariances": tolist(g.covariances_),
        "precisionsCholesky": tolist(g.precisions_cholesky_),
        "meanLogLikelihood": float(g.score(X)),
        "labels": tolist(g.predict(X)),
        "proba": tolist(g.predict_proba(X[:10])),
        "scoreSamples": tolist(g.score_samples(X[:10])),
        "bic": float(g.bic(X)),
        "aic": float(g.aic(X)),
    }


def fit_fixed(X, k, cov_type, weights, means, prec, max_iter, tol, reg_covar):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        g = GaussianMixture(n_components=k, covariance_type=cov_type,
                            weights_init=weights, means_init=means,
                            precisions_init=prec, max_iter=max_iter, tol=tol,
                            reg_covar=reg_covar, n_init=1).fit(X)
    return g


def run_with_fallback(fn, allow_fallback):
    """Run fn(reg_covar) with 1e-6; on failure and if allowed retry with 1e-3.

    Returns (result_or_None, reg_covar_used, errors) where errors maps the
    reg_covar value tried (as string) to the error string."""
    errors = {}
    regs = [REG_COVAR] + ([REG_COVAR_FALLBACK] if allow_fallback else [])
    for reg in regs:
        try:
            return fn(reg), reg, errors
        except Exception as e:  # noqa: BLE001 - record, don't fail the script
            errors[repr(reg)] = f"{type(e).__name__}: {e}"
    return None, regs[-1], errors


def gmm_fixture(X, k, name, failures):
    n, d = X.shape
    allow_fallback = name == "digits"
    out = {"k": k, "n": n, "d": d, "sklearnVersion": sklearn.__version__,
           "covarianceTypes": {}}
    for cov_type in COV_TYPES:
        idx, weights, means, prec = gmm_init(X, k, cov_type)
        init = {"initIndices": tolist(idx), "weightsInit": tolist(weights),
                "meansInit": tolist(means), "precisionsInit": tolist(prec),
                "precisionReg": PRECISION_REG}
        rec = {}
        for key, max_iter, tol in (("fixedStart", 100, 1e-3), ("fixedIterations", 5, 0.0)):
            res, reg, errs = run_with_fallback(
                lambda r: gmm_record(fit_fixed(X, k, cov_type, weights, means, prec,
                                               max_iter, tol, r), X),
                allow_fallback)
            # The (identical) initial parameters are stored once, in fixedStart,
            # to keep the digits/full file small.
            head = init if key == "fixedStart" else {"initFrom": "fixedStart"}
            entry = {**head, "maxIter": max_iter, "tol": tol, "regCovar": reg}
            if errs:
                entry["errors"] = errs
                failures.append(f"{name} {cov_type} {key}: {errs}")
            if res is None:
                entry["error"] = errs[repr(reg)]
            else:
                entry.update(res)
            rec[key] = entry

        best = {}
        for n_init in GMM_N_INITS:
            def run_all(reg, n_init=n_init):
                lls = []
                for s in GMM_SEEDS:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        g = GaussianMixture(n_components=k, covariance_type=cov_type,
                                            n_init=n_init, random_state=s,
                                            reg_covar=reg).fit(X)
                    lls.append(float(g.score(X)))
                return lls

            if allow_fallback:
                lls, reg, errs = run_with_fallback(run_all, True)
                entry = {"nInit": n_init, "seeds": list(GMM_SEEDS), "regCovar": reg}
                if errs:
                    entry["errors"] = errs
                    failures.append(f"{name} {cov_type} bestOfN nInit={n_init}: {errs}")
                if lls is None:
                    entry["error"] = errs[repr(reg)]
                else:
                    entry["meanLogLikelihoods"] = lls
                    entry.update(stats(lls))
            else:
                # per-seed error recording, reg_covar=1e-6 only
                lls, errs = [], {}
                for s in GMM_SEEDS:
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore", ConvergenceWarning)
                            g = GaussianMixture(n_components=k, covariance_type=cov_type,
                                                n_init=n_init, random_state=s,
                                                reg_covar=REG_COVAR).fit(X)
                        lls.append(float(g.score(X)))
                    except Exception as e:  # noqa: BLE001
                        lls.append(None)
                        errs[str(s)] = f"{type(e).__name__}: {e}"
                entry = {"nInit": n_init, "seeds": list(GMM_SEEDS), "regCovar": REG_COVAR,
                         "meanLogLikelihoods": lls}
                ok = [v for v in lls if v is not None]
                if ok:
                    entry.update(stats(ok))
                if errs:
                    entry["errors"] = errs
                    failures.append(f"{name} {cov_type} bestOfN nInit={n_init}: {errs}")
            best[str(n_init)] = entry
        rec["bestOfN"] = best
        out["covarianceTypes"][cov_type] = rec
    return out


# --------------------------------------------------------------------------- main

def write_csv(path, X, names):
    for nm in names:
        assert "," not in nm and '"' not in nm, nm
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for row in X:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    t0 = time.time()
    failures = []
    sets = [("iris", 3), ("wine", 3), ("digits", 10), ("breast_cancer", 2), ("blobs", 5)]
    for name, k in sets:
        t = time.time()
        if name == "blobs":
            X, truth = make_blobs()
        else:
            X, feat = load_real(name)
            truth = None
        np.save(os.path.join(OUT_DIR, name + ".npy"), X)
        if name == "iris":
            write_csv(os.path.join(OUT_DIR, "iris.csv"), X, feat)
        km = kmeans_fixture(X, k)
        gm = gmm_fixture(X, k, name, failures)
        if truth is not None:
            km["truth"] = truth
            gm["truth"] = truth
        write_json(os.path.join(OUT_DIR, name + ".kmeans.json"), km)
        write_json(os.path.join(OUT_DIR, name + ".gmm.json"), gm)
        print(f"{name}: n={X.shape[0]} d={X.shape[1]} k={k} ({time.time() - t:.1f}s)",
              flush=True)
    print(f"sklearn {sklearn.__version__}, numpy {np.__version__}; "
          f"total {time.time() - t0:.1f}s")
    if failures:
        print("Recorded failures:")
        for f in failures:
            print("  " + f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
