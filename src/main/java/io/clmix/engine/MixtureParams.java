package io.clmix.engine;

import io.clmix.model.CovarianceType;
import io.clmix.model.Covariances;

/**
 * The parameters of a Gaussian mixture in the form an E-step needs, in the data set's local
 * coordinates: means, the Cholesky factor of each precision matrix, and a per-component log
 * normaliser.
 *
 * <p>For component k, with {@code y = (x - mean_k) U_k} where {@code U_k} is the upper-triangular
 * precision Cholesky factor ({@code U_k U_k^T = inverse(Sigma_k)}, scikit-learn's
 * {@code precisions_cholesky_}):
 * <pre>  log( weight_k N(x | mean_k, Sigma_k) ) = logNorm[k] - |y|^2 / 2
 *   logNorm[k] = log weight_k + log det U_k - d/2 log(2 pi)</pre>
 *
 * <p>Parameters are given in double precision, as the M-step computes them; a float32 device
 * rounds them once per pass.
 *
 * <p>Layout of {@code precisionCholesky}, row-major, by covariance type:
 * FULL k x d x d (entry (i, j) of component c at {@code (c*d + i)*d + j}; zero below the
 * diagonal), TIED d x d, DIAG k x d (1 / sigma per column), SPHERICAL k (1 / sigma).
 *
 * @param k number of components
 * @param d number of columns
 * @param type covariance type
 * @param means {@code k * d} means, row-major
 * @param precisionCholesky precision Cholesky factors in the layout above
 * @param logNorm {@code k} log normalisers (log weight + log det U - d/2 log 2 pi)
 */
public record MixtureParams(int k, int d, CovarianceType type, double[] means, double[] precisionCholesky, double[] logNorm) {
  public MixtureParams {
    if (k <= 0 || d <= 0) {
      throw new IllegalArgumentException("k and d must be positive, got " + k + " and " + d);
    }
    if (means.length != k * d) {
      throw new IllegalArgumentException("means need " + (k * d) + " values, got " + means.length);
    }
    if (precisionCholesky.length != precisionLength(type, k, d)) {
      throw new IllegalArgumentException(type.id() + " precision factors need " + precisionLength(type, k, d)
          + " values, got " + precisionCholesky.length);
    }
    if (logNorm.length != k) {
      throw new IllegalArgumentException("logNorm needs " + k + " values, got " + logNorm.length);
    }
  }

  /** Number of values in the precision Cholesky array for this type. */
  public static int precisionLength(CovarianceType type, int k, int d) {
    return Covariances.length(type, k, d);
  }

  /** The scatter an E-step for this type accumulates. */
  public SufficientStats.Scatter scatterShape() {
    switch (type) {
      case FULL:
        return SufficientStats.Scatter.FULL;
      case TIED:
        return SufficientStats.Scatter.TIED;
      default:
        return SufficientStats.Scatter.DIAG;
    }
  }
}
