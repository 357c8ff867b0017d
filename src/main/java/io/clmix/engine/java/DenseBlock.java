package io.clmix.engine.java;

import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A block of rows that keep many components, evaluated densely: the soft pass of
 * {@link BlockPairs} without listing pairs.
 *
 * <p>Why: {@link BlockPairs} lists each kept pair, gathers its row and sums each pair's
 * log-density across a vector of columns; when rows overlap many components (overlapping
 * clusters, or the first passes from a broad start) that bookkeeping is most of the pass. Here
 * the rows are taken a tile of {@link #TILE} at a time, transposed to double columns, and every
 * (row, component) pair of the tile is computed with lanes over rows: no lists, no horizontal
 * sums per pair. The kept set is the screen's, as in {@link BlockPairs}: a pair the screen
 * dropped gets responsibility 0, exactly as there.
 *
 * <p>Per tile, in three phases, all in double: the log-densities of every pair (the subclass:
 * {@link DenseDiagonalBlock} for diagonal factors, {@link DenseTriangularBlock} for triangular
 * ones); per row, the log-sum-exp over the kept components (exponentials summed in ascending
 * component order, objectives in row order) and the responsibilities (one kept component:
 * exp(0) = 1 and log 1 = 0, so responsibility 1 exactly, as {@link BlockPairs} sets it); per
 * component, its statistics over the tile's rows (the subclass again: lanes over rows, kept lane
 * by lane across the block's tiles and summed across lanes once per block). Every sum runs in
 * an order fixed by the data alone, so results are reproducible bit for bit; they differ from
 * {@link BlockPairs}'s in the last bits (other summation orders), and which of the two takes a
 * block depends on the block's kept pairs alone.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present. One per task: it
 * holds scratch.
 */
abstract class DenseBlock {
  static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  static final int L = S.length();
  /** Rows per tile: a multiple of 4 vectors (the accumulators of one step). */
  static final int TILE = Math.max(64, 4 * L);
  /** Most doubles of lane sums a task may hold: beyond, the pass keeps to {@link BlockPairs}. */
  static final long MAX_PARTIAL = 1L << 20;

  final ExactDensities dens;
  final int k;
  final int d;
  /** Padded row length of the factors and means ({@link ExactDensities#dp}). */
  final int dp;
  /** The means padded to dp columns, k x dp. */
  final double[] means;

  /** The tile's rows as double columns: dp x TILE, zero beyond the tile's rows and beyond d. */
  final double[] columns;
  /** Log-densities of every (component, row) pair of the tile: k x TILE. */
  final double[] logDensity;
  /** Responsibilities times the row weight, 0 for pairs the screen dropped: k x TILE. */
  final double[] resp;
  private final double[] weight = new double[TILE];
  /** Per row: its largest kept log-density, the sum of its exponentials, weight over that sum. */
  private final double[] top = new double[TILE];
  private final double[] sumExp = new double[TILE];
  private final double[] scale = new double[TILE];
  /** Whether the screen kept (component, row), k x TILE; false for rows of weight 0. */
  private final boolean[] keep;
  /** Lane sums per component, in the subclass's layout; component c's start at {@code c * per}. */
  final int per;
  /** Every component's lane sums, k x {@link #per}. */
  final double[] partial;
  /** Components with a partial sum to flush. */
  final boolean[] touched;

  DenseBlock(ExactDensities dens, int k, int d, long partialPerComponent) {
    this.dens = dens;
    this.k = k;
    this.d = d;
    this.dp = dens.dp;
    this.means = dens.paddedMeans();
    this.columns = new double[dp * TILE];
    this.logDensity = new double[k * TILE];
    this.resp = new double[k * TILE];
    this.keep = new boolean[k * TILE];
    this.per = Math.toIntExact(partialPerComponent);
    this.partial = new double[Math.toIntExact(k * partialPerComponent)];
    this.touched = new boolean[k];
  }

  /**
   * The dense evaluator for a pass with this scatter shape: diagonal factors for DIAG (diag and
   * spherical covariances), triangular ones for FULL and TIED.
   */
  static DenseBlock of(ExactDensities dens, int k, int d, Scatter shape) {
    switch (shape) {
      case DIAG:
        return new DenseDiagonalBlock(dens, k, d);
      case FULL:
      case TIED:
        return new DenseTriangularBlock(dens, k, d, shape);
      default:
        throw new IllegalArgumentException("no dense evaluation for " + shape);
    }
  }

  /**
   * Doubles of the per-task lane sums for k components and d columns, for a pass with this
   * scatter shape; {@link Long#MAX_VALUE} where no dense evaluation exists (K-means' NONE).
   */
  static long partialLength(int k, int d, Scatter shape) {
    switch (shape) {
      case DIAG:
        return k * DenseDiagonalBlock.partialPerComponent(d);
      case FULL:
      case TIED:
        return k * DenseTriangularBlock.partialPerComponent(d);
      default:
        return Long.MAX_VALUE;
    }
  }

  /**
   * Evaluates the {@code rows} rows starting at {@code x[xo]} (row-major floats, d per row)
   * with sample weights {@code w[wo..]} (null: all 1), row r's kept components (ascending) at
   * {@code kept[keptAt[ko + r] ..]}, {@code keptCount[ko + r]} of them; adds their soft
   * statistics into {@code st} and returns their objective, the weighted sum of log p(x).
   */
  final double evaluate(float[] x, int xo, int rows, float[] w, int wo, int[] kept, int[] keptAt, int[] keptCount,
      int ko, SufficientStats st) {
    double objective = 0;
    for (int t0 = 0; t0 < rows; t0 += TILE) {
      int n = Math.min(TILE, rows - t0);
      load(x, xo + t0 * d, n, w, w == null ? 0 : wo + t0);
      logDensities();
      objective += responsibilities(n, kept, keptAt, keptCount, ko + t0);
      statistics();
    }
    flush(st);
    return objective;
  }

  /** Every pair's {@code logNorm_c - maha / 2} into {@link #logDensity}. */
  abstract void logDensities();

  /**
   * Per component with weight in the tile ({@link #resp}), its statistics added lane by lane
   * into {@link #partial}, marking it {@link #touched} (a horizontal sum per tile would cost as
   * much as the tile's arithmetic).
   */
  abstract void statistics();

  /**
   * The touched components' {@link #partial} sums, reduced in ascending component order, into
   * {@code st}; leaves them zero and untouched.
   */
  private void flush(SufficientStats st) {
    double[] weights = st.weight();
    for (int c = 0; c < k; c++) {
      if (!touched[c]) {
        continue;
      }
      touched[c] = false;
      int po = c * per;
      weights[c] += reduce(po);
      flushSums(c, po + L, st);
    }
  }

  /**
   * Component c's lane sums after its weight, from {@code partial[o]}, reduced with
   * {@link #reduce} into {@code st}'s sums and scatter.
   */
  abstract void flushSums(int c, int o, SufficientStats st);

  /** The tile's rows into {@link #columns}, transposed and widened; padding rows are 0 with weight 0. */
  private void load(float[] x, int xo, int n, float[] w, int wo) {
    for (int r = 0; r < n; r++) {
      int xr = xo + r * d;
      for (int j = 0; j < d; j++) {
        columns[j * TILE + r] = x[xr + j];
      }
      weight[r] = w == null ? 1.0 : w[wo + r];
    }
    for (int r = n; r < TILE; r++) {
      for (int j = 0; j < d; j++) {
        columns[j * TILE + r] = 0;
      }
      weight[r] = 0;
    }
  }

  /**
   * Adds component c's responsibilities over the tile, lanes over rows, to the lane sums at
   * {@code partial[po..]} and marks c {@link #touched}; false, adding nothing, when no row of the
   * tile keeps c (NaN is not 0: it propagates, as in the reference).
   */
  final boolean addTileWeight(int c, int po) {
    int ro = c * TILE;
    DoubleVector wv = DoubleVector.zero(S);
    for (int r0 = 0; r0 < TILE; r0 += L) {
      wv = wv.add(DoubleVector.fromArray(S, resp, ro + r0));
    }
    if (wv.eq(0).allTrue()) {
      return false;
    }
    wv.add(DoubleVector.fromArray(S, partial, po)).intoArray(partial, po);
    touched[c] = true;
    return true;
  }

  /** Component c's log-densities {@code logNorm - maha / 2} of the tile's rows from r0, four vectors of Mahalanobis distances. */
  final void storeLogDensities(int c, int r0, double logNorm, DoubleVector m0, DoubleVector m1, DoubleVector m2,
      DoubleVector m3) {
    int lo = c * TILE + r0;
    m0.mul(-0.5).add(logNorm).intoArray(logDensity, lo);
    m1.mul(-0.5).add(logNorm).intoArray(logDensity, lo + L);
    m2.mul(-0.5).add(logNorm).intoArray(logDensity, lo + 2 * L);
    m3.mul(-0.5).add(logNorm).intoArray(logDensity, lo + 3 * L);
  }

  /** The L lanes at {@code partial[o..]}, summed in lane order, and zeroed. */
  final double reduce(int o) {
    double s = 0;
    for (int i = 0; i < L; i++) {
      s += partial[o + i];
      partial[o + i] = 0;
    }
    return s;
  }

  /**
   * Each row's responsibilities over its kept components, times its weight, into {@link #resp}
   * (0 elsewhere), with the operations of {@link BlockPairs}'s soft assignment (the sum of
   * exponentials in ascending component order); returns the tile's objective, summed in row
   * order. Component-major, so that every phase reads the tile's arrays in memory order.
   */
  private double responsibilities(int n, int[] kept, int[] keptAt, int[] keptCount, int ko) {
    Arrays.fill(keep, false);
    for (int r = 0; r < n; r++) {
      if (weight[r] == 0) {
        continue; // contributes nothing, as an unlisted row of BlockPairs: all its pairs stay 0
      }
      for (int t = keptAt[ko + r], to = t + keptCount[ko + r]; t < to; t++) {
        keep[kept[t] * TILE + r] = true;
      }
    }
    // Each row's largest kept log-density (-infinity for rows left out).
    Arrays.fill(top, Double.NEGATIVE_INFINITY);
    for (int c = 0; c < k; c++) {
      int o = c * TILE;
      for (int r = 0; r < TILE; r++) {
        if (keep[o + r] && logDensity[o + r] > top[r]) {
          top[r] = logDensity[o + r];
        }
      }
    }
    Arrays.fill(sumExp, 0);
    for (int c = 0; c < k; c++) {
      int o = c * TILE;
      for (int r = 0; r < TILE; r++) {
        double e = 0;
        if (keep[o + r]) {
          // exp(0) = 1 exactly, so a row with one kept component gets responsibility 1 as in BlockPairs.
          e = Math.exp(logDensity[o + r] - top[r]);
          sumExp[r] += e;
        }
        resp[o + r] = e;
      }
    }
    double objective = 0;
    boolean irregular = false;
    for (int r = 0; r < TILE; r++) {
      double w = weight[r];
      if (w == 0) {
        scale[r] = 0;
        continue;
      }
      double ratio = w / sumExp[r];
      if (top[r] == Double.NEGATIVE_INFINITY || !Double.isFinite(ratio)) {
        // Scaled below, pair by pair, so that a NaN reaches no pair the screen dropped.
        scale[r] = 0;
        irregular = true;
      } else {
        scale[r] = ratio;
      }
      objective += top[r] == Double.NEGATIVE_INFINITY ? w * top[r] : w * (top[r] + Math.log(sumExp[r]));
    }
    for (int i = 0; i < k * TILE; i += L) {
      DoubleVector.fromArray(S, resp, i).mul(DoubleVector.fromArray(S, scale, i % TILE)).intoArray(resp, i);
    }
    if (irregular) {
      irregularRows();
    }
    return objective;
  }

  /**
   * The kept pairs of rows whose scale is not a finite number, as {@link BlockPairs} has them:
   * NaN where no component can hold the row (top -infinity: undefined responsibilities, as in
   * the reference), {@code exp(lp - top) * (w / sum)} otherwise.
   */
  private void irregularRows() {
    for (int r = 0; r < TILE; r++) {
      double w = weight[r];
      if (w == 0 || scale[r] != 0) {
        continue;
      }
      boolean unheld = top[r] == Double.NEGATIVE_INFINITY;
      double ratio = w / sumExp[r];
      for (int c = 0; c < k; c++) {
        int i = c * TILE + r;
        if (keep[i]) {
          resp[i] = unheld ? Double.NaN : Math.exp(logDensity[i] - top[r]) * ratio;
        }
      }
    }
  }
}
