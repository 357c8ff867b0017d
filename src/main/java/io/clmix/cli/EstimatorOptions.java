package io.clmix.cli;

import io.clmix.data.InputException;
import io.clmix.fit.GaussianMixtureOptions;
import io.clmix.fit.GmmInit;
import io.clmix.fit.KMeansInit;
import io.clmix.fit.KMeansOptions;
import io.clmix.model.CovarianceType;

/**
 * Turns the fitting options that {@code clmix fit} and {@code clmix select} share into the
 * library's {@link KMeansOptions} and {@link GaussianMixtureOptions}, filling in the library's
 * default for each one the command line left unset. Each command declares the options itself,
 * so its help can word them for what it does; the library validates the numbers.
 *
 * @param nInit {@code --n-init}: restarts, the best kept; from 1 to {@link #MAX_N_INIT}
 * @param maxIter {@code --max-iter}: iterations per restart at most, or null for the algorithm's default
 * @param tol {@code --tol}: convergence tolerance, or null for the algorithm's default
 * @param regCovar {@code --reg-covar}: added to the covariance diagonals (Gaussian mixtures only), or null
 *     for the library's default
 * @param seed {@code --seed}: the seed of every random choice
 */
record EstimatorOptions(int nInit, Integer maxIter, Double tol, Double regCovar, long seed) {
  /**
   * The most restarts the command line runs. The library takes any number (a caller who asks
   * for 5000 means it); on the command line a count beyond this is a typo or hours of work
   * (select multiplies it by every k and covariance type), refused before the data are read.
   */
  static final int MAX_N_INIT = 1000;

  /** @throws InputException naming --n-init when it is out of its range */
  EstimatorOptions {
    if (nInit < 1 || nInit > MAX_N_INIT) {
      throw InputException.parameter("--n-init", nInit, "an integer from 1 to " + MAX_N_INIT);
    }
  }

  /** K-means options for {@code k} clusters started by {@code init}. */
  KMeansOptions kmeans(int k, KMeansInit init) {
    return new KMeansOptions(k, init, nInit,
        maxIter == null ? KMeansOptions.DEFAULT_MAX_ITER : maxIter,
        tol == null ? KMeansOptions.DEFAULT_TOL : tol, seed);
  }

  /**
   * Gaussian-mixture options for {@code k} components of {@code type}, started by {@code init},
   * or from {@code meansInit} (k x d) when that is not null.
   */
  GaussianMixtureOptions gmm(int k, CovarianceType type, GmmInit init, double[][] meansInit) {
    return new GaussianMixtureOptions(k, type,
        tol == null ? GaussianMixtureOptions.DEFAULT_TOL : tol,
        regCovar == null ? GaussianMixtureOptions.DEFAULT_REG_COVAR : regCovar,
        maxIter == null ? GaussianMixtureOptions.DEFAULT_MAX_ITER : maxIter,
        nInit, init, null, meansInit, null, null, seed);
  }

  /**
   * The covariance type a {@code --covariance} value names, full when the option was not given
   * (fit and bench share it).
   *
   * @throws InputException naming the option and the types it accepts
   */
  static CovarianceType covarianceOption(String value) {
    if (value == null) {
      return CovarianceType.FULL;
    }
    try {
      return CovarianceType.parse(value);
    } catch (IllegalArgumentException e) {
      throw InputException.parameter("--covariance", "'" + value + "'", "full, tied, diag or spherical");
    }
  }
}
