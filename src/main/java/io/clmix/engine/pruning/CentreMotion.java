package io.clmix.engine.pruning;

/**
 * The geometry of one pass's centres that Hamerly's bounds need, computed in double from the
 * float32 centres the engines search with:
 *
 * <ul>
 *   <li>{@code separation[a] = min_{c != a} |a - c|}: a point within U of a is at least
 *       {@code separation[a] - U} from every other centre (triangle inequality; Hamerly's
 *       {@code s(a)} is half of it, and {@code separation - U >= s} exactly when the
 *       test can pass);
 *   <li>{@code drift[a] = max_{c != a} |c_new - c_old|}: a lower bound on the distance to every
 *       centre but a stays one after subtracting it;
 *   <li>{@code maxNorm = max_c |c|}, the R of {@link ScoreMargin}.
 * </ul>
 *
 * Separations are rounded down, drifts and the norm up, by {@link ScoreMargin#RHO}. Without
 * previous centres (the first pass, other k) {@link #hasDrift()} is false and no bound carries
 * over. The separations cost {@code k^2 d / 2} operations per pass: next to the pass's
 * {@code 2 n k d}, a fraction {@code k / 4n}.
 */
public final class CentreMotion {
  private final int k;
  private final double[] separation;
  private final double[] drift;
  private final double maxNorm;

  private CentreMotion(int k, double[] separation, double[] drift, double maxNorm) {
    this.k = k;
    this.separation = separation;
    this.drift = drift;
    this.maxNorm = maxNorm;
  }

  /**
   * The motion from {@code previous} (k x d row-major, or null when there is none or it had
   * another k) to {@code next}.
   */
  public static CentreMotion of(float[] previous, float[] next, int k, int d) {
    if (next.length != k * d) {
      throw new IllegalArgumentException(k + " x " + d + " centres need " + (k * d) + " values, got " + next.length);
    }
    double[] sep = new double[k];
    java.util.Arrays.fill(sep, Double.POSITIVE_INFINITY);
    double norm = 0;
    for (int a = 0; a < k; a++) {
      norm = Math.max(norm, Math.sqrt(squaredDistance(next, a * d, null, 0, d)));
      for (int c = a + 1; c < k; c++) {
        double s = Math.sqrt(squaredDistance(next, a * d, next, c * d, d));
        sep[a] = Math.min(sep[a], s);
        sep[c] = Math.min(sep[c], s);
      }
    }
    for (int a = 0; a < k; a++) {
      sep[a] *= 1 - ScoreMargin.RHO;
    }
    double[] drift = null;
    if (previous != null && previous.length == next.length) {
      // Each centre's shift, then for every a the largest shift among the others: the overall
      // largest, or the second largest for the centre that moved most.
      double first = 0;
      double second = 0;
      int firstAt = -1;
      double[] shift = new double[k];
      for (int c = 0; c < k; c++) {
        shift[c] = Math.sqrt(squaredDistance(next, c * d, previous, c * d, d)) * (1 + ScoreMargin.RHO);
        if (shift[c] > first) {
          second = first;
          first = shift[c];
          firstAt = c;
        } else if (shift[c] > second) {
          second = shift[c];
        }
      }
      drift = new double[k];
      for (int a = 0; a < k; a++) {
        drift[a] = a == firstAt ? second : first;
      }
    }
    return new CentreMotion(k, sep, drift, norm * (1 + ScoreMargin.RHO));
  }

  /** {@code sum_j (p_j - q_j)^2} in double; q null means the origin. */
  private static double squaredDistance(float[] p, int po, float[] q, int qo, int d) {
    double s0 = 0;
    double s1 = 0;
    int j = 0;
    for (; j + 2 <= d; j += 2) {
      double e0 = (double) p[po + j] - (q == null ? 0 : q[qo + j]);
      double e1 = (double) p[po + j + 1] - (q == null ? 0 : q[qo + j + 1]);
      s0 += e0 * e0;
      s1 += e1 * e1;
    }
    if (j < d) {
      double e = (double) p[po + j] - (q == null ? 0 : q[qo + j]);
      s0 += e * e;
    }
    return s0 + s1;
  }

  public int k() {
    return k;
  }

  /** Whether previous centres of the same k were known, so that bounds carry over. */
  public boolean hasDrift() {
    return drift != null;
  }

  /** {@code min_{c != a} |a - c|}, rounded down; +infinity when k = 1. */
  public double separation(int a) {
    return separation[a];
  }

  /** {@code max_{c != a} |c_new - c_old|}, rounded up; requires {@link #hasDrift()}. */
  public double drift(int a) {
    return drift[a];
  }

  /** All separations, for loops in this package; not to be modified. */
  double[] separations() {
    return separation;
  }

  /** All drifts (null without {@link #hasDrift()}), for loops in this package; not to be modified. */
  double[] drifts() {
    return drift;
  }

  /** {@code max_c |c|}, rounded up. */
  public double maxNorm() {
    return maxNorm;
  }
}
