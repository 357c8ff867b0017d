package io.clmix.engine.java;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;

/**
 * Safe bounds on the singular values that {@link SettledRows} needs once per pass and
 * component, from norms of matrix powers where they are tight enough, and from EJML's SVD where
 * not.
 *
 * <p>Why: the SVDs were most of a pass's serial start under full covariances. A pass of the
 * issue's full workload (k = d = 16) took two SVDs of a 16 x 16 matrix per component, 1.5 to 7.6
 * ms (mostly 1.6 to 2.4) of one thread while the other waited (docs/benchmarks.md, "The drift
 * without SVDs"), in passes of 18 to 38 ms. The bounds need a few d^3 flops instead.
 *
 * <p>Both bounds are one-sided the safe way: the settling tests stay correct with any interval
 * that contains the singular values, and any upper bound on a condition number; a wider interval
 * only settles fewer rows. Once a fit settles, the parameters barely move between passes, which
 * is where the bounds are tight.
 */
final class SingularBounds {
  /**
   * The bound on {@code |R^T R - I|} up to which {@link #range} answers without an SVD: beyond
   * it the square-root bounds lose their grip (at 1, no lower bound at all), so the SVD pays.
   */
  static final double NEAR_IDENTITY = 0.5;
  /** Squarings in {@link #spectralRadiusAtMost}: the bound is within {@code d^(1 / 2^(SQUARINGS + 1))} of the radius. */
  private static final int SQUARINGS = 4;
  /** Relative and absolute widening of a computed bound, for its rounding (about d^2 2^-53 relative at most). */
  private static final double ROUNDING = 1e-9;
  private static final double ROUNDING_ABS = 1e-12;

  /**
   * An interval {@code {lo, hi}} holding every singular value of the square matrix r, up to the
   * rounding of its last square root (a few units in the last place; the caller widens by far
   * more). The squared singular values are the eigenvalues of {@code R^T R = I + H} with
   * {@code H = E + E^T + E^T E}, {@code E = R - I}, and each eigenvalue of H lies within
   * {@code rho(H - t I)} of t, for any t: so in {@code [-h, h]} with h a bound on
   * {@code rho(H)}, and in {@code [t - g, t + g]} with {@code t = trace(H) / d} and g a bound on
   * {@code rho(H - t I)}. The interval is the intersection of the two, mapped through
   * {@code sqrt(1 + .)}. To first order in E that is {@code 1 -+ |sym(E)|}, as tight as the SVD's
   * answer, which is where settling needs it; the second form is exact for a rescaling
   * {@code R = c I}, which the first would widen on both sides. When h is above
   * {@link #NEAR_IDENTITY}, the SVD's smallest and largest (as EJML computes them, to within its
   * rounding). NaN when r is not finite.
   */
  static double[] range(DMatrixRMaj r) {
    for (int i = 0; i < r.getNumElements(); i++) {
      if (!Double.isFinite(r.data[i])) {
        return new double[] {Double.NaN, Double.NaN};
      }
    }
    int d = r.numRows;
    double[] dev = deviation(r);
    double h = spectralRadiusAtMost(dev.clone(), d);
    if (!(h <= NEAR_IDENTITY)) {
      // NaN here only from overflow in forming H: the SVD still has an answer.
      return svdExtremes(r);
    }
    double t = 0;
    for (int i = 0; i < d; i++) {
      t += dev[i * d + i];
    }
    t /= d;
    for (int i = 0; i < d; i++) {
      dev[i * d + i] -= t; // rounding: within the absolute widening, as |t| <= h <= 1/2
    }
    double g = spectralRadiusAtMost(dev, d);
    double low = Math.max(-h, t - g);
    double high = Math.min(h, t + g);
    return new double[] {Math.sqrt(1 + low), Math.sqrt(1 + high)};
  }

