package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.java.Blocks.Block;
import java.util.Arrays;

/**
 * One window of a {@link VectorGaussianPass}: up to {@link PrunedScreen#WINDOW_BLOCKS}
 * consecutive blocks of rows that the screen takes together. It holds where their rows are and
 * their reference arrays for the pruned screen, and the per-row state of {@link SettledRows}:
 * {@link #settle} decides which rows skip the screen, {@link #track} records what the screen
 * kept for the next pass, and {@link #verify} (tests) checks a settled row against its screen.
 * One per task; {@link #load} refills it for the next window.
 */
final class ScreenWindow {
  private final Dataset data;
  private final Blocks source;

  final Block[] blocks = new Block[PrunedScreen.WINDOW_BLOCKS];
  final RowView[] views = new RowView[PrunedScreen.WINDOW_BLOCKS];
  final float[][] buffers = new float[PrunedScreen.WINDOW_BLOCKS][];
  final float[][] values = new float[PrunedScreen.WINDOW_BLOCKS][];
  final int[] offsets = new int[PrunedScreen.WINDOW_BLOCKS];
  final int[] rows = new int[PrunedScreen.WINDOW_BLOCKS];
  final int[][] refs = new int[PrunedScreen.WINDOW_BLOCKS][];
  final int[] refOffsets = new int[PrunedScreen.WINDOW_BLOCKS];
  /** Per block: the settled-row state of its chunk (null when not tracked). */
  final int[][] settledRefs = new int[PrunedScreen.WINDOW_BLOCKS][];
  final float[][] settledBounds = new float[PrunedScreen.WINDOW_BLOCKS][];
  final float[][] settledOwn = new float[PrunedScreen.WINDOW_BLOCKS][];
  final int[][] settledPartners = new int[PrunedScreen.WINDOW_BLOCKS][];
  final float[][] settledOwnPartners = new float[PrunedScreen.WINDOW_BLOCKS][];
  /** Rows the last {@link #settle} settled. */
  int settledCount;
  /** Window rows the screen leaves out (settled). */
  final boolean[] skip = new boolean[PrunedScreen.WINDOW_BLOCKS * Blocks.BLOCK_ROWS];
  int size;

  ScreenWindow(Dataset data, Blocks source) {
    this.data = data;
    this.source = source;
  }

  /** Loads blocks [from, to) (at most WINDOW_BLOCKS); {@code references} may be null. */
  void load(int from, int to, int[][] references) {
    load(from, to, references, null);
  }

  /** As {@link #load(int, int, int[][])}, with the settled-row state (null: not tracked). */
  void load(int from, int to, int[][] references, SettledRows settledRows) {
    size = to - from;
    for (int i = 0; i < size; i++) {
      Block blk = source.block(from + i);
      blocks[i] = blk;
      RowView v = RowView.of(data, blk, buffers[i]);
      buffers[i] = v.buffer();
      views[i] = v;
      values[i] = v.values();
      offsets[i] = v.offset();
      rows[i] = blk.rows();
      refs[i] = references == null ? null : references[blk.chunk()];
      refOffsets[i] = blk.fromRow();
      settledRefs[i] = settledRows == null ? null : settledRows.references(blk.chunk());
      settledBounds[i] = settledRows == null ? null : settledRows.bounds(blk.chunk());
      settledOwn[i] = settledRows == null ? null : settledRows.own(blk.chunk());
      settledPartners[i] = settledRows == null ? null : settledRows.partners(blk.chunk());
      settledOwnPartners[i] = settledRows == null ? null : settledRows.ownPartners(blk.chunk());
    }
  }

