package io.clmix.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@link FarthestRows} against a full sort: the m largest distances, farthest first, ties to the
 * lower row, whatever the order of the offers and however they are split between accumulators.
 */
class FarthestRowsTest {

  /** The expected answer: all rows sorted by distance (descending), then row, cut to m. */
  private static long[] bySort(float[] dist, int m) {
    return LongStream.range(0, dist.length).boxed()
        .sorted(Comparator.<Long>comparingDouble(r -> -dist[(int) (long) r]).thenComparingLong(r -> r))
        .limit(m).mapToLong(Long::longValue).toArray();
  }

  /** Distances from a few values only, so that many rows tie. */
  private static float[] coarse(int n, long seed) {
    Random rnd = new Random(seed);
    float[] d = new float[n];
    for (int i = 0; i < n; i++) {
      d[i] = rnd.nextInt(20) * 0.5f;
    }
    return d;
  }

  private static FarthestRows over(float[] dist, int m, int from, int to) {
    FarthestRows top = new FarthestRows(m);
    for (int i = from; i < to; i++) {
      top.offer(i, dist[i]);
    }
    return top;
  }

  @Test
  void keepsTheLargestFarthestFirst() {
    float[] dist = {3f, 9f, 1f, 7f, 5f, 8f, 2f};
    assertArrayEquals(new long[] {1, 5, 3}, over(dist, 3, 0, dist.length).rows());
  }

  @Test
  void equalDistancesGoToTheLowerRow() {
    float[] dist = {4f, 6f, 4f, 6f, 4f, 6f};
    assertArrayEquals(new long[] {1, 3, 5, 0}, over(dist, 4, 0, dist.length).rows());
    // The same rows offered backwards: the answer depends on the rows, not on the order.
    FarthestRows backwards = new FarthestRows(4);
    for (int i = dist.length - 1; i >= 0; i--) {
      backwards.offer(i, dist[i]);
    }
    assertArrayEquals(new long[] {1, 3, 5, 0}, backwards.rows());
  }

  @Test
  void agreesWithASortOnManyTies() {
    float[] dist = coarse(5000, 1);
    for (int m : new int[] {1, 7, 100, 4999}) {
      assertArrayEquals(bySort(dist, m), over(dist, m, 0, dist.length).rows(), "m = " + m);
    }
  }

  @Test
  void mergedPartsEqualOneAccumulatorOverAllRows() {
    float[] dist = coarse(3000, 2);
    int m = 50;
    long[] whole = over(dist, m, 0, dist.length).rows();
    assertArrayEquals(bySort(dist, m), whole);
    for (int parts : new int[] {2, 3, 17, 3000}) {
      FarthestRows all = new FarthestRows(m);
      // Merged in reverse, so a later part's rows arrive before an earlier part's.
      for (int p = parts - 1; p >= 0; p--) {
        all.merge(over(dist, m, dist.length * p / parts, dist.length * (p + 1) / parts));
      }
      assertArrayEquals(whole, all.rows(), parts + " parts");
    }
  }

  @Test
  void fewerRowsThanAskedForReturnsThemAll() {
    float[] dist = {2f, 5f, 2f, 0f};
    assertArrayEquals(new long[] {1, 0, 2, 3}, over(dist, 10, 0, dist.length).rows());
    assertEquals(0, new FarthestRows(3).rows().length, "nothing offered");
  }

  @Test
  void zeroKeepsNothing() {
    FarthestRows none = over(new float[] {1f, 2f}, 0, 0, 2);
    assertEquals(0, none.rows().length);
    assertFalse(none.mayKeep(Float.MAX_VALUE));
    assertThrows(IllegalArgumentException.class, () -> new FarthestRows(-1));
  }

  @Test
  void rowsIsRepeatableAndLeavesTheAccumulatorAsItWas() {
    float[] dist = coarse(500, 3);
    FarthestRows top = over(dist, 20, 0, dist.length);
    long[] first = top.rows();
    assertArrayEquals(first, top.rows());
    top.offer(dist.length, Float.MAX_VALUE);
    long[] expected = new long[20];
    expected[0] = dist.length;
    System.arraycopy(first, 0, expected, 1, 19);
    assertArrayEquals(expected, top.rows(), "a new farthest row goes first, the weakest drops out");
  }

  @Test
  void skippingWhatMayKeepRejectsChangesNothingForIncreasingRows() {
    float[] dist = coarse(4000, 4);
    int m = 30;
    FarthestRows filtered = new FarthestRows(m);
    int skipped = 0;
    for (int i = 0; i < dist.length; i++) {
      if (filtered.mayKeep(dist[i])) {
        filtered.offer(i, dist[i]);
      } else {
        skipped++;
      }
    }
    assertTrue(skipped > 0, "the test needs rows to skip");
    assertArrayEquals(over(dist, m, 0, dist.length).rows(), filtered.rows());
    assertTrue(new FarthestRows(1).mayKeep(0f), "an accumulator with room keeps anything");
  }
}
