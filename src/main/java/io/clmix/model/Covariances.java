package io.clmix.model;

import io.clmix.data.InputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The small dense algebra of Gaussian mixtures, in double precision with EJML: Cholesky
 * factors, precision Cholesky factors (scikit-learn's {@code precisions_cholesky_}) and their
 * log-determinants, for the four covariance types.
 *
 * <p>Layouts are flat and row-major, by type: FULL k x d x d, TIED d x d, DIAG k x d,
 * SPHERICAL k (variances). Precision factors {@code U} are upper triangular with
 * {@code U U^T = inverse(Sigma)}.
 */
public final class Covariances {
  private Covariances() {}

  /** Number of values of the covariance (or precision) array for a type. */
  public static int length(CovarianceType type, int k, int d) {
    switch (type) {
      case FULL:
        return k * d * d;
      case TIED:
        return d * d;
      case DIAG:
        return k * d;
      case SPHERICAL:
        return k;
      default:
        throw new AssertionError(type);
    }
  }

  /** Double precision's machine epsilon, 2^-52. */
  private static final double EPS = Math.ulp(1.0);

  /** What to tell a user whose covariance is not positive definite (scikit-learn's advice). */
  static String advice() {
    return "increase regCovar (--reg-covar), decrease the number of components, choose another covariance type, "
        + "or scale the input data";
  }

  /**
   * The precision Cholesky factors of {@code cov}.
   *
   * @throws InputException naming the component when a covariance is not positive definite
   */
  public static double[] precisionCholesky(CovarianceType type, double[] cov, int k, int d) {
    double[] out = new double[cov.length];
    switch (type) {
      case FULL:
        for (int c = 0; c < k; c++) {
          upperPrecisionFactor(cov, c * d * d, d, out, c * d * d, "component " + c);
        }
        return out;
      case TIED:
        upperPrecisionFactor(cov, 0, d, out, 0, "the tied covariance");
        return out;
      case DIAG:
      case SPHERICAL:
        for (int i = 0; i < cov.length; i++) {
          if (!(cov[i] > 0) || !Double.isFinite(cov[i])) {
            int c = type == CovarianceType.DIAG ? i / d : i;
            throw new InputException("the covariance of component " + c + " is not positive (variance " + cov[i]
                + "); " + advice());
          }
          out[i] = 1.0 / Math.sqrt(cov[i]);
        }
        return out;
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * {@code U = (L^-1)^T} where {@code L L^T = Sigma}: the upper-triangular factor of the
   * precision, computed without forming the inverse of Sigma.
   */
  private static void upperPrecisionFactor(double[] cov, int off, int d, double[] out, int outOff, String what) {
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    System.arraycopy(cov, off, a.data, 0, d * d);
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
    if (!chol.decompose(a)) {
      throw new InputException("the covariance of " + what + " is not positive definite; " + advice());
    }
    DMatrixRMaj lower = chol.getT(null);
    for (int i = 0; i < d; i++) {
      // L_ii^2 / Sigma_ii is the part of column i's variance the earlier columns do not explain.
      // Where rounding alone leaves it (a singular covariance, as with --reg-covar 0 on collinear
      // rows), the factor is noise of order 1/sqrt(eps) and the likelihood meaningless: refuse.
      double pivot = lower.get(i, i);
      if (!(pivot > 0) || !Double.isFinite(pivot) || pivot * pivot <= d * EPS * cov[off + i * d + i]) {
        throw new InputException("the covariance of " + what + " is not positive definite; " + advice());
      }
    }
    double[] inv = lower.data.clone();
    TriangularSolver_DDRM.invertLower(inv, d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        // out[i][j] = inv[j][i], upper triangular
        out[outOff + i * d + j] = j >= i ? inv[j * d + i] : 0.0;
      }
    }
  }

  /**
   * {@code log det U_k} for each component: the sum of the logs of the factor's diagonal
   * (scikit-learn's {@code _compute_log_det_cholesky}).
   */
  public static double[] logDetPrecisionCholesky(CovarianceType type, double[] precChol, int k, int d) {
    double[] out = new double[k];
    for (int c = 0; c < k; c++) {
      double s = 0;
      switch (type) {
        case FULL:
          for (int j = 0; j < d; j++) {
            s += Math.log(precChol[c * d * d + j * d + j]);
          }
          break;
        case TIED:
          for (int j = 0; j < d; j++) {
            s += Math.log(precChol[j * d + j]);
          }
          break;
        case DIAG:
          for (int j = 0; j < d; j++) {
            s += Math.log(precChol[c * d + j]);
          }
          break;
        case SPHERICAL:
          s = d * Math.log(precChol[c]);
          break;
        default:
          throw new AssertionError(type);
      }
      out[c] = s;
    }
    return out;
  }

  /**
   * Covariances from precision matrices (scikit-learn's {@code precisions_init} shapes, flat):
   * FULL and TIED invert each matrix through its Cholesky factor; DIAG and SPHERICAL take
   * reciprocals.
   *
   * @throws InputException naming the component when a precision is not positive definite
   */
  public static double[] fromPrecisions(CovarianceType type, double[] precisions, int k, int d) {
    double[] out = new double[precisions.length];
    switch (type) {
      case FULL:
      case TIED: {
        int mats = type == CovarianceType.FULL ? k : 1;
        checkSymmetric(precisions, mats, d);
        for (int m = 0; m < mats; m++) {
          DMatrixRMaj p = new DMatrixRMaj(d, d);
          System.arraycopy(precisions, m * d * d, p.data, 0, d * d);
          CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
          if (!chol.decompose(p)) {
            throw new InputException("precisionsInit: the precision of component " + m + " is not positive definite");
          }
          // inverse(P) = L^-T L^-1
          double[] li = chol.getT(null).data.clone();
          TriangularSolver_DDRM.invertLower(li, d);
          for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
              double s = 0;
              for (int r = Math.max(i, j); r < d; r++) {
                s += li[r * d + i] * li[r * d + j];
              }
              out[m * d * d + i * d + j] = s;
            }
          }
        }
        return out;
      }
      default:
        for (int i = 0; i < precisions.length; i++) {
          if (!(precisions[i] > 0) || !Double.isFinite(precisions[i])) {
            throw new InputException("precisionsInit: value " + precisions[i] + " at index " + i
                + " is not allowed; precisions must be finite and > 0");
          }
          out[i] = 1.0 / precisions[i];
        }
        return out;
    }
  }

  /**
   * Refuses full or tied precision matrices that are not finite and symmetric (within
   * scikit-learn's {@code np.allclose} tolerance, as its {@code precisions_init} check): the
   * Cholesky factorisation reads one triangle only, so an asymmetric matrix would silently be
   * taken as another one.
   */
  private static void checkSymmetric(double[] precisions, int mats, int d) {
    for (int i = 0; i < precisions.length; i++) {
      if (!Double.isFinite(precisions[i])) {
        throw new InputException("precisionsInit: value " + precisions[i] + " at index " + i
            + " is not allowed; precisions must be finite");
      }
    }
    for (int m = 0; m < mats; m++) {
      int o = m * d * d;
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < i; j++) {
          double lower = precisions[o + i * d + j];
          double upper = precisions[o + j * d + i];
          if (!(Math.abs(upper - lower) <= 1e-8 + 1e-5 * Math.abs(lower))) {
            throw new InputException("precisionsInit: the precision of component " + m + " is not symmetric: entry ("
                + (j + 1) + ", " + (i + 1) + ") is " + upper + " but entry (" + (i + 1) + ", " + (j + 1) + ") is "
                + lower);
          }
        }
      }
    }
  }

  /**
   * Lower Cholesky factors {@code L} of the covariances, for sampling ({@code x = mean + L z}).
   * DIAG and SPHERICAL return standard deviations.
   */
  public static double[] choleskyLower(CovarianceType type, double[] cov, int k, int d) {
    double[] out = new double[cov.length];
    switch (type) {
      case FULL:
      case TIED: {
        int mats = type == CovarianceType.FULL ? k : 1;
        for (int m = 0; m < mats; m++) {
          DMatrixRMaj a = new DMatrixRMaj(d, d);
          System.arraycopy(cov, m * d * d, a.data, 0, d * d);
          CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
          if (!chol.decompose(a)) {
            throw new InputException("the covariance of component " + m + " is not positive definite; " + advice());
          }
          System.arraycopy(chol.getT(null).data, 0, out, m * d * d, d * d);
        }
        return out;
      }
      default:
        for (int i = 0; i < cov.length; i++) {
          out[i] = Math.sqrt(cov[i]);
        }
        return out;
    }
  }
}
