package io.clmix.engine.java;

/**
 * Doubles stored as floats on the safe side, for the bounds of {@link SettledRows}: a float no
 * greater ({@link #atMost}) or no less ({@link #atLeast}) than a double, and back from such a
 * float to a double no less than the value it came from ({@link #aboveAtMost}).
 *
 * <p>Why not the nearest float and then {@code Math.nextDown} or {@code Math.nextUp}: those
 * move the value between the vector and the integer registers, and in the settling check, once
 * per row, that was two thirds of its time (38 against 12 ns per row measured in isolation,
 * docs/benchmarks.md, "Lone rows"). Here the margin is put on in double arithmetic before the
 * one conversion. The float is then up to about two units in the last place further from the
 * value than the tightest one, which costs the bounds nothing they could measure.
 *
 * <p>Why they hold, for finite v: the margin {@code |v| 2^-23 + 2^-149} (put on as the factor
 * {@code 1 -+ 2^-23} and the term {@code 2^-149}) is at least one unit in the last place of a
 * float near v (at most {@code 2^-23 |v|} for normal floats, {@code 2^-149} below them), and
 * rounding to the nearest float moves by at most half of one; the double arithmetic's own
 * rounding is 2^-29 times smaller than the half unit left over. Where the margin takes the
 * value past the end of the float range, the result is that end unless the value itself lies
 * beyond it; infinities are kept as they are, and NaN stays NaN.
 */
final class FloatBounds {
  private static final double REL = 0x1p-23;
  private static final double ABS = 0x1p-149;

  private FloatBounds() {}

  /** A float no greater than v (v itself when v is infinite; NaN for NaN). */
  static float atMost(double v) {
    // The margin as a factor, so that an infinity keeps its value (not inf - inf).
    double w = (v > 0 ? v * (1 - REL) : v * (1 + REL)) - ABS;
    if (w > Float.MAX_VALUE) { // v above the range: the largest float, not infinity
      return v == Double.POSITIVE_INFINITY ? Float.POSITIVE_INFINITY : Float.MAX_VALUE;
    }
    if (w < -Float.MAX_VALUE) { // the margin took w past the range: infinity only for a v beyond it
      return v >= -Float.MAX_VALUE ? -Float.MAX_VALUE : Float.NEGATIVE_INFINITY;
    }
    return (float) w;
  }

  /** A float no less than v (v itself when v is infinite; NaN for NaN). */
  static float atLeast(double v) {
    double w = (v > 0 ? v * (1 + REL) : v * (1 - REL)) + ABS;
    if (w < -Float.MAX_VALUE) {
      return v == Double.NEGATIVE_INFINITY ? Float.NEGATIVE_INFINITY : -Float.MAX_VALUE;
    }
    if (w > Float.MAX_VALUE) {
      return v <= Float.MAX_VALUE ? Float.MAX_VALUE : Float.POSITIVE_INFINITY;
    }
    return (float) w;
  }

  /**
   * A double no less than any v whose {@link #atMost} is f: {@code atMost} puts f at most
   * {@code |v| 2^-23 + 2^-149} plus half a unit of f below v, which {@code |f| 2^-21 + 2^-147}
   * covers with room for this sum's own rounding. Minus infinity, which only a v below the
   * float range gives, comes back as the lowest float; the largest float, which stands for
   * every v from it up, and plus infinity as plus infinity; NaN as NaN.
   */
  static double aboveAtMost(float f) {
    if (Float.isInfinite(f) || f == Float.MAX_VALUE) {
      return f > 0 ? Double.POSITIVE_INFINITY : -Float.MAX_VALUE;
    }
    return f + (Math.abs((double) f) * 0x1p-21 + 0x1p-147);
  }
}
