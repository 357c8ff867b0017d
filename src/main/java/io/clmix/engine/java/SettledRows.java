package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.TriangularSolver_DDRM;

/**
 * Rows whose float screen is provably the same as in the previous pass: the same one or two
 * components kept. The pass skips their screen (k components' O(d) or O(d^2) float work per row)
 * and evaluates those pairs in double as usual. The mixture's analogue of the bounds that let
 * K-means skip a point's distances while the centres barely move (docs/math.md, "Settled rows").
 *
 * <p>Per row, from its last pass: the one or two components it kept ({@link #references} and
 * {@link #partners}; -1 when it kept more), an upper bound {@code S} on every other component's
 * float screen value ({@link #bounds}), and the kept components' double log-densities
 * ({@link #own}, {@link #ownPartners}). No value moves further than the parameters did: with
 * {@code y = (x - mu) U} (U the precision's Cholesky factor),
 * {@code a |y| - b <= |y'| <= grow |y| + b}, where {@code a} and {@code grow} bound the smallest
 * singular value of {@code U^-1 U'} from below and the largest from above
 * ({@link SingularBounds}: no SVD where the parameters barely move) and
 * {@code b = |(mu - mu') U'|}. Taken over
 * all components ({@link Drift}), this bounds the other components' new values from above with
 * one square root per row, and each kept component's from below and above with one or two more.
 * When the others fall below the screen's threshold and the kept ones stay above it, the screen
 * would keep exactly those: the row is settled without reading its data, its upper bound carries
 * over to the next pass, and the double evaluation refreshes its kept components' values.
 *
 * <p>The screen's float values differ from the exact ones; the bounds allow an error of
 * {@link #DELTA} {@code (|logNorm - shift| + Q / 2 + 1)} (Q the squared Mahalanobis distance).
 * That holds for diagonal factors whatever their scales, and for triangular ones up to
 * {@link #MAX_CONDITION}: beyond, the triangular product's float cancellation outgrows it, and
 * no row settles. So a settled row keeps exactly what the screen would give it, and every
 * returned bit is the unsettled pass's ({@code SettledRowsTest}, which also screens settled rows
 * and checks that the screen agrees).
 *
 * <p>Only where the screen computes every component (no {@link ScreenBounds} pruning): the
 * pruned screen leaves out the values an upper bound needs. State is O(n), two ints and three
 * floats per row, and is only kept where it fits in an eighth of the heap ({@link #affordable}); it is
 * valid for one set of parameters ({@link #previous}): a pass that does not finish leaves none,
 * and the next pass screens every row.
 */
final class SettledRows {
  /** The float screen's error, relative to {@code |logNorm - shift| + Q / 2 + 1}. */
  static final double DELTA = 0x1p-10;

  /**
   * The largest condition number of a triangular factor U (the square root of the covariance's)
   * for which {@link #DELTA} holds with room to spare: the triangular product cancels in float
   * for points along a broad direction, and a review measured the error at 0.5% of DELTA's
   * allowance for covariances of condition 10^6 (U: 10^3), 25% at 10^8 and 18 times over at
   * 10^12. Beyond it no row settles (diagonal factors do not mix columns and have no limit).
   */
  static final double MAX_CONDITION = 1e3;

  private final int[][] reference;
  /** Per row: the second component it kept, when it kept two ({@link #reference} the first); else -1. */
  private final int[][] partner;
  private final float[][] bound;
  /** Per row: its reference's double log-density in the last pass, as a float no greater ({@link FloatBounds#atMost}; NaN: none). */
  private final float[][] own;
  /** Per row: its partner's double log-density in the last pass, as a float no greater (NaN: none). */
  private final float[][] ownPartner;
  /** The parameters the state holds for; null: none (every row is screened). */
  private MixtureParams previous;
  private double previousShift;
  /** Whether {@link #previous} is within {@link #MAX_CONDITION}; and the same for the pass under way. */
  private boolean previousConditioned;
  private boolean conditioned;

  /** Bytes of state per row: the reference and its partner, the bound, and their own values. */
  static final int BYTES_PER_ROW = 20;

  /**
   * Whether the state for {@code data} fits in an eighth of the heap: data larger than the heap
   * (memory-mapped) would otherwise trade a speed-up for an out-of-memory failure.
   */
  static boolean affordable(Dataset data, long maxHeap) {
    return data.rows() <= maxHeap / 8 / BYTES_PER_ROW;
  }