  /** The smallest and largest singular values of m by EJML's SVD (m is not changed). */
  private static double[] svdExtremes(DMatrixRMaj m) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double v : SingularOps_DDRM.singularValues(m.copy())) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new double[] {lo, hi};
  }

  /**
   * An upper bound on the spectral radius of {@code R^T R - I} for square r, formed as
   * {@code E + E^T + E^T E} with {@code E = R - I} (no cancellation against the identity).
   * Infinity or NaN when r is not finite.
   */
  static double identityDeviation(DMatrixRMaj r) {
    return spectralRadiusAtMost(deviation(r), r.numRows);
  }

  /** {@code R^T R - I} of the square r (d x d row-major), formed as {@code E + E^T + E^T E}. */
  private static double[] deviation(DMatrixRMaj r) {
    int d = r.numRows;
    double[] e = Arrays.copyOf(r.data, d * d);
    for (int i = 0; i < d; i++) {
      e[i * d + i] -= 1;
    }
    double[] h = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double s = e[i * d + j] + e[j * d + i];
        for (int a = 0; a < d; a++) {
          s += e[a * d + i] * e[a * d + j];
        }
        h[i * d + j] = s;
        h[j * d + i] = s;
      }
    }
    return h;
  }

  /**
   * An upper bound on the spectral radius of the symmetric d x d matrix h (destroyed):
   * {@code rho(H) = rho(H^m)^(1/m) <= |H^m|_F^(1/m)} with {@code m = 2^SQUARINGS}, the powers
   * formed by squaring and scaled back to unit norm at each step so nothing overflows or
   * vanishes, then widened for rounding. For a symmetric matrix the Frobenius norm of its m-th
   * power is at most {@code d^(1/2)} times the radius to the m-th, so the bound is within
   * {@code d^(1/(2m))} of it: 1.09 for d = 16. Infinity or NaN when h is not finite.
   */
  static double spectralRadiusAtMost(double[] h, int d) {
    double norm = frobenius(h);
    if (!Double.isFinite(norm)) {
      return norm;
    }
    if (norm == 0) {
      return 0;
    }
    scale(h, 1 / norm);
    // log of |H^m|_F / norm^m, accumulated as the powers are squared and rescaled.
    double logPower = 0;
    int power = 1;
    double[] sq = new double[d * d];
    for (int t = 0; t < SQUARINGS; t++) {
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          double s = 0;
          for (int a = 0; a < d; a++) {
            s += h[i * d + a] * h[a * d + j];
          }
          sq[i * d + j] = s;
          sq[j * d + i] = s;
        }
      }
      double f = frobenius(sq);
      if (!(f > 0)) {
        break; // only by rounding (a symmetric matrix of unit norm has a square of norm >= 1/sqrt(d)): the last power stands
      }
      scale(sq, 1 / f);
      logPower = 2 * logPower + Math.log(f);
      power *= 2;
      double[] swap = h;
      h = sq;
      sq = swap;
    }
    double radius = norm * Math.exp(logPower / power);
    return radius * (1 + ROUNDING) + ROUNDING_ABS;
  }

  private static void scale(double[] m, double by) {
    for (int i = 0; i < m.length; i++) {
      m[i] *= by;
    }
  }

  /** The Frobenius norm, scaled by the largest entry so that squares neither overflow nor vanish; NaN or infinity when an entry is. */
  private static double frobenius(double[] m) {
    return frobenius(m, m.length);
  }

  /** As {@link #frobenius(double[])} over {@code m[0..n)}. */
  private static double frobenius(double[] m, int n) {
    double largest = 0;
    for (int i = 0; i < n; i++) {
      largest = Math.max(largest, Math.abs(m[i])); // NaN stays NaN
    }
    if (!(largest > 0) || largest == Double.POSITIVE_INFINITY) {
      return largest;
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      double t = m[i] / largest;
      s += t * t;
    }
    return largest * Math.sqrt(s);
  }

  /**
   * The condition number (largest over smallest singular value) of the upper-triangular u, with a
   * finite nonzero diagonal, from above where it matters: {@code |u|_F |u^-1|_F} when that is at
   * most {@code limit}, else the SVD's ratio (to within EJML's rounding, which a review found up
   * to 1e-14 relative on either side: the limit is a heuristic with room to spare). So a caller
   * that only compares with limit gets the SVD's answer. Infinity or NaN where u is singular.
   */
  static double conditionAtMost(DMatrixRMaj u, double limit) {
    double bound = frobenius(u) * frobenius(inverseUpper(u)) * (1 + ROUNDING);
    if (bound <= limit) {
      return bound;
    }
    double[] extremes = svdExtremes(u);
    return extremes[1] / extremes[0];
  }

  private static double frobenius(DMatrixRMaj m) {
    return frobenius(m.data, m.getNumElements());
  }

  /**
   * The inverse of the upper-triangular u by back substitution, a column at a time (upper
   * triangular too). Not finite where u's diagonal has a zero.
   */
  private static DMatrixRMaj inverseUpper(DMatrixRMaj u) {
    int d = u.numRows;
    double[] a = u.data;
    DMatrixRMaj inv = new DMatrixRMaj(d, d);
    double[] x = inv.data;
    for (int j = 0; j < d; j++) {
      // Column j of the inverse: u x = e_j, so x_i = 0 for i > j.
      x[j * d + j] = 1 / a[j * d + j];
      for (int i = j - 1; i >= 0; i--) {
        double s = 0;
        for (int t = i + 1; t <= j; t++) {
          s += a[i * d + t] * x[t * d + j];
        }
        x[i * d + j] = -s / a[i * d + i];
      }
    }
    return inv;
  }
}
