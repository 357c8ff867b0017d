package io.clmix.fit;

import io.clmix.data.InputException;

/**
 * Every K-means setting, with scikit-learn's names and defaults. Validated on construction;
 * messages name the parameter, the value and what it accepts.
 *
 * @param k number of clusters (no default; at least 1 and at most the number of rows)
 * @param init how to choose the first centres (default k-means++)
 * @param nInit restarts; the run with the lowest inertia is kept (default 1; forced to 1 for
 *     given centres)
 * @param maxIter Lloyd iterations per run at most (default 300)
 * @param tol convergence tolerance on the squared centre shift, relative to the mean
 *     per-feature variance of the data, as scikit-learn, but with rows counted by their sample
 *     weights (scikit-learn counts every row once, so rows of weight 0 far out would end its
 *     fits early; the same for unweighted data) (default 1e-4); a run also stops, with
 *     strict convergence, when no label changes
 * @param seed the one seed every random choice flows from (default 0)
 */
public record KMeansOptions(int k, KMeansInit init, int nInit, int maxIter, double tol, long seed) {
  public static final int DEFAULT_N_INIT = 1;
  public static final int DEFAULT_MAX_ITER = 300;
  public static final double DEFAULT_TOL = 1e-4;
  public static final long DEFAULT_SEED = 0;

  public KMeansOptions {
    if (k < 1) {
      throw InputException.parameter("k", k, "an integer >= 1 (the number of clusters)");
    }
    if (init == null) {
      throw new InputException("init: missing; expected k-means++, random or initial centres");
    }
    if (nInit < 1) {
      throw InputException.parameter("nInit", nInit, "an integer >= 1");
    }
    if (maxIter < 1) {
      throw InputException.parameter("maxIter", maxIter, "an integer >= 1");
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      throw InputException.parameter("tol", tol, "a finite number >= 0");
    }
    if (init instanceof KMeansInit.Given given && given.centres().length != k) {
      throw new InputException("init: " + given.source() + " holds " + given.centres().length
          + (given.centres().length == 1 ? " centre" : " centres") + " but k = " + k);
    }
  }

  /** Defaults for k clusters. */
  public static KMeansOptions defaults(int k) {
    return new KMeansOptions(k, KMeansInit.kMeansPlusPlus(), DEFAULT_N_INIT, DEFAULT_MAX_ITER, DEFAULT_TOL, DEFAULT_SEED);
  }

  public KMeansOptions withInit(KMeansInit v) {
    return new KMeansOptions(k, v, nInit, maxIter, tol, seed);
  }

  public KMeansOptions withNInit(int v) {
    return new KMeansOptions(k, init, v, maxIter, tol, seed);
  }

  public KMeansOptions withMaxIter(int v) {
    return new KMeansOptions(k, init, nInit, v, tol, seed);
  }

  public KMeansOptions withTol(double v) {
    return new KMeansOptions(k, init, nInit, maxIter, v, seed);
  }

  public KMeansOptions withSeed(long v) {
    return new KMeansOptions(k, init, nInit, maxIter, tol, v);
  }
}
