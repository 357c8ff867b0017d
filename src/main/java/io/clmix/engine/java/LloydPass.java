package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.java.Blocks.Block;
import io.clmix.engine.pruning.BoundTest;
import io.clmix.engine.pruning.ScoreMargin;
import java.util.List;

/**
 * The Java engine's Lloyd pass ({@link JavaSession#assign}): per point the nearest centre and its
 * squared distance, per slab the statistics in row order, slabs added in order.
 *
 * <p>With pruning ({@link LowerBounds} present), each block first tries to keep every point's
 * label with Hamerly's test ({@link BoundTest}): the distance to the label's new position is
 * summed exactly as the search would, and a point that passes keeps its label without being
 * scored against the other centres. The points that fail are gathered into a compact buffer so
 * the vector search still runs on full tiles, and come back with their two lowest scores, from
 * which their lower bounds are renewed. Labels, distances, statistics and changed counts are
 * the bits of the unpruned pass: the test only passes points whose label the search would pick,
 * their distance is the same function of the same inputs, and the statistics loop is the same
 * loop over the same rows in the same order.
 */
final class LloydPass {
  private final JavaEngine engine;
  private final Dataset data;
  private final Blocks blocks;
  private final int d;
  /** Whether the pass prunes. */
  private final boolean prunes;
  /**
   * Null when the pass does not prune, and until its first run: the bounds are a float per
   * row, which a session that never runs a Lloyd pass (a mixture started otherwise than from
   * K-means, a predict) should not hold.
   */
  private LowerBounds bounds;
  /** Points kept by the bound test and points searched, over the session (for tests and profiles). */
  private long kept;
  private long searched;
  private boolean lastVector;

  LloydPass(JavaEngine engine, Dataset data, Blocks blocks, boolean pruning) {
    this.engine = engine;
    this.data = data;
    this.blocks = blocks;
    this.d = data.cols();
    this.prunes = pruning && LowerBounds.usable(data);
  }

  /** Whether this pass prunes. */
  boolean pruning() {
    return prunes;
  }

  /** Points whose label the bound test kept, over all passes so far. */
  long kept() {
    return kept;
  }

  /** Points the full search scored, over all passes so far. */
  long searched() {
    return searched;
  }

  /** Whether the last pass ran the vector kernels (false before the first). */
  boolean vectorLoops() {
    return lastVector;
  }

  /** Per-slab working memory. */
  private final class Scratch {
    final int[] newLabels = new int[Blocks.BLOCK_ROWS];
    float[] buffer;
    // Pruned passes only: the rows that fail the test, gathered, and their search results.
    final int[] todo;
    final float[] packed;
    final int[] packedLabels;
    final float[] packedDist;
    final float[] best;
    final float[] second;
    long kept;
    long searched;

    Scratch(boolean pruned) {
      int n = pruned ? Blocks.BLOCK_ROWS : 0;
      todo = new int[n];
      packed = new float[n * d];
      packedLabels = new int[n];
      packedDist = new float[n];
      best = new float[n];
      second = new float[n];
    }
  }

