package io.clmix.fit;

import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;
import io.clmix.model.Covariances;
import io.clmix.model.GaussianMixtureModel;

/**
 * The parameters of a mixture during a fit, in the data's local coordinates and double
 * precision: weights, means, covariances, and the precision Cholesky factors with their
 * log-determinants, which the E-step needs.
 */
final class GmmParams {
  final CovarianceType type;
  final int k;
  final int d;
  final double[] weights;
  final double[] means;
  final double[] covariances;
  final double[] precisionCholesky;
  final double[] logDet;

  /**
   * @throws io.clmix.data.InputException naming the component when a covariance is not positive definite
   */
  GmmParams(CovarianceType type, int k, int d, double[] weights, double[] means, double[] covariances) {
    this.type = type;
    this.k = k;
    this.d = d;
    this.weights = weights;
    this.means = means;
    this.covariances = covariances;
    // No NaN may reach a model: a non-finite weight or mean (from overflowing statistics) stops
    // the fit here with advice, before the covariance check reports something less clear.
    for (int c = 0; c < k; c++) {
      boolean finite = Double.isFinite(weights[c]);
      for (int j = 0; j < d && finite; j++) {
        finite = Double.isFinite(means[c * d + j]);
      }
      if (!finite) {
        throw new io.clmix.data.InputException("component " + c + " has a non-finite weight or mean after an EM"
            + " step; the data may hold extreme outliers or values beyond float32's resolution: remove the"
            + " outliers, scale the data, or increase regCovar (--reg-covar)");
      }
    }
    // Stricter than a model's check: a fit must not hand the engines a covariance that is singular
    // to float32 rounding, where the answer would depend on the order of their sums.
    this.precisionCholesky = Covariances.precisionCholesky(type, covariances, k, d, Covariances.FIT_MIN_RESIDUAL_SHARE);
    this.logDet = Covariances.logDetPrecisionCholesky(type, precisionCholesky, k, d);
  }

  /** What the engine's E-step takes. */
  MixtureParams toMixtureParams() {
    return new MixtureParams(k, d, type, means, precisionCholesky, GaussianMixtureModel.logNorm(weights, logDet, d));
  }

  /** {@link #nearestMean(CovarianceType, double[][], double)} with unit variance. */
  static MixtureParams nearestMean(CovarianceType type, double[][] means) {
    return nearestMean(type, means, 1);
  }

  /**
   * Parameters whose hard E-step assigns every row to its nearest mean (ties to the lower
   * index): equal weights and the covariance {@code variance} times the identity for every
   * component. Any variance gives the same nearest means in exact arithmetic; the data's own
   * scale keeps them apart in the engines' float32 log-densities, where the identity on data of
   * scale 1e-9 made every squared distance vanish beside the log normaliser (every row went to
   * component 0) and on very spread data would overflow. A variance that is not a positive
   * finite number counts as 1.
   */
  static MixtureParams nearestMean(CovarianceType type, double[][] means, double variance) {
    int k = means.length;
    int d = means[0].length;
    double v = variance > 0 && Double.isFinite(variance) ? variance : 1;
    double inverseSigma = 1 / Math.sqrt(v);
    double[] flat = new double[k * d];
    for (int c = 0; c < k; c++) {
      System.arraycopy(means[c], 0, flat, c * d, d);
    }
    double[] factor = new double[Covariances.length(type, k, d)];
    switch (type) {
      case FULL:
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            factor[c * d * d + j * d + j] = inverseSigma;
          }
        }
        break;
      case TIED:
        for (int j = 0; j < d; j++) {
          factor[j * d + j] = inverseSigma;
        }
        break;
      default:
        java.util.Arrays.fill(factor, inverseSigma);
    }
    double[] logNorm = new double[k];
    java.util.Arrays.fill(logNorm, -Math.log(k) + d * Math.log(inverseSigma) - 0.5 * d * Math.log(2 * Math.PI));
    return new MixtureParams(k, d, type, flat, factor, logNorm);
  }

}