  /**
   * Settles the window's rows that {@code drift} proves keep the one or two components they
   * kept alone in the last pass (see {@link SettledRows}), from their state alone (the data are
   * not read): marks them in {@link #skip}, lists those components as their relevant ones from
   * {@code pool[used]}, carries their bound over, and counts them in {@link #settledCount}.
   * Returns the new {@code used}.
   */
  int settle(SettledRows.Drift drift, int[] pool, int used, int[] relevantAt, int[] relevantCount) {
    settledCount = 0;
    for (int i = 0; i < size; i++) {
      int[] sref = settledRefs[i];
      int[] spartner = settledPartners[i];
      float[] sb = settledBounds[i];
      float[] own = settledOwn[i];
      float[] ownPartner = settledOwnPartners[i];
      for (int r = 0; r < rows[i]; r++) {
        int row = i * Blocks.BLOCK_ROWS + r;
        int at = refOffsets[i] + r;
        int b = sref[at];
        skip[row] = false;
        if (drift == null || b < 0) {
          continue;
        }
        double others = drift.bound(sb[at]);
        double low = drift.lowerOwn(b, own[at]);
        int b2 = spartner[at];
        // NaN (no value, not finite) compares false throughout: the row is screened.
        if (b2 < 0) {
          if (!(others < SettledRows.Drift.cut(low))) {
            continue;
          }
          pool[used] = b;
          relevantCount[row] = 1;
        } else {
          // Two components: the others must fall below the threshold, both must stay above it.
          double low2 = drift.lowerOwn(b2, ownPartner[at]);
          double lowTop = Math.max(low, low2);
          if (!(others < SettledRows.Drift.cut(lowTop))) {
            continue;
          }
          double highTop = Math.max(drift.upperOwn(b, own[at]), drift.upperOwn(b2, ownPartner[at]));
          double keep = SettledRows.Drift.above(lowTop, highTop);
          if (!(low > keep && low2 > keep)) {
            continue;
          }
          pool[used] = b;
          pool[used + 1] = b2;
          relevantCount[row] = 2;
        }
        skip[row] = true;
        relevantAt[row] = used;
        used += relevantCount[row];
        settledCount++;
        sb[at] = FloatBounds.atLeast(others); // still an upper bound
      }
    }
    return used;
  }

  /**
   * For {@link VectorGaussianPass#verifySettledRows}: the screen of settled window row {@code row} (lane
   * {@code lane}) must keep exactly its {@code n} listed components at {@code pool[at]}, and
   * every other component's float value must be within its bound.
   */
  void verify(int row, PrunedScreen screen, int lane, int[] pool, int at, int n, int k) {
    int[] kept = new int[k];
    int m = screen.select(lane, kept, 0);
    boolean same = m == n;
    for (int t = 0; t < n && same; t++) {
      same = kept[t] == pool[at + t];
    }
    int i = row / Blocks.BLOCK_ROWS;
    float bound = settledBounds[i][refOffsets[i] + row % Blocks.BLOCK_ROWS];
    float others = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      if (c != pool[at] && (n < 2 || c != pool[at + 1])) {
        others = Math.max(others, screen.lp[c * GaussianKernels.ROWS + lane]);
      }
    }
    if (!same || !(others <= bound)) {
      throw new AssertionError("settled row " + row + ": kept " + Arrays.toString(Arrays.copyOf(kept, m))
          + ", settled with " + Arrays.toString(Arrays.copyOfRange(pool, at, at + n)) + "; others up to "
          + others + ", bound " + bound);
    }
  }

  /**
   * Records a screened lane's outcome in the settled-row state: the one or two components it
   * kept (ascending, as listed at {@code pool[at]}) and the largest float value of the others;
   * a row that kept more is not tracked.
   */
  void track(int row, PrunedScreen screen, int lane, int[] pool, int at, int kept, int k) {
    int i = row / Blocks.BLOCK_ROWS;
    int o = refOffsets[i] + row % Blocks.BLOCK_ROWS;
    if (kept == 1) {
      settledRefs[i][o] = pool[at];
      settledPartners[i][o] = -1;
      settledBounds[i][o] = screen.second[lane];
    } else if (kept == 2) {
      int c1 = pool[at];
      int c2 = pool[at + 1];
      float others = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != c1 && c != c2) {
          others = Math.max(others, screen.lp[c * GaussianKernels.ROWS + lane]); // NaN stays NaN
        }
      }
      settledRefs[i][o] = c1;
      settledPartners[i][o] = c2;
      settledBounds[i][o] = others;
    } else {
      settledRefs[i][o] = -1;
      settledPartners[i][o] = -1;
    }
  }

  /** Starts the screen of this window, leaving out the rows marked in {@link #skip} when {@code skipping}. */
  int begin(PrunedScreen screen, boolean skipping) {
    return screen.begin(size, values, offsets, rows, refs, refOffsets, skipping ? skip : null);
  }

  /** Remembers the screen's most likely component of window row {@code row} for the next pass. */
  void remember(int row, int component) {
    int i = row / Blocks.BLOCK_ROWS;
    if (refs[i] != null) {
      refs[i][refOffsets[i] + row % Blocks.BLOCK_ROWS] = component;
    }
  }
}
