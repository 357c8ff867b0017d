package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import java.util.Locale;

/**
 * The numeric range a fit can work in, checked before it starts and after each pass, so that
 * data too large or too small for float32 distances fail with advice instead of producing an
 * infinite inertia or a NaN model.
 *
 * <p>Engines compute squared distances in float32, which holds magnitudes from about 1.2e-38
 * (smallest normal) to 3.4e38. Data are centred when read, so what matters is the spread: a
 * column standard deviation s gives squared distances of a few d s^2 in d columns. The OpenCL
 * engine also adds them up in float32, weighted, within a work-group (thousands of rows, or all
 * of them when the partial statistics would not fit otherwise) before it adds the groups in
 * double, so the upper limit holds for the sum of the squared distances, about W d s^2 for a
 * total weight W (n rows when unweighted): data the Java engine could fit in double must not
 * overflow on a device. The limits leave a margin of 16 (4 standard deviations) above and four
 * decades below.
 *
 * <p>Public for {@link #maxSpread}, the limit that {@code clmix generate} keeps its data within.
 */
public final class Numerics {
  /** Below this largest column standard deviation, squared distances underflow float32. */
  static final double MIN_SPREAD = 1e-17;

  private Numerics() {}

  /**
   * The largest column standard deviation float32 distances and their sums handle in {@code d}
   * columns of rows weighing {@code totalWeight} together (the number of rows when unweighted):
   * {@code 16 d s^2 max(1, totalWeight) <= 3.4e38}. Data more spread out are refused by
   * {@link KMeans} and {@link GaussianMixture}.
   */
  public static double maxSpread(int d, double totalWeight) {
    return Math.sqrt(Float.MAX_VALUE / d / Math.max(1, totalWeight)) / 4;
  }

  /**
   * Refuses data whose spread overflows or underflows float32 distances.
   *
   * @throws InputException saying by what power of ten to scale the data
   */
  static void checkScale(Dataset data) {
    // Weighted: rows of weight 0 add nothing to the sums the limit protects, and a row so far
    // out that its own distance overflows is caught after the pass (notFinite).
    double[] var = data.weightedColumnVariance();
    double max = 0;
    int col = 0;
    for (int j = 0; j < var.length; j++) {
      if (!Double.isFinite(var[j])) {
        max = Double.POSITIVE_INFINITY;
        col = j;
        break;
      }
      if (var[j] > max) {
        max = var[j];
        col = j;
      }
    }
    double s = Math.sqrt(max);
    double limit = maxSpread(data.cols(), data.totalWeight());
    if (s > limit) {
      String columns = data.cols() + (data.cols() == 1 ? " column" : " columns");
      String shape = data.weighted() ? columns + " and weights summing to " + fmt(data.totalWeight())
          : data.rows() + (data.rows() == 1 ? " row of " : " rows of ") + columns;
      throw new InputException("the data are too spread out for float32 distances: column " + (col + 1)
          + " has standard deviation " + fmt(s) + ", above " + fmt(limit) + " for " + shape + "; divide the data by "
          + divisor(s, limit) + (data.weighted() ? ", or the weights, which count only relatively, by a power of ten" : ""));
    }
    if (s > 0 && s < MIN_SPREAD) {
      throw new InputException("the data are too concentrated for float32 distances: the largest column standard"
          + " deviation is " + fmt(s) + ", below " + fmt(MIN_SPREAD) + ", so squared distances would underflow;"
          + " multiply the data by 1e" + Math.round(-Math.log10(s)));
    }
  }

  /**
   * The error for a pass whose objective came back infinite or NaN although the data passed
   * {@link #checkScale}: outliers far beyond the bulk of the data.
   */
  static InputException notFinite(String what, double value) {
    return new InputException(what + " is " + value + ": some rows lie so far from the others that float32"
        + " distances overflow; remove the outliers or divide the data by a power of ten");
  }

  /**
   * {@code 1eN} with N the order of magnitude of {@code s}, which brings s near 1, or the power
   * of ten that brings it below {@code limit} when that takes more (large weights).
   */
  private static String divisor(double s, double limit) {
    if (!Double.isFinite(s)) {
      return "a power of ten";
    }
    return "1e" + Math.max(Math.round(Math.log10(s)), (long) Math.ceil(Math.log10(s / limit)));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
