package io.clmix.engine.java;

import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;

/**
 * Component log-densities of one point in double precision: the definition the float kernels
 * approximate, used by {@link ReferenceGaussianPass} for every point and by
 * {@link VectorGaussianPass} for the few points where float would lose too much.
 *
 * <p>{@code lp[c] = log(weight_c N(x | mean_c, Sigma_c)) = logNorm[c] - |(x - mean_c) U_c|^2 / 2},
 * summed in column order. Immutable once built; {@link #logProbs} needs per-thread scratch.
 */
final class DoubleDensities {
  final MixtureParams p;
  private final int d;
  /** FULL/TIED: the transposed factors, so column j of U is a contiguous row. */
  private final double[] factorT;

  DoubleDensities(MixtureParams p) {
    this.p = p;
    this.d = p.d();
    if (p.type() == CovarianceType.FULL || p.type() == CovarianceType.TIED) {
      int mats = p.type() == CovarianceType.FULL ? p.k() : 1;
      double[] u = p.precisionCholesky();
      factorT = new double[u.length];
      for (int m = 0; m < mats; m++) {
        int base = m * d * d;
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < d; j++) {
            factorT[base + j * d + i] = u[base + i * d + j];
          }
        }
      }
    } else {
      factorT = null;
    }
  }

  /**
   * Fills {@code lp[c]} for every component with the log-density of the row at {@code x[xo]}
   * and returns their log-sum-exp, {@code log p(x)}. {@code diff} is scratch of length d.
   */
  double logProbs(float[] x, int xo, double[] lp, double[] diff) {
    int k = p.k();
    double[] mu = p.means();
    double[] u = p.precisionCholesky();
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      int mo = c * d;
      for (int j = 0; j < d; j++) {
        diff[j] = x[xo + j] - mu[mo + j];
      }
      double maha = 0;
      switch (p.type()) {
        case FULL:
        case TIED: {
          int base = p.type() == CovarianceType.FULL ? c * d * d : 0;
          for (int j = 0; j < d; j++) {
            int ro = base + j * d;
            double y = 0;
            for (int i = 0; i <= j; i++) {
              y += diff[i] * factorT[ro + i];
            }
            maha += y * y;
          }
          break;
        }
        case DIAG:
          for (int j = 0; j < d; j++) {
            double y = diff[j] * u[mo + j];
            maha += y * y;
          }
          break;
        case SPHERICAL: {
          double s = 0;
          for (int j = 0; j < d; j++) {
            s += diff[j] * diff[j];
          }
          maha = s * u[c] * u[c];
          break;
        }
        default:
          throw new AssertionError(p.type());
      }
      double v = p.logNorm()[c] - 0.5 * maha;
      lp[c] = v;
      if (v > max) {
        max = v;
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return max;
    }
    double s = 0;
    for (int c = 0; c < k; c++) {
      s += Math.exp(lp[c] - max);
    }
    return max + Math.log(s);
  }

  /** The most likely component; ties go to the lower index. */
  static int argmax(double[] lp) {
    int best = 0;
    for (int c = 1; c < lp.length; c++) {
      if (lp[c] > lp[best]) {
        best = c;
      }
    }
    return best;
  }
}
