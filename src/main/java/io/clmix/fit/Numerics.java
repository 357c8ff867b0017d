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
 * column standard deviation s gives squared distances of a few d s^2 in d columns. The limits
 * leave a margin of 16 (4 standard deviations) above and four decades below.
 *
 * <p>Public for {@link #maxSpread}, the limit that {@code clmix generate} keeps its data within.
 */
public final class Numerics {
  /** Below this largest column standard deviation, squared distances underflow float32. */
  static final double MIN_SPREAD = 1e-17;

  private Numerics() {}

  /**
   * The largest column standard deviation float32 distances handle in {@code d} columns: data
   * more spread out are refused by {@link KMeans} and {@link GaussianMixture}.
   */
  public static double maxSpread(int d) {
    return Math.sqrt(Float.MAX_VALUE / d) / 4;
  }

  /**
   * Refuses data whose spread overflows or underflows float32 distances.
   *
   * @throws InputException saying by what power of ten to scale the data
   */
  static void checkScale(Dataset data) {
    double[] var = data.columnVariance();
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
    if (s > maxSpread(data.cols())) {
      throw new InputException("the data are too spread out for float32 distances: column " + (col + 1)
          + " has standard deviation " + fmt(s) + ", above " + fmt(maxSpread(data.cols())) + " for "
          + data.cols() + (data.cols() == 1 ? " column" : " columns") + "; divide the data by " + divisor(s));
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

  /** {@code 1eN} with N the order of magnitude of {@code s}, which brings s near 1. */
  private static String divisor(double s) {
    return Double.isFinite(s) ? "1e" + Math.round(Math.log10(s)) : "a power of ten";
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
