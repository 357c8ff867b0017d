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

  /** Most values one Java array holds (a few below {@code Integer.MAX_VALUE}, as the JDK's lists keep). */
  private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

  /**
   * Number of values of the covariance (or precision) array for a type.
   *
   * @throws InputException when they are more than one array holds (k full covariances of d
   *     columns take k d^2 values: 30000 of 300 columns are 2.7e9)
   */
  public static int length(CovarianceType type, int k, int d) {
    long n;
    switch (type) {
      case FULL:
        n = (long) k * d * d;
        break;
      case TIED:
        n = (long) d * d;
        break;
      case DIAG:
        n = (long) k * d;
        break;
      case SPHERICAL:
        n = k;
        break;
      default:
        throw new AssertionError(type);
    }
    if (n > MAX_ARRAY) {
      throw new InputException(String.format(java.util.Locale.ROOT,
          "%d %s covariances of %d columns need %.3g values, more than one array holds; use fewer components or"
              + " columns, or diag covariances", type == CovarianceType.TIED ? 1 : k, type.id(), d, (double) n));
    }
    return (int) n;
  }

  /** Double precision's machine epsilon, 2^-52. */
  private static final double EPS = Math.ulp(1.0);

  /** What to tell a user whose covariance is not positive definite (scikit-learn's advice). */
  static String advice() {
    return "increase regCovar (--reg-covar), decrease the number of components, choose another covariance type, "
        + "or scale the input data";
  }

  /**
   * The least share of a column's variance that a fitted full or tied covariance may leave
   * unexplained by the columns before it ({@code 1 - R^2}, the squared Cholesky pivot over the
   * diagonal entry; a scale-free measure of collinearity). Below it the column is a linear
   * combination of the others to within float32's rounding of the data, and rounding decides
   * the answer. On 3000 rows {@code (x, y, x + y)} in 3 clusters the Java and PoCL engines'
   * lower bounds differed (relative) by 4e-3 with regCovar 0 (a share of 2e-14: the data's
   * float32 rounding), 1e-3 at a share of 2e-13, 1.1e-4 at 2e-12, 1e-5 at 2e-11 and 1.5e-6 at
   * 2e-10. The limit sits below what the default regCovar (1e-6) leaves any column whose
   * variance within a component is under 1e7: on unscaled data with an exact total column
   * (standard deviation 1000, share 1.7e-12) both engines came within 5e-4 of scikit-learn's
   * float64 lower bound, an answer worth giving; with regCovar 0 nothing lifts the share above
   * the rounding, and the fit is refused with what to do.
   */
  public static final double FIT_MIN_RESIDUAL_SHARE = 1e-13;

  /**
   * The precision Cholesky factors of {@code cov}.
   *
   * @throws InputException naming the component when a covariance is not positive definite
   */
  public static double[] precisionCholesky(CovarianceType type, double[] cov, int k, int d) {
    return precisionCholesky(type, cov, k, d, 0);
  }

  /**
   * The precision Cholesky factors of {@code cov}, as {@link #precisionCholesky(CovarianceType,
   * double[], int, int)}, refusing besides a full or tied covariance in which a column keeps less
   * than {@code minResidualShare} of its variance after the columns before it: a fit passes
   * {@link #FIT_MIN_RESIDUAL_SHARE}, so that its answer is not decided by rounding; a model
   * (which may come from float64 software) is checked against double precision only (0).
   *
   * @throws InputException naming the component (and the column) when a covariance is not
   *     positive definite, or singular to within float32 rounding
   */
  public static double[] precisionCholesky(CovarianceType type, double[] cov, int k, int d,
      double minResidualShare) {
    double[] out = new double[cov.length];
    switch (type) {
      case FULL:
        for (int c = 0; c < k; c++) {
          upperPrecisionFactor(cov, c * d * d, d, out, c * d * d, "the covariance of component " + c,
              minResidualShare);
        }
        return out;
      case TIED:
        upperPrecisionFactor(cov, 0, d, out, 0, "the tied covariance", minResidualShare);
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
  private static void upperPrecisionFactor(double[] cov, int off, int d, double[] out, int outOff, String what,
      double minResidualShare) {
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    System.arraycopy(cov, off, a.data, 0, d * d);
    CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(d, true);
    if (!chol.decompose(a)) {
      throw new InputException(what + " is not positive definite; " + advice());
    }
    DMatrixRMaj lower = chol.getT(null);
    for (int i = 0; i < d; i++) {
      // L_ii^2 / Sigma_ii is the part of column i's variance the earlier columns do not explain.
      // Where rounding alone leaves it (a singular covariance, as with --reg-covar 0 on collinear
      // rows), the factor is noise of order 1/sqrt(eps) and the likelihood meaningless: refuse.
      double pivot = lower.get(i, i);
      double variance = cov[off + i * d + i];
      if (!(pivot > 0) || !Double.isFinite(pivot) || pivot * pivot <= d * EPS * variance) {
        throw new InputException(what + " is not positive definite; " + advice());
      }
      // Positive definite in double, but column i is the others' combination to float32's
      // rounding (--reg-covar 0 on a column that is the sum of two others): which of the near
      // singular answers the fit gives would depend on the engine's order of float32 sums.
      double share = pivot * pivot / variance;
      if (share < minResidualShare) {
        throw new InputException(String.format(java.util.Locale.ROOT, "%s is singular to float32 rounding: column %d"
            + " is a linear combination of the column%s before it but for %.1e of its variance (a redundant column,"
            + " or a component on too few rows to span the columns); increase regCovar (--reg-covar), drop a"
            + " redundant column, or choose diag or spherical covariances", what, i + 1,
            i == 1 ? "" : "s", share));
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