  SettledRows(Dataset data) {
    reference = new int[data.chunkCount()][];
    bound = new float[data.chunkCount()][];
    own = new float[data.chunkCount()][];
    partner = new int[data.chunkCount()][];
    ownPartner = new float[data.chunkCount()][];
    for (int c = 0; c < reference.length; c++) {
      reference[c] = new int[data.rowsIn(c)];
      partner[c] = new int[data.rowsIn(c)];
      ownPartner[c] = new float[data.rowsIn(c)];
      Arrays.fill(partner[c], -1);
      Arrays.fill(ownPartner[c], Float.NaN);
      bound[c] = new float[data.rowsIn(c)];
      own[c] = new float[data.rowsIn(c)];
      Arrays.fill(own[c], Float.NaN);
      Arrays.fill(reference[c], -1);
    }
  }

  /**
   * Starts a pass with parameters {@code p} (float values relative to {@code shift}): the drift
   * from the state's parameters, or null when no row can be settled (no state, another shape,
   * parameters that are not finite, triangular factors beyond {@link #MAX_CONDITION}). Until
   * {@link #finish} the state is invalid, so a pass that fails leaves none. A component of
   * weight 0 (log normaliser -infinity) makes the drift unusable too: nothing settles.
   */
  Drift begin(MixtureParams p, double shift) {
    MixtureParams old = previous;
    double oldShift = previousShift;
    previous = null;
    // Once per set of parameters: this pass's answer is the next pass's previousConditioned.
    conditioned = Drift.condition(p) <= MAX_CONDITION;
    if (old == null || old.k() != p.k() || old.d() != p.d() || old.type() != p.type() || !previousConditioned
        || !conditioned) {
      return null;
    }
    Drift drift = Drift.between(old, oldShift, p, shift);
    return drift != null && drift.usable() ? drift : null;
  }

  /** Ends a pass that updated every row's state: the state now holds for {@code p}. */
  void finish(MixtureParams p, double shift) {
    // A copy: a caller may change the arrays of the parameters it passed in place.
    previous = new MixtureParams(p.k(), p.d(), p.type(), p.means().clone(), p.precisionCholesky().clone(),
        p.logNorm().clone());
    previousShift = shift;
    previousConditioned = conditioned;
  }

  int[] references(int chunk) {
    return reference[chunk];
  }

  float[] bounds(int chunk) {
    return bound[chunk];
  }

  float[] own(int chunk) {
    return own[chunk];
  }

  int[] partners(int chunk) {
    return partner[chunk];
  }

  float[] ownPartners(int chunk) {
    return ownPartner[chunk];
  }

