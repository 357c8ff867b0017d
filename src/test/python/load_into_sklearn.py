"""Load clmix model files into scikit-learn and check that they score the same there.

    /tmp/v/bin/python src/test/python/load_into_sklearn.py MODEL.json DATA.npy [CLMIX_SCORE_JSON]

Builds a scikit-learn estimator from a clmix model file by setting its fitted attributes
(the recipe in docs/model-format.md), then prints scikit-learn's mean log-likelihood (GMM) or
inertia (K-means) and labels. With the JSON line of `clmix score --json` as third argument it
exits non-zero unless the two agree to 1e-6 relative (the first ten labels are printed, not
compared).
"""
import json
import sys

import numpy as np
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture


def load(path):
    with open(path) as f:
        m = json.load(f)
    assert m["format"] == "clmix-model" and m["formatVersion"] == 1, "not a clmix model file"
    if m["algo"] == "gmm":
        g = GaussianMixture(n_components=m["nComponents"], covariance_type=m["covarianceType"])
        g.weights_ = np.asarray(m["weights"])
        g.means_ = np.asarray(m["means"])
        g.covariances_ = np.asarray(m["covariances"])
        g.precisions_cholesky_ = np.asarray(m["precisionsCholesky"])
        # precisions_ as scikit-learn derives them from the Cholesky factors
        pc = g.precisions_cholesky_
        if g.covariance_type == "full":
            g.precisions_ = np.einsum("kij,klj->kil", pc, pc)
        elif g.covariance_type == "tied":
            g.precisions_ = pc @ pc.T
        else:
            g.precisions_ = pc ** 2
        g.converged_ = m["converged"]
        g.n_iter_ = m["nIter"]
        g.lower_bound_ = m["lowerBound"]
        g.n_features_in_ = m["nFeaturesIn"]
        return g
    km = KMeans(n_clusters=m["nClusters"])
    km.cluster_centers_ = np.asarray(m["clusterCenters"])
    km.inertia_ = m["inertia"]
    km.n_iter_ = m["nIter"]
    km.n_features_in_ = m["nFeaturesIn"]
    km._n_threads = 1
    return km


def main():
    model, data = sys.argv[1], sys.argv[2]
    est = load(model)
    x = np.load(data).astype(np.float64)
    labels = est.predict(x)
    if isinstance(est, GaussianMixture):
        value = est.score(x)
        key = "meanLogLikelihood"
    else:
        value = -est.score(x)
        key = "inertia"
    print(json.dumps({key: value, "labels": labels[:10].tolist()}))
    if len(sys.argv) > 3:
        clmix = json.loads(sys.argv[3])
        rel = abs(clmix[key] - value) / max(1.0, abs(value))
        if rel > 1e-6:
            sys.exit(f"{key}: clmix {clmix[key]} vs scikit-learn {value} (relative difference {rel:.2e})")
        print(f"{key} agrees to {rel:.1e}")


if __name__ == "__main__":
    main()
