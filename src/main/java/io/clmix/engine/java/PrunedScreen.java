package io.clmix.engine.java;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 screen of {@link VectorGaussianPass} over a window of a few blocks of rows,
 * pruned: components that {@link ScreenBounds} proves below the screen's threshold for every
 * row of a sub-block are not computed at all, and the screen's answer (which components each
 * row keeps) is the same, bit for bit, as with every component computed.
 *
 * <p>How. {@link #begin} takes each row's reference component (the component the previous pass
 * found most likely, kept by the session; -1 when there is none), sorts the window's rows by it
 * (stably, so the order depends on the references alone) and measures each row's distance to
 * its reference's mean in double. Rows with the same reference then sit together, so a
 * sub-block of {@link GaussianKernels#ROWS} rows spans one or two references. {@link #screen},
 * per sub-block:
 * <ol>
 *   <li>computes the references' components (a row's reference is usually its most likely
 *       component), giving each row a float value m0 no larger than its largest;
 *   <li>per group of rows with the same reference b: the largest distance R to mu_b and the
 *       smallest {@link ScreenBounds#cut cut(m0)}; component c is skipped when, for every group,
 *       {@link ScreenBounds#upper upper(b, c, R)} is below that cut: c's float value is then
 *       below the threshold the screen applies to every row of the sub-block, and the screen
 *       would have dropped it;
 *   <li>computes the components not skipped, and screens them
 *       ({@link GaussianKernels#screen(float[], int[], int, float, float, float[], int[], int[], float[], float[])}).
 * </ol>
 * A group with no reference, with a value or distance that is not finite, or where the float
 * products could overflow, skips nothing; neither does a pass without bounds (pruning disabled,
 * unusual parameters): then every component is computed, as the unpruned screen does.
 *
 * <p>Callers read each row's relevant components with {@link #select} in the screen's order and
 * list them in row order, so the double evaluation downstream sees exactly what the unpruned
 * screen gives it. One instance per task; not thread-safe.
 */
final class PrunedScreen {
  private static final int ROWS = GaussianKernels.ROWS;
  /**
   * Blocks screened together: the rows of several blocks sorted by reference make longer runs of
   * one reference, so sub-blocks span fewer references and need fewer components. Eight blocks
   * are 4096 rows, few enough to stay in L2 between the screen and the double evaluation.
   */
  static final int WINDOW_BLOCKS = 8;
  private static final int STRIDE = Blocks.BLOCK_ROWS;
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private final FloatMixture m;
  private final ExactDensities dens;
  /** Null: skip nothing. */
  private final ScreenBounds bounds;
  private final int k;
  private final int d;

  private final float[] xt;
  private final float[] diff;
  /** Float values of the current sub-block, k x ROWS: only the computed components' rows are current. */
  final float[] lp;
  final float[] max = new float[ROWS];
  final int[] best = new int[ROWS];
  final int[] count = new int[ROWS];
  /** Per lane, the second largest computed value ({@link GaussianKernels}{@code .screen}). */
  final float[] second = new float[ROWS];
  /** The screen's indices and counts as floats, before their conversion to ints. */
  private final float[] asFloats = new float[ROWS];

  /**
   * The window: up to {@link #WINDOW_BLOCKS} blocks, row r of block i numbered
   * {@code i * BLOCK_ROWS + r}; where each block's rows are; the rows sorted by reference; each
   * row's reference (-1: none) and distance to it (rounded up).
   */
  private final float[][] blockValues = new float[WINDOW_BLOCKS][];
  private final int[] blockOffset = new int[WINDOW_BLOCKS];
  private final int[] order = new int[WINDOW_BLOCKS * STRIDE];
  private final int[] ref = new int[WINDOW_BLOCKS * STRIDE];
  private final double[] radius = new double[WINDOW_BLOCKS * STRIDE];
  private final int[] bucket;
  private int rows;
  /** Whether every block of the window reads from one array ({@link #begin}). */
  private boolean sameArray;

  /** The current sub-block: its first position in {@link #order}, its rows, its computed components (ascending). */
  private int first;
  private int lanes;
  /** Where each lane's row starts, for {@link #gather}. */
  private final int[] laneOffset = new int[ROWS];
  private final int[] computed;
  private int nComputed;
  private final boolean[] isComputed;
  /** Groups of lanes with one reference: reference, first lane, largest distance, smallest cut, usable. */
  private final int[] groupRef = new int[ROWS];
  private final int[] groupFirst = new int[ROWS + 1];
  private final double[] groupRadius = new double[ROWS];
  private final double[] groupCut = new double[ROWS];
  private final boolean[] groupUsable = new boolean[ROWS];
  private int groups;
  /** The sub-block's extent per column, and the smallest cut over all its rows (NaN when some group is unusable). */
  private final float[] boxLo;
  private final float[] boxHi;
  private double boxCut;

  /** Sub-blocks screened and components computed in them, since construction (for tests and profiles). */
  long subBlocks;
  long componentsComputed;

  PrunedScreen(FloatMixture m, ExactDensities dens, ScreenBounds bounds) {
    this.m = m;
    this.dens = dens;
    this.bounds = bounds;
    this.k = m.k;
    this.d = m.d;
    this.xt = new float[d * ROWS];
    this.diff = new float[d * ROWS];
    this.lp = new float[k * ROWS];
    this.bucket = new int[k + 2];
    this.computed = new int[k];
    this.isComputed = new boolean[k];
    this.boxLo = new float[d];
    this.boxHi = new float[d];
  }

  /**
   * Starts a window of {@code blocks} blocks: {@code blockRows[i]} rows of block i at
   * {@code values[i][offsets[i]]}, row r's reference at {@code refs[i][refOffsets[i] + r]}
   * ({@code refs} or {@code refs[i]} may be null: no references), leaving out the window rows
   * {@code r} with {@code skip[r]} ({@code skip} null: none), which {@link SettledRows} settled.
   * Returns the number of sub-blocks.
   */
  int begin(int blocks, float[][] values, int[] offsets, int[] blockRows, int[][] refs, int[] refOffsets,
      boolean[] skip) {
    Arrays.fill(bucket, 0);
    int n = 0;
    sameArray = true;
    for (int i = 0; i < blocks; i++) {
      sameArray &= values[i] == values[0];
      blockValues[i] = values[i];
      blockOffset[i] = offsets[i];
      int[] br = bounds == null || refs == null ? null : refs[i];
      for (int r = 0; r < blockRows[i]; r++) {
        if (skip != null && skip[i * STRIDE + r]) {
          continue;
        }
        int b = br == null ? -1 : br[refOffsets[i] + r];
        b = b >= 0 && b < k ? b : -1;
        ref[i * STRIDE + r] = b;
        bucket[b + 2]++;
        n++;
      }
    }
    this.rows = n;
    // Counting sort by reference + 1 (no reference first), stable.
    for (int b = 2; b < bucket.length; b++) {
      bucket[b] += bucket[b - 1];
    }
    for (int i = 0; i < blocks; i++) {
      for (int r = 0; r < blockRows[i]; r++) {
        int row = i * STRIDE + r;
        if (skip != null && skip[row]) {
          continue;
        }
        int b = ref[row];
        order[bucket[b + 1]++] = row;
        if (b >= 0) {
          radius[row] = bounds.radius(dens.squaredDistance(values[i], offsets[i] + r * d, b));
        }
      }
    }
    return (rows + ROWS - 1) / ROWS;
  }

  /** Where window row {@code row} starts in its block's values. */
  private int rowOffset(int row) {
    return blockOffset[row / STRIDE] + (row % STRIDE) * d;
  }

  /** Rows in the current sub-block. */
  int lanes() {
    return lanes;
  }

  /** The window row ({@code block * BLOCK_ROWS + row in block}) in lane i of the current sub-block. */
  int row(int lane) {
    return order[first + lane];
  }

  /** Whether component c was computed for the current sub-block. */
  boolean computed(int c) {
    return isComputed[c];
  }

  /** How many components the current sub-block computed. */
  int computedCount() {
    return nComputed;
  }

  /** Screens sub-block s of the current window: see the class comment. */
  void screen(int s) {
    first = s * ROWS;
    lanes = Math.min(ROWS, rows - first);
    load();
    Arrays.fill(isComputed, false);
    findGroups();
    if (groupRef[0] >= 0) {
      // Every row has a reference (those without sort first): their components, then the rest
      // unless the bounds rule them out.
      nComputed = 0;
      for (int g = 0; g < groups; g++) {
        isComputed[groupRef[g]] = true;
        computed[nComputed++] = groupRef[g];
      }
      GaussianKernels.logDensities(m, xt, diff, lp, computed, nComputed);
      groupBounds();
      for (int c = 0; c < k; c++) {
        if (!isComputed[c] && needed(c)) {
          isComputed[c] = true;
          GaussianKernels.logDensity(m, c, xt, diff, lp);
        }
      }
    } else {
      // A row without a reference: the full screen.
      Arrays.fill(isComputed, true);
      GaussianKernels.logDensities(m, xt, diff, lp);
    }
    nComputed = 0;
    for (int c = 0; c < k; c++) {
      if (isComputed[c]) {
        computed[nComputed++] = c;
      }
    }
    subBlocks++;
    componentsComputed += nComputed;
    GaussianKernels.screen(lp, computed, nComputed, VectorGaussianPass.MARGIN, VectorGaussianPass.MARGIN_REL, max, best,
        count, second, asFloats);
  }

  /** Transposes the sub-block's rows into xt (d x ROWS), zeros past the last lane. */
  private void load() {
    if (lanes == ROWS && sameArray && !m.triangular) {
      gather();
      return;
    }
    for (int i = 0; i < lanes; i++) {
      int row = order[first + i];
      float[] x = blockValues[row / STRIDE];
      int ro = rowOffset(row);
      for (int a = 0; a < d; a++) {
        xt[a * ROWS + i] = x[ro + a];
      }
    }
    if (lanes < ROWS) {
      for (int a = 0; a < d; a++) {
        Arrays.fill(xt, a * ROWS + lanes, (a + 1) * ROWS, 0f);
      }
    }
  }

  /**
   * {@link #load} of a full sub-block of a window whose blocks all lie in one array, for diagonal
   * factors, a column at a time by vector gathers: the scalar transposition, two memory
   * operations per value, took as long as the diagonal screen's kernels (async-profiler;
   * docs/benchmarks.md, "The diag fit's settled passes: gathered sub-blocks and rows that kept
   * two components"). Triangular factors keep the scalar transposition: with
   * gathers the full fit (d = 16) was slower in five of seven alternating rounds.
   */
  private void gather() {
    float[] x = blockValues[order[first] / STRIDE];
    for (int i = 0; i < ROWS; i++) {
      laneOffset[i] = rowOffset(order[first + i]);
    }
    int l = F.length();
    for (int a = 0; a < d; a++) {
      for (int v = 0; v < ROWS; v += l) {
        FloatVector.fromArray(F, x, a, laneOffset, v).intoArray(xt, a * ROWS + v);
      }
    }
  }

  /** Runs of lanes with one reference (the rows are sorted by reference, -1 first). */
  private void findGroups() {
    groups = 0;
    for (int i = 0; i < lanes; i++) {
      int b = ref[order[first + i]];
      if (groups == 0 || groupRef[groups - 1] != b) {
        groupRef[groups] = b;
        groupFirst[groups] = i;
        groups++;
      }
    }
    groupFirst[groups] = lanes;
  }

  /** Per group: the largest distance and the smallest cut over its rows; unusable when any is not finite. */
  private void groupBounds() {
    for (int g = 0; g < groups; g++) {
      double r = 0;
      double cut = Double.POSITIVE_INFINITY;
      boolean ok = true;
      for (int i = groupFirst[g]; i < groupFirst[g + 1]; i++) {
        float m0 = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < nComputed; t++) {
          m0 = Math.max(m0, lp[computed[t] * ROWS + i]); // NaN stays NaN
        }
        double ri = radius[order[first + i]];
        ok &= Float.isFinite(m0) && Double.isFinite(ri);
        r = Math.max(r, ri);
        cut = Math.min(cut, ScreenBounds.cut(m0));
      }
      groupRadius[g] = r;
      groupCut[g] = cut;
      groupUsable[g] = ok;
    }
    boxCut = Double.POSITIVE_INFINITY;
    for (int g = 0; g < groups; g++) {
      boxCut = groupUsable[g] ? Math.min(boxCut, groupCut[g]) : Double.NaN;
    }
    for (int a = 0; a < d; a++) {
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < lanes; i++) {
        float v = xt[a * ROWS + i];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      boxLo[a] = lo;
      boxHi[a] = hi;
    }
  }

  /**
   * Whether some row of the sub-block may need component c: neither the bound through each
   * group's reference nor the bound over the sub-block's extent clears the cut.
   */
  private boolean needed(int c) {
    boolean clear = true;
    for (int g = 0; g < groups && clear; g++) {
      int b = groupRef[g];
      clear = groupUsable[g] && bounds.overflowFree(b, c, groupRadius[g])
          && bounds.upper(b, c, groupRadius[g]) < groupCut[g];
    }
    // NaN cuts (a group with non-finite values) compare false.
    return !clear && !(bounds.upperInBox(c, boxLo, boxHi) < boxCut);
  }

  /**
   * Puts lane i's relevant components, ascending, into {@code out[o..]} and returns how many: as
   * the unpruned screen selects them. A row whose float maximum is not finite (NaN data,
   * overflow) keeps every component, so the double evaluation decides as the reference would.
   */
  int select(int lane, int[] out, int o) {
    if (count[lane] == 1) {
      out[o] = best[lane]; // the usual case, settled by the vector screen
      return 1;
    }
    float mx = max[lane];
    int n = 0;
    if (Math.abs(mx) < Float.POSITIVE_INFINITY) {
      float threshold = mx - (VectorGaussianPass.MARGIN + Math.abs(mx) * VectorGaussianPass.MARGIN_REL);
      for (int t = 0; t < nComputed; t++) {
        int c = computed[t];
        if (lp[c * ROWS + lane] >= threshold) {
          out[o + n++] = c;
        }
      }
    } else {
      for (int c = 0; c < k; c++) {
        out[o + n++] = c;
      }
    }
    return n;
  }

  /** Computes a skipped component's float values for the current sub-block (as the full screen would have). */
  void compute(int c) {
    if (!isComputed[c]) {
      GaussianKernels.logDensity(m, c, xt, diff, lp);
    }
  }

  /**
   * Whether the unpruned pointwise pass would write exactly 0 as lane i's responsibility of the
   * skipped component c: {@code (float) exp(shift + lp_c - logp)} with {@code lp_c} at most the
   * row's bound, so an exponent below -110 (with a slack for the double arithmetic) gives a
   * double below {@code e^-110}, far below half the smallest float subnormal ({@code 2^-150}),
   * which rounds to +0.
   */
  boolean negligible(int c, int lane, double logp) {
    int r = order[first + lane];
    int b = ref[r];
    if (b < 0 || !bounds.overflowFree(b, c, radius[r])) {
      return false;
    }
    double ub = bounds.upper(b, c, radius[r]);
    double shift = m.logNormShift;
    double v = shift + ub - logp;
    return v + 0x1p-45 * (Math.abs(shift) + Math.abs(ub) + Math.abs(logp)) < -110;
  }
}