  /**
   * How far the parameters moved between two passes, in the terms of the bounds: over the
   * components, a lower bound {@code a} on the smallest singular value of {@code U^-1 U'} (at
   * most 1) and an upper bound {@code grow} on the largest; the largest {@code b = |(mu - mu') U'|}; the largest rise of a log
   * normaliser (the new one inflated, the old one deflated by the float error, each in its pass's
   * shifted units) and the largest deflated old one; and both passes' log normalisers. Per
   * component too ({@code aOf}, {@code growOf}, {@code bOf}): a row's own components are bounded
   * with their own drift, not the worst component's. In the diag benchmark's middle passes one
   * component moves (b up to 0.37, a down to 0.95) while the others have come to rest (b about
   * 0.03, a above 0.99). With the worst drift applied to every row's own value, most of the rows
   * that failed the check in the sixth pass, and a quarter to a third in the middle passes,
   * failed it on their own value alone (docs/benchmarks.md, "Own values with their own drift").
   * The others' bound keeps the worst drift: which component a row's other bound came from is
   * not kept.
   */
  record Drift(double a, double grow, double b, double maxRise, double maxOldNorm, double[] oldLogNorm,
      double[] newLogNorm, double shift, double[] aOf, double[] growOf, double[] bOf) {
    boolean usable() {
      return a > 0 && Double.isFinite(a) && Double.isFinite(grow) && Double.isFinite(b) && Double.isFinite(maxRise)
          && Double.isFinite(maxOldNorm);
    }

    /**
     * An upper bound on every float screen value of the new pass, other than the reference's,
     * for a row whose other values were at most {@code s} in the old pass:
     * {@code max_c Nn_c - (1 - DELTA) / 2 (a sqrt(2 (No_c - s) / (1 + DELTA)) - b)_+^2}, with
     * {@code Nn_c} and {@code No_c} the new log normaliser inflated and the old one deflated by
     * the float error. As {@code s + (Nn_c - No_c) + h(No_c - s)} with h increasing (a <= 1), it
     * is at most {@code s + maxRise + h(max(0, maxOldNorm - s))}. NaN when s is.
     */
    double bound(double s) {
      double u = Math.max(0, maxOldNorm - s);
      double r = a * Math.sqrt(2 * u / (1 + DELTA)) - b;
      double h = u - 0.5 * (1 - DELTA) * (r > 0 ? r * r : 0);
      return s + maxRise + h;
    }

    /**
     * A lower bound on the new pass's float screen value of component c for a row whose double
     * log-density under the old parameters was {@code lp} (unshifted; NaN gives NaN): its squared
     * Mahalanobis distance grows to at most {@code (grow_c sqrt(Q) + b_c)^2}, with c's own drift.
     */
    double lowerOwn(int c, double lp) {
      double q = 2 * Math.max(0, oldLogNorm[c] - lp);
      double root = growOf[c] * Math.sqrt(q) + bOf[c];
      double nu = newLogNorm[c] - shift;
      return nu - 0.5 * (1 + DELTA) * root * root - DELTA * (Math.abs(nu) + 1);
    }

    /**
     * An upper bound on the new pass's float screen value of component c for a row whose double
     * log-density under the old parameters was stored as {@code lp} by {@link FloatBounds#atMost} (NaN gives NaN):
     * its squared Mahalanobis distance shrinks to no less than {@code (a_c sqrt(Q) - b_c)_+^2}.
     */
    double upperOwn(int c, float lp) {
      double q = 2 * Math.max(0, oldLogNorm[c] - FloatBounds.aboveAtMost(lp)); // the stored value was below it
      double root = aOf[c] * Math.sqrt(q) - bOf[c];
      double nu = newLogNorm[c] - shift;
      return nu - 0.5 * (1 - DELTA) * (root > 0 ? root * root : 0) + DELTA * (Math.abs(nu) + 1);
    }

    /**
     * An upper bound on the screen's threshold for a row whose largest float value lies in
     * {@code [lowTop, highTop]}, with the float rounding of its computation: a value above it is
     * kept.
     */
    static double above(double lowTop, double highTop) {
      double t = highTop - (VectorGaussianPass.MARGIN + Math.abs(highTop) * VectorGaussianPass.MARGIN_REL);
      return t + 0x1p-20 * (Math.max(Math.abs(lowTop), Math.abs(highTop)) + VectorGaussianPass.MARGIN + 1);
    }

    /**
     * A lower bound on the screen's threshold for a row whose largest float value is at least
     * {@code top}: {@link ScreenBounds#cut} of a float no greater ({@link FloatBounds#atMost}; the
     * threshold grows with the largest value, so any float below top gives a lower bound; NaN stays NaN).
     */
    static double cut(double top) {
      return ScreenBounds.cut(FloatBounds.atMost(top));
    }

    /**
     * The drift from {@code old} to {@code p}; the caller has checked both against
     * {@link #MAX_CONDITION}.
     */
    static Drift between(MixtureParams old, double oldShift, MixtureParams p, double shift) {
      int k = p.k();
      double rise = Double.NEGATIVE_INFINITY;
      double oldNorm = Double.NEGATIVE_INFINITY;
      double[][] sv = singularRanges(old, p);
      double[] aOf = new double[k];
      double[] growOf = new double[k];
      double[] bOf = new double[k];
      double a = 1;
      double grow = 0;
      double b = 0;
      for (int c = 0; c < k; c++) {
        double nOld = old.logNorm()[c] - oldShift;
        double nNew = p.logNorm()[c] - shift;
        double no = nOld - DELTA * (Math.abs(nOld) + 1);
        double nn = nNew + DELTA * (Math.abs(nNew) + 1);
        rise = Math.max(rise, nn - no);
        oldNorm = Math.max(oldNorm, no);
        // The singular values and the norms carry their own rounding: a little wider. (NaN stays NaN.)
        aOf[c] = Math.min(1, sv[0][c]) * (1 - 1e-9);
        growOf[c] = sv[1][c] * (1 + 1e-9);
        bOf[c] = meanShift(old, p, c) * (1 + 1e-9) + 1e-12;
        a = Double.isNaN(aOf[c]) ? Double.NaN : Math.min(a, aOf[c]);
        grow = Math.max(grow, growOf[c]);
        b = Math.max(b, bOf[c]);
      }
      return new Drift(a, grow, b, rise, oldNorm, old.logNorm(), p.logNorm(), shift, aOf, growOf, bOf);
    }

    /**
     * An upper bound on the largest condition number (largest over smallest singular value) of
     * the triangular factors, exact where the cheap one is above {@link #MAX_CONDITION}
     * ({@link SingularBounds#conditionAtMost}), so comparing it with that limit gives the exact
     * answer; 1 for diagonal factors, whose float error does not grow with it; infinity when a
     * factor is not finite.
     */
    static double condition(MixtureParams p) {
      if (p.type() != CovarianceType.FULL && p.type() != CovarianceType.TIED) {
        return 1;
      }
      int d = p.d();
      int mats = p.type() == CovarianceType.FULL ? p.k() : 1;
      double worst = 1;
      for (int m = 0; m < mats; m++) {
        DMatrixRMaj u = upper(p.precisionCholesky(), m, d);
        if (u == null) {
          return Double.POSITIVE_INFINITY;
        }
        // NaN when the factor is singular: compared as not finite.
        worst = Math.max(worst, SingularBounds.conditionAtMost(u, MAX_CONDITION));
        if (!(worst < Double.POSITIVE_INFINITY)) {
          return Double.POSITIVE_INFINITY;
        }
      }
      return worst;
    }

    /** Factor m of {@code factors} (d x d each) as a matrix, zero below the diagonal; null when not finite. */
    private static DMatrixRMaj upper(double[] factors, int m, int d) {
      DMatrixRMaj u = new DMatrixRMaj(d, d);
      System.arraycopy(factors, m * d * d, u.data, 0, d * d);
      for (int i = 0; i < d * d; i++) {
        if (i % d < i / d) { // below the diagonal: not part of the factor
          u.data[i] = 0;
        } else if (!Double.isFinite(u.data[i])) {
          return null;
        }
      }
      return u;
    }

    /** {@code |(mu_c - mu'_c) U'_c|}. */
    private static double meanShift(MixtureParams old, MixtureParams p, int c) {
      int d = p.d();
      double[] u = p.precisionCholesky();
      double[] dm = new double[d];
      for (int j = 0; j < d; j++) {
        dm[j] = old.means()[c * d + j] - p.means()[c * d + j];
      }
      double s = 0;
      switch (p.type()) {
        case FULL:
        case TIED: {
          int mo = p.type() == CovarianceType.FULL ? c * d * d : 0;
          for (int j = 0; j < d; j++) {
            double y = 0;
            for (int i = 0; i <= j; i++) {
              y += dm[i] * u[mo + i * d + j];
            }
            s += y * y;
          }
          break;
        }
        case DIAG:
          for (int j = 0; j < d; j++) {
            double y = dm[j] * u[c * d + j];
            s += y * y;
          }
          break;
        default: // SPHERICAL
          for (int j = 0; j < d; j++) {
            double y = dm[j] * u[c];
            s += y * y;
          }
      }
      return Math.sqrt(s);
    }

    /**
     * Per component c, bounds on the smallest ({@code [0][c]}) and largest ({@code [1][c]})
     * singular values of {@code U_c^-1 U'_c} (NaN when a factor is not finite): exact for
     * diagonal factors; for triangular ones {@link SingularBounds#range}, an interval that holds
     * them (tied: one factor, the same interval for every component).
     */
    private static double[][] singularRanges(MixtureParams old, MixtureParams p) {
      int k = p.k();
      int d = p.d();
      double[] uo = old.precisionCholesky();
      double[] un = p.precisionCholesky();
      double[][] range = new double[2][k];
      switch (p.type()) {
        case DIAG:
        case SPHERICAL: {
          int per = p.type() == CovarianceType.DIAG ? d : 1;
          for (int c = 0; c < k; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
              double r = un[i] / uo[i];
              if (!Double.isFinite(r)) {
                lo = Double.NaN;
                hi = Double.NaN;
                break;
              }
              lo = Math.min(lo, r);
              hi = Math.max(hi, r);
            }
            range[0][c] = lo;
            range[1][c] = hi;
          }
          return range;
        }
        default: {
          int mats = p.type() == CovarianceType.FULL ? k : 1;
          for (int m = 0; m < mats; m++) {
            double[] r = triangularRange(uo, un, m, d);
            for (int c = mats == k ? m : 0; c < (mats == k ? m + 1 : k); c++) {
              range[0][c] = r[0];
              range[1][c] = r[1];
            }
          }
          return range;
        }
      }
    }

    /** {@link SingularBounds#range} of {@code U_old^-1 U_new} for factor m; NaN when either is not finite. */
    private static double[] triangularRange(double[] uo, double[] un, int m, int d) {
      DMatrixRMaj uOld = upper(uo, m, d);
      DMatrixRMaj ratio = upper(un, m, d);
      if (uOld == null || ratio == null) {
        return new double[] {Double.NaN, Double.NaN};
      }
      // U_old^-1 U_new a column at a time; the factors are upper triangular.
      double[] col = new double[d];
      for (int j = 0; j < d; j++) {
        for (int i = 0; i < d; i++) {
          col[i] = ratio.data[i * d + j];
        }
        TriangularSolver_DDRM.solveU(uOld.data, col, d);
        for (int i = 0; i < d; i++) {
          ratio.data[i * d + j] = col[i];
        }
      }
      double[] range = SingularBounds.range(ratio);
      return Double.isNaN(range[0] + range[1]) ? new double[] {Double.NaN, Double.NaN} : range;
    }
  }
}
