package io.clmix.engine;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Collects the rows of the {@code m} points farthest from their centre, as
 * {@link DataSession#farthest} returns them: farthest first, and at equal distance the lower row
 * first. An engine {@link #offer}s each row with its distance, or lets several accumulators see
 * parts of the rows and {@link #merge}s them; {@link #rows()} depends only on the rows and
 * distances offered, not on their order or on how they were split.
 *
 * <p>Distances are ranked by {@link Float#compare}; rows must be distinct. The tie rule exists
 * because K-means re-seeds empty clusters with these rows: ranking equal distances by row makes
 * the answer a function of the distances alone, so every engine, thread count and chunking picks
 * the same rows and a fit re-seeds the same way on all of them.
 *
 * <p>Not thread-safe: give each thread its own and merge them afterwards.
 */
public final class FarthestRows {
  private final int m;
  /**
   * The strongest candidates so far as {distance bits, row}, at most {@code m}: a min-heap with
   * the weakest on top, so a stronger newcomer replaces it in O(log m).
   */
  private final PriorityQueue<long[]> heap = new PriorityQueue<>(FarthestRows::weaker);

  /** An accumulator of the {@code m} farthest rows ({@code m = 0} keeps none). */
  public FarthestRows(int m) {
    if (m < 0) {
      throw new IllegalArgumentException("cannot keep " + m + " rows");
    }
    this.m = m;
  }

  /**
   * Whether a row at {@code distance}, higher than every row offered so far, may be kept: there
   * is room, or the distance is strictly greater ({@code >}) than the weakest kept one's. A cheap
   * test before {@link #offer} for callers that visit rows in increasing order: a row at the
   * weakest kept distance would lose the tie anyway, so it need not be offered (nor allocated
   * for). Unlike {@link #offer}, a NaN distance never passes once the accumulator is full.
   */
  public boolean mayKeep(float distance) {
    return heap.size() < m || (m > 0 && distance > Float.intBitsToFloat((int) heap.peek()[0]));
  }

  /** Offers {@code row} at {@code distance}: kept while it is among the {@code m} farthest seen. */
  public void offer(long row, float distance) {
    offer(new long[] {Float.floatToIntBits(distance), row});
  }

  /** Offers every row {@code other} kept, as if they had been offered here. */
  public void merge(FarthestRows other) {
    for (long[] cand : other.heap) {
      offer(cand);
    }
  }

  private void offer(long[] cand) {
    if (heap.size() < m) {
      heap.add(cand);
    } else if (m > 0 && weaker(heap.peek(), cand) < 0) {
      heap.poll();
      heap.add(cand);
    }
  }

  /** The kept rows (at most {@code m}), farthest first; at equal distance the lower row first. */
  public long[] rows() {
    long[][] sorted = heap.toArray(new long[0][]);
    Arrays.sort(sorted, (a, b) -> weaker(b, a));
    long[] out = new long[sorted.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sorted[i][1];
    }
    return out;
  }

  /**
   * Orders candidates {distance bits, row} from weakest to strongest: a smaller distance is
   * weaker; at equal distance the higher row is weaker (ties go to the lower row).
   */
  private static int weaker(long[] a, long[] b) {
    int byDist = Float.compare(Float.intBitsToFloat((int) a[0]), Float.intBitsToFloat((int) b[0]));
    return byDist != 0 ? byDist : Long.compare(b[1], a[1]);
  }
}
