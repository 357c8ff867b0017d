package io.clmix.data;

/**
 * Where a data set is centred when it carries sample weights, one rule for the readers
 * ({@link DataFiles#read(java.nio.file.Path, ReadOptions, java.util.function.Consumer, double[])})
 * and for {@link Dataset#withWeights(double[])}.
 *
 * <p>Data are centred on their column means. With weights, rows of weight 0 still count in that
 * mean; when they lie far from the weighted rows they pull the origin away from them, and the
 * float32 values and distances of the rows that matter lose digits. So the origin becomes the
 * weighted mean of the rows of positive weight whenever it lies more than {@link #FAR} weighted
 * root-mean-square radii from the plain mean: {@code |m_w - m|^2 > FAR^2 * sum_j var_w(j)}.
 * Closer than that, the plain mean loses at most a few bits, and is kept, so ordinary weighted
 * data are stored exactly as unweighted data are (the same bits), whichever way they are read.
 */
final class Centring {
  /** How many weighted root-mean-square radii the plain mean may lie from the weighted mean. */
  static final double FAR = 4;

  private Centring() {}

  /**
   * Whether the weighted mean should replace the plain mean as the origin.
   *
   * @param offset the weighted mean minus the plain mean, per column
   * @param weightedSpread the sum over columns of the weighted variance (about the weighted mean)
   */
  static boolean useWeightedMean(double[] offset, double weightedSpread) {
    double o2 = 0;
    for (double v : offset) {
      o2 += v * v;
    }
    return o2 > FAR * FAR * Math.max(0, weightedSpread);
  }

  /**
   * {@code w} when it can serve as sample weights for {@code rows} rows (finite, non-negative,
   * one per row when {@code rows >= 0}, a positive sum), else {@code null}: a bad vector is
   * reported by {@link Dataset#withWeights(double[])} when it is attached, and centres nothing.
   */
  static double[] usable(double[] w, long rows) {
    if (w == null || w.length == 0 || (rows >= 0 && w.length != rows)) {
      return null;
    }
    double sum = 0;
    for (double v : w) {
      if (!Double.isFinite(v) || v < 0) {
        return null;
      }
      sum += v;
    }
    return sum > 0 && Double.isFinite(sum) ? w : null;
  }

  /** The index of the first positive weight in {@code w} (which has one). */
  static int firstPositive(double[] w) {
    int i = 0;
    while (!(w[i] > 0)) {
      i++;
    }
    return i;
  }
}
