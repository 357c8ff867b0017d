package io.clmix.engine.java;

import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import java.util.Arrays;

/**
 * The (row, component) pairs of one block of rows that the float screen kept, evaluated and
 * summed in double, a component at a time.
 *
 * <p>While the block is screened, {@link #addRow} lists each row's relevant components; then
 * {@link #finish} works in three phases:
 * <ol>
 *   <li>log-densities of every listed pair, grouped by component: each group of up to
 *       {@link #GROUP} rows goes through {@link ExactDensities#mahalanobisOfRows}, which forms
 *       the differences {@code x - mean} in double (in registers for diagonal factors, in an
 *       L1-sized scratch for the register tiles of triangular ones);
 *   <li>per row, in row order: the log-sum-exp and the responsibilities (soft), or the most
 *       likely component (hard, ties to the lower index), and the row's objective;
 *   <li>statistics, grouped by component again: the group's differences are formed anew (in
 *       registers by {@link ScatterKernels#sumsOfRows} for the diagonal statistics) and its
 *       weight, sums and scatter added into the double statistics with {@link ScatterKernels}.
 * </ol>
 *
 * <p>Why grouped: with separated clusters most pairs are screened out, so the d^2 work is done
 * only for the pairs that count, and densely, in register tiles over rows of one component,
 * instead of row by row with a factor reloaded for every row. Where rows keep most components,
 * listing costs more than computing every pair: soft passes then take such blocks to
 * {@link DenseBlock} instead.
 *
 * <p>The order of every sum (components ascending, rows in block order) depends on the data
 * alone, so results are reproducible bit for bit.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present.
 */
final class BlockPairs {
  /** Rows of one component processed at once. */
  static final int GROUP = 32;

  private final ExactDensities dens;
  private final int k;
  private final int d;
  private final int dp;

  /** Listed pairs, row by row, components ascending within a row; offsets are into {@link #wide}. */
  private int pairs;
  private int[] pairOffset = new int[256];
  private int[] pairComponent = new int[256];
  private double[] pairLogDensity = new double[256];
  private double[] pairWeight = new double[256];
  /** Listed rows: sample weight and first pair (the next row's first pair ends it). */
  private int rows;
  private double[] rowWeight = new double[64];
  private int[] rowFirst = new int[65];
  /** Listed rows: index in the block. */
  private int[] rowIndex = new int[64];
  /** Pair indices per component, ascending. */
  private final int[][] byComponent;
  private final int[] count;

  /** The listed rows as doubles, in listing order, rows of dp (see {@link ExactDensities#widen}). */
  private double[] wide = new double[0];
  /** One group: differences (GROUP x dp, zero beyond d), weights, Mahalanobis distances. */
  private final double[] diffs;
  /** One group's rows: where each starts in {@link #wide}. */
  private final int[] groupOffsets = new int[GROUP];
  private final double[] resp;
  private final double[] maha;
  private final double[] scaled;
  private final double[] tmp;

  BlockPairs(ExactDensities dens, int k, int d, Scatter shape) {
    this.dens = dens;
    this.k = k;
    this.d = d;
    this.dp = dens.dp;
    this.byComponent = new int[k][GROUP];
    this.count = new int[k];
    this.diffs = new double[GROUP * dp];
    this.resp = new double[GROUP];
    this.maha = new double[GROUP];
    this.scaled = shape == Scatter.FULL || shape == Scatter.TIED ? new double[GROUP * dp] : null;
    this.tmp = new double[8 * ScatterKernels.lanes()];
  }

  /**
   * Lists a row: its index {@code row} in the block, its sample weight, and its n relevant
   * components (ascending). A row of zero weight contributes nothing and is not listed.
   */
  void addRow(int row, double weight, int[] relevant, int n) {
    addRow(row, weight, relevant, 0, n);
  }

  /** As {@link #addRow(int, double, int[], int)} with the components at {@code relevant[from..from+n)}. */
  void addRow(int row, double weight, int[] relevant, int from, int n) {
    if (weight == 0) {
      return;
    }
    if (rows + 1 == rowWeight.length) {
      rowWeight = Arrays.copyOf(rowWeight, 2 * rowWeight.length);
      rowFirst = Arrays.copyOf(rowFirst, 2 * rowFirst.length);
      rowIndex = Arrays.copyOf(rowIndex, 2 * rowIndex.length);
    }
    if (pairs + n > pairOffset.length) {
      int cap = Math.max(2 * pairOffset.length, pairs + n);
      pairOffset = Arrays.copyOf(pairOffset, cap);
      pairComponent = Arrays.copyOf(pairComponent, cap);
      pairLogDensity = Arrays.copyOf(pairLogDensity, cap);
      pairWeight = Arrays.copyOf(pairWeight, cap);
    }
    rowWeight[rows] = weight;
    rowFirst[rows] = pairs;
    rowIndex[rows] = row;
    rows++;
    for (int t = 0; t < n; t++) {
      int c = relevant[from + t];
      int p = pairs++;
      pairOffset[p] = (rows - 1) * dp; // the listed row's place in wide
      pairComponent[p] = c;
      if (count[c] == byComponent[c].length) {
        byComponent[c] = Arrays.copyOf(byComponent[c], 2 * count[c]);
      }
      byComponent[c][count[c]++] = p;
    }
    rowFirst[rows] = pairs;
  }

