package io.clmix.fit;

import io.clmix.data.InputException;
import io.clmix.model.CovarianceType;
import io.clmix.model.Covariances;
import io.clmix.model.GaussianMixtureModel;

/**
 * Every Gaussian-mixture setting, with scikit-learn's names (in camelCase) and defaults.
 * Validated on construction; messages name the parameter, the value and what it accepts.
 *
 * @param k number of components (at least 1, at most the number of rows)
 * @param covarianceType full (default), tied, diag or spherical
 * @param tol convergence threshold on the change of the per-sample lower bound (default 1e-3)
 * @param regCovar regularisation added to the covariance diagonals, from 0 to {@link #MAX_REG_COVAR}
 *     (default 1e-6)
 * @param maxIter EM iterations per run at most (default 100)
 * @param nInit restarts; the run with the highest lower bound is kept (default 1)
 * @param init how the first responsibilities are chosen (default kmeans)
 * @param weightsInit initial weights (k), or null to take them from {@code init}
 * @param meansInit initial means (k x d, in the data's own coordinates), or null
 * @param precisionsInit initial precision matrices, flat in the type's layout (full k x d x d,
 *     tied d x d, diag k x d, spherical k), or null
 * @param warmStart a fitted model to continue from (then nInit is 1 and init is ignored), or null
 * @param seed the one seed every random choice flows from (default 0)
 */
public record GaussianMixtureOptions(int k, CovarianceType covarianceType, double tol, double regCovar, int maxIter,
    int nInit, GmmInit init, double[] weightsInit, double[][] meansInit, double[] precisionsInit,
    GaussianMixtureModel warmStart, long seed) {
  public static final double DEFAULT_TOL = 1e-3;
  public static final double DEFAULT_REG_COVAR = 1e-6;
  /**
   * The largest regCovar, float32's largest value: the engines compute in float32, and data
   * they accept have variances below it (16 d s^2 W <= 3.4e38), so a larger one would only
   * drown the data (every component the same) or overflow a variance.
   */
  public static final double MAX_REG_COVAR = Float.MAX_VALUE;
  public static final int DEFAULT_MAX_ITER = 100;

  /**
   * Refuses a {@code regCovar} these options would refuse; for callers that check it without
   * building options (the command line checks {@code --reg-covar} even for K-means, which
   * does not use it).
   *
   * @throws InputException naming {@code regCovar}, the value and what it accepts
   */
  public static void checkRegCovar(double regCovar) {
    if (!(regCovar >= 0) || regCovar > MAX_REG_COVAR) {
      throw InputException.parameter("regCovar", regCovar, "a number from 0 to 3.4e38");
    }
  }

  public GaussianMixtureOptions {
    if (k < 1) {
      throw InputException.parameter("k", k, "an integer >= 1 (the number of components)");
    }
    if (covarianceType == null) {
      throw new InputException("covarianceType: missing; expected one of full, tied, diag, spherical");
    }
    if (!(tol >= 0) || Double.isInfinite(tol)) {
      throw InputException.parameter("tol", tol, "a finite number >= 0");
    }
    checkRegCovar(regCovar);
    if (maxIter < 1) {
      throw InputException.parameter("maxIter", maxIter, "an integer >= 1");
    }
    if (nInit < 1) {
      throw InputException.parameter("nInit", nInit, "an integer >= 1");
    }
    if (init == null) {
      throw new InputException("init: missing; expected kmeans, k-means++, random or random-from-data");
    }
    if (weightsInit != null) {
      if (weightsInit.length != k) {
        throw new InputException("weightsInit: " + weightsInit.length + " weights for k = " + k + " components");
      }
      double sum = 0;
      for (double w : weightsInit) {
        if (!(w >= 0) || !Double.isFinite(w)) {
          throw InputException.parameter("weightsInit", w, "finite weights >= 0 that sum to 1");
        }
        sum += w;
      }
      if (Math.abs(sum - 1) > 1e-6) {
        throw new InputException("weightsInit: the weights sum to " + sum + "; expected 1");
      }
      weightsInit = weightsInit.clone();
    }
    if (meansInit != null) {
      if (meansInit.length != k) {
        throw new InputException("meansInit: " + meansInit.length + " means for k = " + k + " components");
      }
      if (meansInit[0] == null) {
        throw new InputException("meansInit: row 1 is null; expected an array of values");
      }
      double[][] copy = new double[k][];
      for (int c = 0; c < k; c++) {
        if (meansInit[c] == null) {
          throw new InputException("meansInit: row " + (c + 1) + " is null; expected " + meansInit[0].length + " values");
        }
        if (meansInit[c].length != meansInit[0].length) {
          throw new InputException("meansInit: row " + (c + 1) + " has " + meansInit[c].length
              + " values where row 1 has " + meansInit[0].length);
        }
        for (double v : meansInit[c]) {
          if (!Double.isFinite(v)) {
            throw new InputException("meansInit: row " + (c + 1) + " has a non-finite value " + v);
          }
          if (Math.abs(v) > Float.MAX_VALUE) {
            // As the data files' values: the engines compute in float32, where it is infinite.
            throw new InputException("meansInit: row " + (c + 1) + " has the value " + v
                + ", beyond float32's range (3.4e38), in which the engines compute");
          }
        }
        copy[c] = meansInit[c].clone();
      }
      meansInit = copy;
    }
    if (precisionsInit != null) {
      precisionsInit = precisionsInit.clone();
    }
    if (warmStart != null && (warmStart.k() != k || warmStart.covarianceType() != covarianceType)) {
      throw new InputException("warmStart: the model has " + warmStart.k() + " " + warmStart.covarianceType().id()
          + " components; the options ask for " + k + " " + covarianceType.id());
    }
  }

  /** Initial weights, or null; a copy, so that values changed in it cannot skip validation. */
  @Override
  public double[] weightsInit() {
    return weightsInit == null ? null : weightsInit.clone();
  }

  /** Initial means (k x d), or null; a copy, as {@link #weightsInit()}. */
  @Override
  public double[][] meansInit() {
    if (meansInit == null) {
      return null;
    }
    double[][] out = new double[meansInit.length][];
    for (int c = 0; c < out.length; c++) {
      out[c] = meansInit[c].clone();
    }
    return out;
  }

  /** Initial precisions, flat, or null; a copy, as {@link #weightsInit()}. */
  @Override
  public double[] precisionsInit() {
    return precisionsInit == null ? null : precisionsInit.clone();
  }

  /** Defaults for k components. */
  public static GaussianMixtureOptions defaults(int k) {
    return new GaussianMixtureOptions(k, CovarianceType.FULL, DEFAULT_TOL, DEFAULT_REG_COVAR, DEFAULT_MAX_ITER, 1,
        GmmInit.KMEANS, null, null, null, null, 0);
  }

  /** Checks the shapes that depend on the data's dimension. */
  void checkDimension(int d) {
    Covariances.length(covarianceType, k, d); // refuses, before any work, covariances no array holds
    if (meansInit != null && meansInit[0].length != d) {
      throw new InputException("meansInit: means of " + meansInit[0].length + " values but the data have " + d
          + (d == 1 ? " column" : " columns"));
    }
    if (precisionsInit != null && precisionsInit.length != Covariances.length(covarianceType, k, d)) {
      throw new InputException("precisionsInit: " + covarianceType.id() + " precisions of " + k + " components in " + d
          + " dimensions need " + Covariances.length(covarianceType, k, d) + " values, got " + precisionsInit.length);
    }
    if (warmStart != null && warmStart.d() != d) {
      throw new InputException("warmStart: the model has " + warmStart.d() + " features but the data have " + d);
    }
  }
}
