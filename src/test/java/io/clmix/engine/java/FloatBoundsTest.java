package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatBounds}: on the safe side of the value and within a few units in the last place of
 * the nearest float, over the whole range, at its ends, and for infinities and NaN.
 */
class FloatBoundsTest {
  /** Doubles spread over every binade of the float range and beyond it, both signs. */
  private static double[] samples() {
    SplittableRandom rng = new SplittableRandom(7);
    double[] v = new double[200_000];
    for (int i = 0; i < v.length; i++) {
      double magnitude = Math.scalb(1 + rng.nextDouble(), rng.nextInt(-160, 140));
      v[i] = rng.nextBoolean() ? magnitude : -magnitude;
    }
    // Floats themselves, the double just beside them, and the ends of the range.
    v[0] = 0;
    v[1] = -0.0;
    v[2] = Float.MAX_VALUE;
    v[3] = -Float.MAX_VALUE;
    v[4] = Float.MIN_VALUE;
    v[5] = -Float.MIN_VALUE;
    v[6] = Math.nextUp((double) Float.MAX_VALUE);
    v[7] = Math.nextDown((double) -Float.MAX_VALUE);
    v[8] = Math.nextUp(1.0);
    v[9] = Math.nextDown(1.0);
    v[10] = 1.0;
    v[11] = 1e300;
    v[12] = -1e300;
    v[13] = Float.MIN_NORMAL;
    // Floats a few units inside either end of the range, where the margin crosses the end.
    float f = Float.MAX_VALUE;
    for (int i = 0; i < 40; i++) {
      v[14 + 4 * i] = f;
      v[15 + 4 * i] = -f;
      v[16 + 4 * i] = Math.nextDown((double) f);
      v[17 + 4 * i] = -Math.nextDown((double) f);
      f = Math.nextDown(f);
    }
    return v;
  }

  @Test
  void atMostIsNoGreaterAndClose() {
    for (double v : samples()) {
      float f = FloatBounds.atMost(v);
      assertTrue(f <= v, v + " -> " + f);
      float nearest = (float) Math.max(v, -Float.MAX_VALUE);
      if (nearest > -Float.MAX_VALUE && v <= Float.MAX_VALUE) {
        assertTrue(f >= Math.nextDown(Math.nextDown(Math.nextDown(nearest))), v + " -> " + f + ", nearest " + nearest);
      }
    }
  }

  @Test
  void atLeastIsNoLessAndClose() {
    for (double v : samples()) {
      float f = FloatBounds.atLeast(v);
      assertTrue(f >= v, v + " -> " + f);
      float nearest = (float) Math.min(v, Float.MAX_VALUE);
      if (nearest < Float.MAX_VALUE && v >= -Float.MAX_VALUE) {
        assertTrue(f <= Math.nextUp(Math.nextUp(Math.nextUp(nearest))), v + " -> " + f + ", nearest " + nearest);
      }
    }
  }

  @Test
  void aboveAtMostRecoversAnUpperBound() {
    for (double v : samples()) {
      float f = FloatBounds.atMost(v);
      double up = FloatBounds.aboveAtMost(f);
      assertTrue(up >= v, v + " -> " + f + " -> " + up);
      if (Math.abs(v) > 1e-30 && Math.abs(v) < 1e30) {
        assertTrue(up - v <= Math.abs(v) * 0x1p-19, v + " -> " + up + ": too loose");
      }
    }
  }

  @Test
  void infinitiesAndNaN() {
    assertEquals(Float.POSITIVE_INFINITY, FloatBounds.atMost(Double.POSITIVE_INFINITY));
    assertEquals(Float.NEGATIVE_INFINITY, FloatBounds.atMost(Double.NEGATIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, FloatBounds.atLeast(Double.POSITIVE_INFINITY));
    assertEquals(Float.NEGATIVE_INFINITY, FloatBounds.atLeast(Double.NEGATIVE_INFINITY));
    assertTrue(Float.isNaN(FloatBounds.atMost(Double.NaN)));
    assertTrue(Float.isNaN(FloatBounds.atLeast(Double.NaN)));
    assertTrue(Double.isNaN(FloatBounds.aboveAtMost(Float.NaN)));
    assertEquals(Double.POSITIVE_INFINITY, FloatBounds.aboveAtMost(Float.POSITIVE_INFINITY));
    // Minus infinity also comes from finite values below the float range: the lowest float bounds them.
    assertEquals(-Float.MAX_VALUE, FloatBounds.aboveAtMost(Float.NEGATIVE_INFINITY), 0.0);
    // Finite values beyond the range: the end of the range, never the infinity on the wrong side.
    assertEquals(Float.MAX_VALUE, FloatBounds.atMost(1e300));
    assertEquals(-Float.MAX_VALUE, FloatBounds.atLeast(-1e300));
  }
}
