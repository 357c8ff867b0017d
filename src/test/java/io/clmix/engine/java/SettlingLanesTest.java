package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The settling check in vector lanes ({@link SettlingLanes}) decides every row exactly as the
 * scalar check of {@link ScreenWindow#settle} does, and leaves the same state: the same rows
 * settled with the same components at the same places of the list, and the same carried bounds
 * to the bit. The row states are random, a fifth of them set one float away from where the
 * decision flips (so a rounding that differs from the scalar arithmetic shows), and some hold
 * NaN, infinities and values beyond the float range (the clamps of {@link FloatBounds}).
 */
class SettlingLanesTest extends VectorEngineTest {
  private static final int K = 7;

  @Test
  void laneChecksDecideAsTheScalarCheck() {
    // 2500 rows per chunk: blocks of 512 rows, and a last block whose rows do not fill the lanes.
    Dataset data = Blobs.of(6000, 3, 4, 11).generate(2500);
    Blocks blocks = Blocks.of(data);
    SplittableRandom rng = new SplittableRandom(7);
    long settled = 0;
    long screened = 0;
    for (int trial = 0; trial < 40; trial++) {
      // Every tenth trial with normalisers beyond the float range, every fourth with a mean that jumps.
      SettledRows.Drift drift = randomDrift(rng, trial % 10 == 9 ? 1e39 : 50, trial % 4 == 3 ? 30 : 0.5);
      SettledRows scalar = new SettledRows(data);
      SettledRows vector = new SettledRows(data);
      for (int c = 0; c < data.chunkCount(); c++) {
        randomState(rng, drift, scalar, c);
        copy(scalar, vector, c);
      }
      SettlingLanes lanes = new SettlingLanes(drift);
      for (int b0 = 0; b0 < blocks.blockCount(); b0 += PrunedScreen.WINDOW_BLOCKS) {
        int b1 = Math.min(blocks.blockCount(), b0 + PrunedScreen.WINDOW_BLOCKS);
        int windowRows = PrunedScreen.WINDOW_BLOCKS * Blocks.BLOCK_ROWS;
        ScreenWindow one = new ScreenWindow(data, blocks);
        ScreenWindow many = new ScreenWindow(data, blocks);
        one.load(b0, b1, null, scalar);
        many.load(b0, b1, null, vector);
        int[] poolOne = new int[2 * windowRows];
        int[] poolMany = new int[2 * windowRows];
        int[] atOne = new int[windowRows];
        int[] atMany = new int[windowRows];
        int[] countOne = new int[windowRows];
        int[] countMany = new int[windowRows];
        int usedOne = one.settle(drift, null, poolOne, 3, atOne, countOne);
        int usedMany = many.settle(drift, lanes, poolMany, 3, atMany, countMany);
        String at = "trial " + trial + " blocks " + b0 + ".." + b1;
        assertEquals(usedOne, usedMany, at + ": list length");
        assertEquals(one.settledCount, many.settledCount, at + ": settled rows");
        assertArrayEquals(one.skip, many.skip, at + ": which rows settle");
        assertArrayEquals(poolOne, poolMany, at + ": the listed components");
        for (int r = 0; r < windowRows; r++) {
          if (one.skip[r]) {
            assertEquals(atOne[r], atMany[r], at + " row " + r + ": where its components are listed");
            assertEquals(countOne[r], countMany[r], at + " row " + r + ": how many");
          }
        }
        settled += one.settledCount;
        screened += (long) (b1 - b0) * Blocks.BLOCK_ROWS - one.settledCount;
      }
      for (int c = 0; c < data.chunkCount(); c++) {
        assertArrayEquals(scalar.bounds(c), vector.bounds(c), "trial " + trial + " chunk " + c + ": carried bounds");
      }
    }
    // Not vacuous: both outcomes are common.
    assertTrue(settled > 20_000 && screened > 20_000, settled + " settled, " + screened + " screened");
  }

  /**
   * Drift with per-component values: normalisers spread over {@code scale} (1e39: some beyond
   * the float range), mean shifts up to {@code jump} (large: the others' bound's square root
   * below the shift for rows near the top normaliser).
   */
  private static SettledRows.Drift randomDrift(SplittableRandom rng, double scale, double jump) {
    double[] aOf = new double[K];
    double[] growOf = new double[K];
    double[] bOf = new double[K];
    double[] oldNorm = new double[K];
    double[] newNorm = new double[K];
    double a = 1;
    double grow = 0;
    double b = 0;
    double rise = Double.NEGATIVE_INFINITY;
    double maxOld = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < K; c++) {
      aOf[c] = 1 - 0.1 * rng.nextDouble();
      growOf[c] = 1 + 0.1 * rng.nextDouble();
      bOf[c] = rng.nextDouble() * jump;
      oldNorm[c] = scale * (rng.nextDouble() - 0.5);
      newNorm[c] = oldNorm[c] + rng.nextDouble() - 0.5;
      a = Math.min(a, aOf[c]);
      grow = Math.max(grow, growOf[c]);
      b = Math.max(b, bOf[c]);
      rise = Math.max(rise, newNorm[c] - oldNorm[c]);
      maxOld = Math.max(maxOld, oldNorm[c]);
    }
    double shift = scale * 0.1 * rng.nextDouble();
    return new SettledRows.Drift(a, grow, b, rise, maxOld - shift, oldNorm, newNorm, shift, aOf, growOf, bOf);
  }

  /** Random row states for chunk c: components, partners, own values and bounds. */
  private static void randomState(SplittableRandom rng, SettledRows.Drift drift, SettledRows rows, int c) {
    int[] ref = rows.references(c);
    int[] partner = rows.partners(c);
    float[] bound = rows.bounds(c);
    float[] own = rows.own(c);
    float[] ownPartner = rows.ownPartners(c);
    for (int r = 0; r < ref.length; r++) {
      double u = rng.nextDouble();
      ref[r] = u < 0.1 ? -1 : rng.nextInt(K);
      partner[r] = ref[r] >= 0 && u > 0.75 ? (ref[r] + 1 + rng.nextInt(K - 1)) % K : -1;
      own[r] = (float) (drift.oldLogNorm()[Math.max(0, ref[r])] - 20 * rng.nextDouble());
      ownPartner[r] = partner[r] < 0 ? Float.NaN : (float) (drift.oldLogNorm()[partner[r]] - 20 * rng.nextDouble());
      bound[r] = (float) (own[r] - drift.shift() - 200 * rng.nextDouble());
      double odd = rng.nextDouble();
      if (odd < 0.2 && ref[r] >= 0 && partner[r] < 0) {
        bound[r] = flip(drift, ref[r], own[r], rng);
      } else if (odd < 0.23) {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
            -Float.MAX_VALUE, 0f, -0f};
        float v = special[rng.nextInt(special.length)];
        if (rng.nextBoolean()) {
          own[r] = v;
        } else {
          bound[r] = v;
        }
      }
    }
  }

  /**
   * A bound one float either side of where the scalar check of a row that kept component b,
   * with old value {@code own}, stops settling: found by bisection over the floats.
   */
  private static float flip(SettledRows.Drift drift, int b, float own, SplittableRandom rng) {
    double cut = SettledRows.Drift.cut(drift.lowerOwn(b, own));
    float lo = -Float.MAX_VALUE; // settles, unless nothing does
    float hi = Float.MAX_VALUE;
    if (!(drift.bound(lo) < cut)) {
      return lo;
    }
    for (int i = 0; i < 200 && Math.nextUp(lo) < hi; i++) {
      float mid = (float) (lo / 2.0 + hi / 2.0);
      mid = mid <= lo ? Math.nextUp(lo) : mid >= hi ? Math.nextDown(hi) : mid;
      if (drift.bound(mid) < cut) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return rng.nextBoolean() ? lo : Math.nextUp(lo);
  }

  private static void copy(SettledRows from, SettledRows to, int c) {
    System.arraycopy(from.references(c), 0, to.references(c), 0, from.references(c).length);
    System.arraycopy(from.partners(c), 0, to.partners(c), 0, from.partners(c).length);
    System.arraycopy(from.bounds(c), 0, to.bounds(c), 0, from.bounds(c).length);
    System.arraycopy(from.own(c), 0, to.own(c), 0, from.own(c).length);
    System.arraycopy(from.ownPartners(c), 0, to.ownPartners(c), 0, from.ownPartners(c).length);
  }
}
