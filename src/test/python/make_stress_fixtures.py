"""Generate scikit-learn references for clmix's numerical stress tests.

Like make_fixtures.py, this script is run by hand and its outputs are committed;
the Java tests (io.clmix.fit.NumericalStressTest) only read them.

    python3 -m venv /tmp/v && /tmp/v/bin/pip install scikit-learn && \
        /tmp/v/bin/python src/test/python/make_stress_fixtures.py

Outputs, in src/test/resources/fixtures/stress/:
    NAME.npy      the data of each case (float64, or float32 where noted)
    NAME.w.npy    sample weights, for the weighted case
    stress.json   per case: k, the fixed start, and scikit-learn's results for
                  KMeans (lloyd, n_init=1, the given start) and, where it
                  succeeds, GaussianMixture (the given weights, means and
                  precisions, reg_covar=1e-6); a failure is recorded as
                  {"error": "..."} instead.

Cases: data far from the origin (offset 1e6, unit noise), very large (1e15) and
very small (1e-15) scales, duplicated points, a constant column, d = 1, d = 512,
k = 1, k = n, and sample weights of 1e-12 and 1e12 mixed.  For the weighted case
scikit-learn's GaussianMixture has no sample weights, so the reference is the
fit on the heavily weighted rows alone: weights of 1e-12 against 1e12 count
1e-24 as much, far below float precision.
"""

import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, "..", "resources", "fixtures", "stress"))
REG_COVAR = 1e-6
SEED = 31


def tolist(a):
    return np.asarray(a).tolist()


def blobs(rng, n, d, k, std=1.0, spread=10.0):
    centres = rng.uniform(-spread, spread, size=(k, d))
    labels = np.arange(n) % k
    return centres[labels] + rng.normal(0.0, std, size=(n, d))


def fixed_start(rng, X, k):
    idx = np.sort(rng.choice(X.shape[0], k, replace=False))
    return idx, X[idx].astype(np.float64)


def kmeans_ref(X, k, init, weights=None):
    km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", max_iter=300, tol=1e-4)
    km.fit(X, sample_weight=weights)
    return {
        "initCentres": tolist(init),
        "labels": tolist(km.labels_),
        "centres": tolist(km.cluster_centers_),
        "inertia": float(km.inertia_),
        "nIter": int(km.n_iter_),
    }


def precisions_for(X, cov_type, k):
    """Scale-aware starting precisions: the data's own (co)variance plus 1e-3 of its mean variance."""
    d = X.shape[1]
    var = np.var(X, axis=0)
    eps = 1e-3 * max(float(np.mean(var)), np.finfo(np.float64).tiny)
    if cov_type == "full":
        cov = np.atleast_2d(np.cov(X, rowvar=False)) + eps * np.eye(d)
        return np.repeat(np.linalg.inv(cov)[None, :, :], k, axis=0)
    if cov_type == "diag":
        return np.repeat((1.0 / (var + eps))[None, :], k, axis=0)
    raise ValueError(cov_type)


def gmm_ref(X, k, cov_type, means_init):
    weights_init = np.full(k, 1.0 / k)
    prec = precisions_for(X, cov_type, k)
    out = {
        "covarianceType": cov_type,
        "weightsInit": tolist(weights_init),
        "meansInit": tolist(means_init),
        "precisionsInit": tolist(prec),
    }
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm = GaussianMixture(n_components=k, covariance_type=cov_type, reg_covar=REG_COVAR, max_iter=100,
                                 tol=1e-3, weights_init=weights_init, means_init=means_init,
                                 precisions_init=prec).fit(X)
    except Exception as e:  # recorded: the Java test then expects an actionable error or its own sanity checks
        out["error"] = "%s: %s" % (type(e).__name__, e)
        return out
    out.update({
        "weights": tolist(gm.weights_),
        "means": tolist(gm.means_),
        "covariances": tolist(gm.covariances_),
        "lowerBound": float(gm.lower_bound_),
        "nIter": int(gm.n_iter_),
        "converged": bool(gm.converged_),
        "labels": tolist(gm.predict(X)),
        "meanLogLikelihood": float(gm.score(X)),
    })
    return out


def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    rng = np.random.default_rng(SEED)
    cases = {}

    def case(name, X, k, gmm_type="full", weights=None, gmm_rows=None, dtype=np.float64, note=""):
        X = np.ascontiguousarray(X, dtype=dtype)
        np.save(os.path.join(OUT_DIR, name + ".npy"), X)
        Xd = X.astype(np.float64)
        idx, init = fixed_start(rng, Xd, k)
        entry = {"file": name + ".npy", "n": int(X.shape[0]), "d": int(X.shape[1]), "k": k,
                 "dtype": str(X.dtype), "note": note, "initIndices": tolist(idx)}
        if weights is not None:
            np.save(os.path.join(OUT_DIR, name + ".w.npy"), weights)
            entry["weightsFile"] = name + ".w.npy"
        entry["kmeans"] = kmeans_ref(Xd, k, init, weights)
        if gmm_type is not None:
            rows = Xd if gmm_rows is None else Xd[gmm_rows]
            entry["gmm"] = gmm_ref(rows, k, gmm_type, init)
            if gmm_rows is not None:
                entry["gmm"]["rows"] = "heavy"
        cases[name] = entry

    base = blobs(rng, 300, 2, 3)
    case("offset1e6", base + 1e6, 3, note="unit-noise blobs 1e6 from the origin")
    base3 = blobs(rng, 300, 3, 3)
    case("scale1e15", base3 * 1e15, 3, note="blobs scaled by 1e15")
    case("scale1e-15", base3 * 1e-15, 3, note="blobs scaled by 1e-15")
    points = rng.uniform(-5, 5, size=(3, 2))
    case("duplicates", np.repeat(points, 40, axis=0), 3, gmm_type="diag", note="3 distinct points, 40 copies each")
    const = blobs(rng, 300, 3, 3)
    const[:, 1] = 7.0
    case("constantColumn", const, 3, note="column 2 is constant")
    case("d1", blobs(rng, 300, 1, 3), 3, note="one column")
    case("d512", blobs(rng, 120, 512, 3, std=1.0, spread=3.0), 3, gmm_type="diag", dtype=np.float32,
         note="512 columns, float32")
    case("k1", blobs(rng, 200, 2, 3), 1, note="one cluster")
    case("kEqualsN", rng.uniform(-10, 10, size=(12, 2)), 12, gmm_type="diag", note="as many clusters as rows")
    wx = blobs(rng, 300, 2, 3)
    heavy = rng.random(300) < 0.5
    w = np.where(heavy, 1e12, 1e-12)
    case("extremeWeights", wx, 3, weights=w, gmm_rows=heavy, note="weights 1e-12 and 1e12 mixed")

    doc = {"sklearnVersion": sklearn.__version__, "numpyVersion": np.__version__, "regCovar": REG_COVAR,
           "cases": cases}
    with open(os.path.join(OUT_DIR, "stress.json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