  SufficientStats run(Centroids centres, int[][] labels, float[][] dist) {
    int k = centres.k();
    float[] c = centres.values();
    DistanceKernels.Centres prepared =
        DistanceKernels.Centres.withLoops(c, k, d, engine.vectorLoops(data.wholeRows() * k * d));
    lastVector = prepared.vectorLoops();
    if (prunes && bounds == null) {
      bounds = new LowerBounds(data);
    }
    BoundTest test = bounds != null ? bounds.begin(centres) : null;
    int slabs = blocks.slabCount((long) k * d + k + 2);
    List<SufficientStats> parts = engine.parallel(slabs, s -> {
      SufficientStats st = new SufficientStats(k, d, SufficientStats.Scatter.NONE);
      double[] weight = st.weight();
      double[] sum = st.sum();
      double inertia = 0;
      long changed = 0;
      Scratch w = new Scratch(test != null);
      int[] newLabels = w.newLabels;
      for (int b = blocks.slabFrom(s, slabs); b < blocks.slabTo(s, slabs); b++) {
        Block blk = blocks.block(b);
        RowView rows = RowView.of(data, blk, w.buffer);
        w.buffer = rows.buffer();
        int[] lab = labels[blk.chunk()];
        float[] dst = dist[blk.chunk()];
        if (test == null) {
          DistanceKernels.nearest(rows.values(), rows.offset(), blk.rows(), prepared, newLabels, 0, dst, blk.fromRow());
        } else {
          assignPruned(rows, blk, prepared, test, lab, dst, bounds.chunk(blk.chunk()), w);
        }
        float[] wt = data.chunkWeights(blk.chunk());
        for (int i = 0; i < blk.rows(); i++) {
          int row = blk.fromRow() + i;
          int l = newLabels[i];
          if (lab[row] != l) {
            changed++;
            lab[row] = l;
          }
          double wi = wt == null ? 1.0 : wt[row];
          weight[l] += wi;
          inertia += wi * dst[row];
          DistanceKernels.addScaled(sum, l * d, rows.values(), rows.offset() + i * d, d, wi, prepared.vectorLoops());
        }
      }
      // The loop summed w x; the contract wants sums about the centres: sum w (x - c) = sum w x - W c
      // (in double, where the subtraction costs nothing in accuracy).
      for (int q = 0; q < k; q++) {
        for (int j = 0; j < d; j++) {
          sum[q * d + j] -= weight[q] * c[q * d + j];
        }
      }
      st.setObjective(inertia);
      st.setChanged(changed);
      synchronized (this) {
        kept += w.kept;
        searched += w.searched;
      }
      return st;
    });
    if (bounds != null) {
      bounds.commit(centres);
    }
    SufficientStats total = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      total.plus(parts.get(i));
    }
    return total;
  }

  /**
   * One block of a pruned pass: labels to {@code w.newLabels}, distances to {@code dst} and
   * lower bounds to {@code lower} (both at the block's rows); {@code lab} (the previous labels)
   * is left for the caller to update.
   */
  private void assignPruned(RowView rows, Block blk, DistanceKernels.Centres prepared, BoundTest test, int[] lab,
      float[] dst, float[] lower, Scratch w) {
    float[] x = rows.values();
    int from = blk.fromRow();
    int n = blk.rows();
    float[] c = prepared.values;
    int failed = 0;
    if (test.carriesBounds()) {
      // Two loops, each small enough for the compiler to keep in registers: the distances to
      // the labels' new positions, then the test.
      int xo = rows.offset();
      for (int i = 0; i < n; i++) {
        int row = from + i;
        dst[row] = DistanceKernels.squaredDistance(x, xo + i * d, c, lab[row] * d, d, prepared.vectorLoops());
      }
      failed = test.keepAll(n, lab, dst, lower, from, w.newLabels, w.todo);
    } else {
      for (int i = 0; i < n; i++) {
        w.todo[i] = i;
      }
      failed = n;
    }
    w.kept += n - failed;
    w.searched += failed;
    if (failed == 0) {
      return;
    }
    if (failed == n) {
      // Nothing kept: search the block where it lies.
      DistanceKernels.nearestTwo(x, rows.offset(), n, prepared, w.newLabels, 0, dst, from, w.best, w.second, 0);
      for (int i = 0; i < n; i++) {
        lower[from + i] = ScoreMargin.floatDown(test.lowerAfterScan(dst[from + i], w.best[i], w.second[i]));
      }
      return;
    }
    for (int t = 0; t < failed; t++) {
      System.arraycopy(x, rows.offset() + w.todo[t] * d, w.packed, t * d, d);
    }
    DistanceKernels.nearestTwo(w.packed, 0, failed, prepared, w.packedLabels, 0, w.packedDist, 0, w.best, w.second, 0);
    for (int t = 0; t < failed; t++) {
      int i = w.todo[t];
      w.newLabels[i] = w.packedLabels[t];
      dst[from + i] = w.packedDist[t];
      lower[from + i] = ScoreMargin.floatDown(test.lowerAfterScan(w.packedDist[t], w.best[t], w.second[t]));
    }
  }
}