  /**
   * Evaluates the listed pairs of a block whose {@code blockRows} rows start at {@code x[xo]},
   * adds their statistics into {@code st}, empties the lists, and returns the listed rows'
   * objective: weighted log p(x) (soft) or weighted log-density of the most likely component
   * (hard). For each listed row with one or two pairs it also writes their log-densities,
   * as floats no greater ({@link FloatBounds#atMost}), into {@code first[so + row]} and {@code second[so + row]} (the second
   * only for two; both null: none; other rows are not written), for {@link SettledRows}.
   */
  double finish(float[] x, int xo, int blockRows, boolean hard, SufficientStats st, float[] first, float[] second,
      int so) {
    if (wide.length < rows * dp) {
      wide = new double[Math.max(rows, Math.min(blockRows, 2 * wide.length / dp + 16)) * dp];
    }
    // Each listed row once to double, rather than once per pair and phase.
    for (int r = 0; r < rows; r++) {
      dens.widen(x, xo + rowIndex[r] * d, 1, wide, r * dp);
    }
    logDensities();
    if (first != null) {
      for (int r = 0; r < rows; r++) {
        int p = rowFirst[r];
        int n = rowFirst[r + 1] - p;
        if (n == 1 || n == 2) {
          int row = so + rowIndex[r];
          first[row] = FloatBounds.atMost(pairLogDensity[p]);
          if (n == 2) {
            second[row] = FloatBounds.atMost(pairLogDensity[p + 1]);
          }
        }
      }
    }
    double objective = hard ? assignHard() : assignSoft();
    statistics(st);
    pairs = 0;
    rows = 0;
    Arrays.fill(count, 0);
    return objective;
  }

  private void logDensities() {
    for (int c = 0; c < k; c++) {
      int[] list = byComponent[c];
      double logNorm = dens.logNorm[c];
      for (int g0 = 0; g0 < count[c]; g0 += GROUP) {
        int n = Math.min(GROUP, count[c] - g0);
        for (int g = 0; g < n; g++) {
          groupOffsets[g] = pairOffset[list[g0 + g]];
        }
        dens.mahalanobisOfRows(wide, groupOffsets, n, c, diffs, maha);
        for (int g = 0; g < n; g++) {
          pairLogDensity[list[g0 + g]] = logNorm - 0.5 * maha[g];
        }
      }
    }
  }

  /** The most likely of a row's pairs [from, to): the first largest log-density. */
  private int best(int from, int to) {
    int best = from;
    for (int p = from + 1; p < to; p++) {
      if (pairLogDensity[p] > pairLogDensity[best]) {
        best = p;
      }
    }
    return best;
  }

  private double assignHard() {
    double objective = 0;
    for (int r = 0; r < rows; r++) {
      int from = rowFirst[r];
      int to = rowFirst[r + 1];
      int best = best(from, to);
      for (int p = from; p < to; p++) {
        pairWeight[p] = p == best ? rowWeight[r] : 0;
      }
      objective += rowWeight[r] * pairLogDensity[best];
    }
    return objective;
  }

  private double assignSoft() {
    double objective = 0;
    for (int r = 0; r < rows; r++) {
      int from = rowFirst[r];
      int to = rowFirst[r + 1];
      double w = rowWeight[r];
      double top = pairLogDensity[best(from, to)];
      if (to - from == 1 && top > Double.NEGATIVE_INFINITY) {
        pairWeight[from] = w; // responsibility exp(lp - log p) = 1
        objective += w * top;
        continue;
      }
      if (top == Double.NEGATIVE_INFINITY) {
        // No component can hold the point: log p = -infinity and undefined (NaN)
        // responsibilities, as in the reference.
        Arrays.fill(pairWeight, from, to, Double.NaN);
        objective += w * top;
        continue;
      }
      double s = 0;
      for (int p = from; p < to; p++) {
        double e = Math.exp(pairLogDensity[p] - top);
        pairWeight[p] = e;
        s += e;
      }
      double scale = w / s;
      for (int p = from; p < to; p++) {
        pairWeight[p] *= scale;
      }
      objective += w * (top + Math.log(s));
    }
    return objective;
  }

  private void statistics(SufficientStats st) {
    Scatter shape = st.scatterShape();
    boolean diag = shape == Scatter.DIAG;
    for (int c = 0; c < k; c++) {
      int[] list = byComponent[c];
      int listed = count[c];
      int next = 0;
      while (next < listed) {
        // A group of this component's pairs with non-zero weight (hard zeroes the others).
        int n = 0;
        double w = 0;
        for (; next < listed && n < GROUP; next++) {
          int p = list[next];
          double pw = pairWeight[p];
          if (pw == 0) {
            continue;
          }
          if (diag) {
            groupOffsets[n] = pairOffset[p]; // differences formed in registers by sumsOfRows
          } else {
            dens.difference(wide, pairOffset[p], c, diffs, n * dp);
          }
          resp[n++] = pw;
          w += pw;
        }
        if (n == 0) {
          break;
        }
        st.weight()[c] += w;
        if (diag) {
          ScatterKernels.sumsOfRows(wide, groupOffsets, dens.paddedMeans(), c * dp, resp, n, dp, d, st.sum(), c * d,
              st.scatter(), c * d, tmp);
        } else {
          ScatterKernels.sums(diffs, 0, resp, 0, n, dp, d, st.sum(), c * d, tmp);
        }
        if (!diag) {
          ScatterKernels.outer(diffs, 0, resp, 0, n, dp, d, st.scatter(), shape == Scatter.FULL ? c * d * d : 0,
              scaled, tmp);
        }
      }
    }
  }
}
