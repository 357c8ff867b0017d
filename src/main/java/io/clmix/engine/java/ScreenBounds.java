package io.clmix.engine.java;

import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Rigorous upper bounds on the float32 screen's log-densities ({@link GaussianKernels}) from a
 * distance alone, so that {@link PrunedScreen} can skip a component that the screen would drop,
 * without computing it. One instance per pass: O(k^2 d) for the centre distances and, for full
 * and tied covariances, one symmetric eigenvalue problem of size d per precision factor.
 *
 * <h2>The bound</h2>
 *
 * For component c with precision factor U (upper triangular or diagonal) the exact
 * Mahalanobis distance is {@code |(x - mu)^T U|^2 >= lambda |x - mu|^2}, with lambda the
 * smallest eigenvalue of the precision {@code U U^T}. The screen does not compute it exactly: it
 * forms {@code y = (x - hi) U_f + bias} in float32 (FloatMixture) and sums {@code y_j^2} in
 * float. Standard error analysis of those operations (every float operation is correctly
 * rounded, unit roundoff {@code u = 2^-24}; an fma chain of n terms errs by at most
 * {@code gamma_n} times the sum of the terms' magnitudes) gives, per output column,
 * <pre>  |y_f,j - y_j| &lt;= (d + 4) u sum_a (|x_a - mu_a| + m_a) |U_aj|  (+ underflow terms)</pre>
 * where {@code m_a = 3 u |mu_a| + 2^-125} covers the float split {@code mu = hi + lo} of the
 * mean, the rounding of the bias {@code -(lo U)} and of the factor to float. Summed over the
 * columns, with {@code N >= || |U| ||_2} (the Frobenius norm of U for triangular factors, the
 * largest {@code |u_j|} for diagonal ones):
 * <pre>  |y_f| &gt;= s |x - mu| - a,   s = sqrt(lambda) - (d + 4) u N,   a = (d + 4) u N |m| + ...</pre>
 * The float sum of squares of dp non-negative terms, each fma rounding down by at most a factor
 * {@code 1 - u}, is at least {@code (1 - dp u) |y_f|^2}, and the last fma
 * {@code lnd - maha / 2} rounds up by at most {@code u} of its magnitude. So for every row with
 * {@code |x - mu_c| >= dist}, the screen's value of component c is at most
 * {@link #upper upper(c, dist)}. Every double operation here is rounded towards safety by
 * relative slacks of 2^-40 and more, which dwarf double rounding (2^-53) by orders of magnitude.
 *
 * <p>The eigenvalue comes from EJML's symmetric QR algorithm, backward stable: its error is a
 * small multiple of {@code d eps ||P||} (eps = 2^-53, {@code ||P|| <= trace P}), and the bound
 * subtracts {@code (d + 16) 2^-36 trace P}, at least 2^17 times {@code d eps trace P}, from it;
 * a component whose bound on lambda is not positive, or whose slope s is not (a condition
 * number near 10^9 / d or worse), is bounded through its
 * normaliser alone ({@code maha >= 0}).
 *
 * <p>The distance comes from the triangle inequality through a reference component b (the
 * row's most likely component in the previous pass): {@code |x - mu_c| >= |mu_b - mu_c| -
 * |x - mu_b|}; the centre distances are rounded down here ({@link #centreDistance}) and
 * {@code |x - mu_b|} up by {@link #radius}.
 *
 * <h2>The cut</h2>
 *
 * The screen keeps component c when its float value is at least
 * {@code T(top) = top - (MARGIN + |top| MARGIN_REL)}, computed in float, with top the row's
 * largest float value. {@link #cut} is a lower bound on T(top) for every top at least m0 (any
 * float value of the row the caller has computed): with the three float roundings of T,
 * {@code T(top) >= f(top) = top - |top| / 256 - 50 - u (1.008 |top| + 100.01) - 2^-150}, and f
 * increases with top. So a component whose upper bound is below {@code cut(m0)} is below the
 * screen's threshold and would have been dropped: skipping it changes no bit.
 *
 * <h2>Where nothing is claimed</h2>
 *
 * The analysis assumes finite arithmetic without overflow. Parameters that are not finite
 * (log normalisers of -infinity excepted, which make every value -infinity) or of absurd range
 * disable pruning for the pass ({@link #usable}); {@link #overflowFree} keeps the screen's
 * products far below the float range for the rows a test covers; callers skip rows whose values
 * are not finite.
 */
final class ScreenBounds {
  /** Unit roundoff of float32. */
  private static final double U = 0x1p-24;
  /** Relative slack of bounds computed here in double (rounding is 2^-53 per operation). */
  private static final double SLACK = 0x1p-45;
  /** Values of the screen's products stay below this (the float range ends near 3.4e38). */
  private static final double PRODUCT_LIMIT = 1e30;
  /** Differences x - mean stay below this. */
  private static final double DIFFERENCE_LIMIT = 1e37;

  private final int k;
  private final int d;
  private final CovarianceType type;
  /** Whether any bound may be used this pass. */
  final boolean usable;
  /** Per component: the precision's extreme eigenvalues (lower and upper bounds), and the float normaliser. */
  private final double[] lambdaMin;
  private final double[] normU;
  private final double[] lnd;
  /** Per component: the float screen's error per unit of |x - mu| and its absolute part. */
  private final double[] errRel;
  private final double[] errAbs;
  /** Per component: the largest |x - mu_c| for which the float screen's products are safe. */
  private final double[] safeDistance;
  /** {@code 1 - (dp + 4) u}, a little less: the float sum of squares against the exact one. */
  private final double sumScale;
  /** Absolute underflow allowance of the float sum of squares. */
  private final double sumFloor;
  /** Relative slack of distances computed in double. */
  private final double distanceSlack;
  /**
   * Per pair (b, c), k x k: {@code |mu_b - mu_c|} rounded down and up, the Mahalanobis length
   * {@code |U_c^T (mu_b - mu_c)|} rounded down, and {@code |P_c (mu_b - mu_c)|} rounded up.
   */
  private final double[] centreLow;
  private final double[] centreHigh;
  private final double[] maha;
  private final double[] pull;
  private final double[] means;
  private final double[] factor;

  ScreenBounds(MixtureParams p, FloatMixture m) {
    this.k = p.k();
    this.d = p.d();
    this.type = p.type();
    this.means = p.means();
    this.factor = p.precisionCholesky();
    this.lambdaMin = new double[k];
    this.normU = new double[k];
    this.lnd = new double[k];
    this.errRel = new double[k];
    this.errAbs = new double[k];
    this.safeDistance = new double[k];
    this.centreLow = new double[k * k];
    this.centreHigh = new double[k * k];
    this.maha = new double[k * k];
    this.pull = new double[k * k];
    int sums = (m.triangular ? m.dp : d) + 4;
    this.sumScale = (1 - sums * U) * (1 - SLACK);
    this.sumFloor = sums * 0x1p-149;
    this.distanceSlack = (d + 64) * 0x1p-52;
    this.usable = finite(p);
    if (usable) {
      factors(p, m);
      pairs(p);
    }
  }

  /** All means and factors finite and of sane range; log normalisers finite or -infinity. */
  private static boolean finite(MixtureParams p) {
    for (double v : p.means()) {
      if (!(Math.abs(v) < 0x1p100)) {
        return false;
      }
    }
    for (double v : p.precisionCholesky()) {
      double a = Math.abs(v);
      if (!(a < 0x1p100) || (a != 0 && a < 0x1p-100)) {
        return false;
      }
    }
    for (double v : p.logNorm()) {
      if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
        return false;
      }
    }
    return true;
  }

  /** Eigenvalue bounds, float error coefficients and safe distances per component. */
  private void factors(MixtureParams p, FloatMixture m) {
    double[] u = p.precisionCholesky();
    double eps = (d + 4) * U;
    double[] extremes = new double[2];
    for (int c = 0; c < k; c++) {
      double norm; // >= || |U| ||_2
      double largest; // largest |entry|
      switch (type) {
        case FULL:
        case TIED: {
          int base = type == CovarianceType.FULL ? c * d * d : 0;
          if (type == CovarianceType.FULL || c == 0) {
            extremeEigenvalues(u, base, d, extremes);
          }
          double tr = 0;
          double mx = 0;
          for (int i = 0; i < d * d; i++) {
            tr += u[base + i] * u[base + i];
            mx = Math.max(mx, Math.abs(u[base + i]));
          }
          lambdaMin[c] = extremes[0];
          normU[c] = Math.sqrt(extremes[1]) * (1 + SLACK);
          norm = Math.sqrt(tr) * (1 + SLACK);
          largest = mx;
          break;
        }
        case DIAG: {
          double mn = Double.POSITIVE_INFINITY;
          double mx = 0;
          for (int j = 0; j < d; j++) {
            double a = Math.abs(u[c * d + j]);
            mn = Math.min(mn, a);
            mx = Math.max(mx, a);
          }
          lambdaMin[c] = mn * mn * (1 - SLACK);
          normU[c] = mx;
          norm = mx;
          largest = mx;
          break;
        }
        case SPHERICAL: {
          double a = Math.abs(u[c]);
          lambdaMin[c] = a * a * (1 - SLACK);
          normU[c] = a;
          norm = a;
          largest = a;
          break;
        }
        default:
          throw new AssertionError(type);
      }
      double meanNorm = 0;
      for (int j = 0; j < d; j++) {
        meanNorm += means[c * d + j] * means[c * d + j];
      }
      // |m| <= 3u |mu| + sqrt(d) 2^-125; the error is (d+4) u N (|x - mu| + |m|) + sqrt(dp) (d+2) 2^-149.
      double mNorm = 3 * U * Math.sqrt(meanNorm) * (1 + SLACK) + Math.sqrt(d) * 0x1p-125;
      errRel[c] = eps * norm * (1 + SLACK);
      errAbs[c] = (eps * norm * mNorm + Math.sqrt(m.dp + 4.0) * (d + 2) * 0x1p-149) * (1 + SLACK);
      lnd[c] = m.logNormDelta[c];
      safeDistance[c] = largest > 0 ? Math.min(DIFFERENCE_LIMIT, PRODUCT_LIMIT / largest) : DIFFERENCE_LIMIT;
    }
  }

  /**
   * Bounds on the extreme eigenvalues of {@code U U^T} for the d x d row-major factor at
   * {@code u[base]}, into {@code out[0]} (smallest, rounded down, at least 0) and
   * {@code out[1]} (largest, rounded up): EJML's symmetric eigenvalues widened by
   * {@code (d + 16) 2^-36 trace}, which covers forming the product and the solver's backward
   * error. A failed decomposition gives the trivial bounds 0 and the trace.
   */
  static void extremeEigenvalues(double[] u, int base, int d, double[] out) {
    DMatrixRMaj prec = new DMatrixRMaj(d, d);
    double trace = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double s = 0;
        for (int a = Math.max(i, j); a < d; a++) {
          s += u[base + i * d + a] * u[base + j * d + a];
        }
        prec.unsafe_set(i, j, s);
        prec.unsafe_set(j, i, s);
      }
      trace += prec.unsafe_get(i, i);
    }
    double widen = (d + 16) * 0x1p-36 * trace;
    out[0] = 0;
    out[1] = trace * (1 + SLACK) + widen;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
    if (!eig.decompose(prec)) {
      return;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
      double v = eig.getEigenvalue(i).getReal();
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (!(min - widen > 0) || !Double.isFinite(max)) {
      return;
    }
    out[0] = min - widen;
    out[1] = Math.min(out[1], max + widen);
  }

  /** The pair quantities: centre distances, Mahalanobis lengths and pulls. */
  private void pairs(MixtureParams p) {
    double[] u = p.precisionCholesky();
    double[] delta = new double[d];
    double[] y = new double[d];
    double down = 1 - distanceSlack;
    double up = 1 + distanceSlack;
    for (int b = 0; b < k; b++) {
      for (int c = 0; c < k; c++) {
        if (b == c) {
          continue;
        }
        double s = 0;
        for (int j = 0; j < d; j++) {
          delta[j] = means[b * d + j] - means[c * d + j];
          s += delta[j] * delta[j];
        }
        double dist = Math.sqrt(s);
        centreLow[b * k + c] = dist * down;
        centreHigh[b * k + c] = dist * up;
        double m2 = 0;
        double a2 = 0;
        switch (type) {
          case FULL:
          case TIED: {
            int base = type == CovarianceType.FULL ? c * d * d : 0;
            for (int j = 0; j < d; j++) { // y = U^T delta
              double t = 0;
              for (int a = 0; a <= j; a++) {
                t += delta[a] * u[base + a * d + j];
              }
              y[j] = t;
              m2 += t * t;
            }
            for (int i = 0; i < d; i++) { // P delta = U y
              double t = 0;
              for (int j = i; j < d; j++) {
                t += u[base + i * d + j] * y[j];
              }
              a2 += t * t;
            }
            break;
          }
          case DIAG:
            for (int j = 0; j < d; j++) {
              double uj = u[c * d + j];
              double t = delta[j] * uj;
              m2 += t * t;
              a2 += t * uj * t * uj;
            }
            break;
          case SPHERICAL: {
            double uc = u[c] * u[c];
            m2 = s * uc;
            a2 = s * uc * uc;
            break;
          }
          default:
            throw new AssertionError(type);
        }
        maha[b * k + c] = Math.sqrt(m2) * down;
        pull[b * k + c] = Math.sqrt(a2) * up;
      }
    }
  }

  /**
   * {@code |x - mu_b|} rounded up, from {@code |x - mu_b|^2} as {@link ExactDensities#squaredDistance}
   * sums it in double (relative error at most about {@code d 2^-53}, which the slack dwarfs).
   */
  double radius(double squaredDistance) {
    return Math.sqrt(squaredDistance) * (1 + distanceSlack);
  }

  /**
   * Whether the screen's float products for component c stay far from overflow on every row
   * with {@code |x - mu_b| <= r}: then no value of c is NaN and {@link #upper} holds.
   */
  boolean overflowFree(int b, int c, double r) {
    return r + centreHigh[b * k + c] + 1 < safeDistance[c];
  }

  /**
   * A lower bound on the exact {@code |U_c^T (x - mu_c)|^2} over every x with
   * {@code |x - mu_b| <= r}, b != c: with {@code delta = mu_b - mu_c} and {@code e = x - mu_b},
   * the larger of
   * <ul>
   *   <li>{@code lambda_min (|delta| - r)^2} (triangle inequality);
   *   <li>{@code (|U^T delta| - ||U|| r)^2} (triangle inequality in the metric of c);
   *   <li>{@code |U^T delta|^2 - 2 |P delta| t + lambda_min t^2} minimised over t = |e| in [0, r]
   *       (the expansion {@code (delta + e)^T P (delta + e)} with Cauchy-Schwarz on the cross term).
   * </ul>
   * Each is computed with an absolute slack of 2^-45 times the magnitudes involved.
   */
  private double mahalanobisLow(int b, int c, double r) {
    int bc = b * k + c;
    double lam = lambdaMin[c];
    double best = 0;
    double t = centreLow[bc] - r;
    if (t > 0) {
      best = lam * t * t * (1 - SLACK);
    }
    double m = maha[bc];
    double nr = normU[c] * r;
    t = m - nr;
    if (t > 0) {
      best = Math.max(best, t * t - SLACK * (m * m + nr * nr));
    }
    double a = pull[bc];
    double q;
    if (lam > 0 && r * lam > a) {
      q = m * m - a * a / lam - SLACK * (m * m + a * a / lam);
    } else {
      q = m * m - 2 * a * r + lam * r * r - SLACK * (m * m + 2 * a * r + lam * r * r);
    }
    return Math.max(best, q);
  }

  /**
   * An upper bound on component c's float screen value ({@code lp_c} as {@link GaussianKernels}
   * computes it, relative to {@link FloatMixture#logNormShift}) for every row with
   * {@code |x - mu_b| <= r}, given {@link #overflowFree}; b may be c itself.
   */
  double upper(int b, int c, double r) {
    return upperFrom(c, b == c ? 0 : mahalanobisLow(b, c, r), centreHigh[b * k + c] + r);
  }

  /**
   * As {@link #upper} for every row inside the box {@code [lo_j, hi_j]} of float values (a
   * sub-block's extent), or +infinity where the float products of such rows could come near
   * overflow. Diagonal factors: the exact minimum of {@code sum_j (u_j (x_j - mu_j))^2} over the
   * box, which separates by column. Triangular ones: interval arithmetic on
   * {@code y_j = sum_a (x_a - mu_a) U_aj}, {@code |y_j| >= |centre_j| - radius_j}.
   */
  double upperInBox(int c, float[] lo, float[] hi) {
    double far = 0; // |x - mu_c|^2 at the farthest corner
    double q = 0;
    int mo = c * d;
    if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
      for (int j = 0; j < d; j++) {
        double a = lo[j] - means[mo + j];
        double b = means[mo + j] - hi[j];
        double gap = Math.max(0, Math.max(a, b));
        double uj = type == CovarianceType.DIAG ? factor[mo + j] : factor[c];
        q += uj * uj * gap * gap;
        double f = Math.max(-a, -b);
        far += f * f;
      }
    } else {
      int base = type == CovarianceType.FULL ? c * d * d : 0;
      for (int j = 0; j < d; j++) {
        double centre = 0;
        double radius = 0;
        double magnitude = 0;
        for (int a = 0; a <= j; a++) {
          double uaj = factor[base + a * d + j];
          double ca = 0.5 * ((double) lo[a] + hi[a]) - means[mo + a];
          double wa = 0.5 * ((double) hi[a] - lo[a]);
          centre += ca * uaj;
          radius += wa * Math.abs(uaj);
          magnitude += Math.abs(ca * uaj);
        }
        double y = Math.abs(centre) - radius * (1 + SLACK) - SLACK * magnitude;
        if (y > 0) {
          q += y * y;
        }
        double f = Math.max(Math.abs(lo[j] - means[mo + j]), Math.abs(hi[j] - means[mo + j]));
        far += f * f;
      }
    }
    double dist = Math.sqrt(far) * (1 + distanceSlack);
    if (!(dist + 1 < safeDistance[c])) {
      return Double.POSITIVE_INFINITY;
    }
    return upperFrom(c, q * (1 - distanceSlack), dist);
  }

  /**
   * The bound on c's float value for rows whose exact Mahalanobis distance is at least
   * {@code q} and whose distance to mu_c is at most {@code dist}.
   */
  private double upperFrom(int c, double q, double dist) {
    double l = lnd[c];
    if (l == Double.NEGATIVE_INFINITY) {
      return l; // weight 0: the screen's value is -infinity whatever the row
    }
    // |y_f| >= |y| - errRel |x - mu_c| - errAbs.
    double y = q > 0 ? Math.sqrt(q) * (1 - SLACK) - errRel[c] * dist * (1 + SLACK) - errAbs[c] : 0;
    double mf = y > 0 ? Math.max(0, y * y * sumScale - sumFloor) : 0;
    double z = l - 0.5 * mf;
    return z + U * Math.abs(z) + SLACK * (Math.abs(l) + 0.5 * mf) + 0x1p-140;
  }

  /**
   * A lower bound on the screen's threshold {@code T(top)} for every float top at least
   * {@code m0} (finite): see the class comment.
   */
  static double cut(float m0) {
    double a = Math.abs((double) m0);
    return m0 - a * VectorGaussianPass.MARGIN_REL - VectorGaussianPass.MARGIN - 0x1p-20 * (a + 128);
  }
}
