package io.clmix.engine.java;

import io.clmix.engine.SufficientStats;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rows that kept exactly one component (or two, {@link #addTwo}), under diagonal factors (diag
 * and spherical covariances): the double log-densities and the statistics straight from the
 * row, without {@link BlockPairs}' lists.
 *
 * <p>Why: with separated clusters, once the fit settles, nearly every row keeps one component
 * (docs/benchmarks.md, "Lone rows"), and its responsibility is exactly 1. {@link BlockPairs}
 * serves such a row through its general machinery: it lists the pair, widens the row to double
 * into a buffer, groups it by component, and forms {@code x - mean} once for the log-density and
 * again for the statistics. Here the row goes straight from its floats to differences in
 * registers, twice (the log-density first, so a row with none adds nothing; the second time
 * from L1), with no lists and no buffer.
 *
 * <p>Rows of a soft pass that kept two components (two components sharing a cluster) come here
 * too ({@link #addTwo}): both log-densities from one read of the row, the log-sum-exp of the
 * two, and the statistics of each with its responsibility.
 *
 * <p>The log-density is the same computation as {@link ExactDensities#mahalanobisOfRows} (the
 * same vector operations on the same values: widening a float is exact), so it has the same
 * bits. The statistics are summed per component in row order into this object's accumulators
 * and added into the pass's statistics by {@link #flushInto}; which rows come here depends only
 * on the kept components, so the result does not depend on whether a row was screened or
 * settled, nor on the thread count.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present. One per task: it holds
 * running sums.
 */
final class LoneRows {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Floats as many as a double vector has lanes, for the float-to-double conversion. */
  private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * L));

  private final int k;
  private final int d;
  private final int dp;
  /** Columns read as whole vectors straight from the float row; the rest go through {@link #tail}. */
  private final int whole;
  private final double[] means;
  private final double[] factors;
  private final double[] logNorm;
  /** Per component: summed weight, and the weighted sums of {@code x - mean} and of its squares (k x dp). */
  private final double[] weight;
  private final double[] sum;
  private final double[] squares;
  /** The last partial vector of a row, widened and padded with zeros (d not a multiple of L). */
  private final double[] tail;
  /** Components with rows since the last flush. */
  private final boolean[] touched;
  private boolean empty = true;
  /** Rows added since the last flush by {@link #add}, and by {@link #addTwo}. */
  private long rows;
  private long twoRows;

  /** Doubles a LoneRows holds for k components of d columns (dp padded), for the slabs' memory budget. */
  static long doubles(int k, int dp) {
    return 2L * k * dp + k;
  }

  LoneRows(ExactDensities dens, int k, int d) {
    this.k = k;
    this.d = d;
    this.dp = dens.dp;
    this.whole = d / L * L;
    this.means = dens.paddedMeans();
    this.factors = dens.diagonalFactors();
    this.logNorm = dens.logNorm;
    this.weight = new double[k];
    this.sum = new double[k * dp];
    this.squares = new double[k * dp];
    this.tail = new double[L];
    this.touched = new boolean[k];
  }

  /**
   * The row at {@code x[xo..xo+d)}, weight {@code w} (not 0), whose one kept component is c:
   * returns its double log-density {@code log(weight_c N(x | mean_c, Sigma_c))} and, when that
   * is above -infinity, adds the row's statistics with responsibility 1. When it is not (no
   * component can hold the point, or NaN), nothing is added: the caller takes the row the
   * general way, which gives such rows their defined results.
   */
  double add(float[] x, int xo, int c, double w) {
    int mo = c * dp;
    DoubleVector m = DoubleVector.zero(S);
    int v = 0;
    for (; v < whole; v += L) {
      DoubleVector y = widened(x, xo + v).sub(DoubleVector.fromArray(S, means, mo + v))
          .mul(DoubleVector.fromArray(S, factors, mo + v));
      m = y.fma(y, m);
    }
    for (; v < dp; v += L) {
      padTail(x, xo, v);
      DoubleVector y = DoubleVector.fromArray(S, tail, 0).sub(DoubleVector.fromArray(S, means, mo + v))
          .mul(DoubleVector.fromArray(S, factors, mo + v));
      m = y.fma(y, m);
    }
    double lp = logNorm[c] - 0.5 * m.reduceLanes(VectorOperators.ADD);
    if (!(lp > Double.NEGATIVE_INFINITY)) {
      return lp;
    }
    // The row is in L1 now: reading it again is cheaper than holding dp / L vectors of it.
    addStatistics(x, xo, c, w);
    rows++;
    return lp;
  }

  /** Adds the row's statistics for component c with responsibility times weight {@code w}. */
  private void addStatistics(float[] x, int xo, int c, double w) {
    int mo = c * dp;
    int v = 0;
    for (; v < whole; v += L) {
      DoubleVector diff = widened(x, xo + v).sub(DoubleVector.fromArray(S, means, mo + v));
      DoubleVector t = diff.mul(w);
      DoubleVector.fromArray(S, sum, mo + v).add(t).intoArray(sum, mo + v);
      t.fma(diff, DoubleVector.fromArray(S, squares, mo + v)).intoArray(squares, mo + v);
    }
    for (; v < dp; v += L) {
      padTail(x, xo, v);
      DoubleVector diff = DoubleVector.fromArray(S, tail, 0).sub(DoubleVector.fromArray(S, means, mo + v));
      DoubleVector t = diff.mul(w);
      DoubleVector.fromArray(S, sum, mo + v).add(t).intoArray(sum, mo + v);
      t.fma(diff, DoubleVector.fromArray(S, squares, mo + v)).intoArray(squares, mo + v);
    }
    weight[c] += w;
    touched[c] = true;
    empty = false;
  }

  /**
   * A row of a soft pass, weight {@code w} (not 0), that kept two components {@code c1 < c2}:
   * puts their double log-densities into {@code logDensities[0..1]} (the bits of {@link #add}'s,
   * which are {@link ExactDensities}' own) and returns the row's log p(x), computed as
   * {@link BlockPairs} does it (the larger value, the first on a tie, plus the log of the two
   * exponentials' sum), adding the statistics of both with their responsibilities. Returns NaN
   * and adds nothing when the larger value is not finite or either is NaN: the caller takes the
   * row the general way, which gives such rows their defined results.
   *
   * <p>Why: with two components sharing a blob, about a fifth of the diag benchmark's rows keep
   * two, and {@link BlockPairs}' lists, widening and grouping cost them about four lone rows'
   * time (docs/benchmarks.md, "The diag fit's settled passes: gathered sub-blocks and rows that
   * kept two components").
   */
  double addTwo(float[] x, int xo, int c1, int c2, double w, double[] logDensities) {
    int m1 = c1 * dp;
    int m2 = c2 * dp;
    DoubleVector a1 = DoubleVector.zero(S);
    DoubleVector a2 = a1;
    int v = 0;
    for (; v < whole; v += L) {
      DoubleVector xv = widened(x, xo + v);
      DoubleVector y1 = xv.sub(DoubleVector.fromArray(S, means, m1 + v)).mul(DoubleVector.fromArray(S, factors, m1 + v));
      DoubleVector y2 = xv.sub(DoubleVector.fromArray(S, means, m2 + v)).mul(DoubleVector.fromArray(S, factors, m2 + v));
      a1 = y1.fma(y1, a1);
      a2 = y2.fma(y2, a2);
    }
    for (; v < dp; v += L) {
      padTail(x, xo, v);
      DoubleVector xv = DoubleVector.fromArray(S, tail, 0);
      DoubleVector y1 = xv.sub(DoubleVector.fromArray(S, means, m1 + v)).mul(DoubleVector.fromArray(S, factors, m1 + v));
      DoubleVector y2 = xv.sub(DoubleVector.fromArray(S, means, m2 + v)).mul(DoubleVector.fromArray(S, factors, m2 + v));
      a1 = y1.fma(y1, a1);
      a2 = y2.fma(y2, a2);
    }
    double lp1 = logNorm[c1] - 0.5 * a1.reduceLanes(VectorOperators.ADD);
    double lp2 = logNorm[c2] - 0.5 * a2.reduceLanes(VectorOperators.ADD);
    double top = lp2 > lp1 ? lp2 : lp1;
    if (!Double.isFinite(top) || Double.isNaN(lp1) || Double.isNaN(lp2)) {
      return Double.NaN;
    }
    logDensities[0] = lp1;
    logDensities[1] = lp2;
    // exp(top - top) is exactly 1: only the other one needs the exp.
    double e1 = top == lp1 ? 1 : Math.exp(lp1 - top);
    double e2 = top == lp1 ? Math.exp(lp2 - top) : 1;
    double s = e1 + e2;
    double scale = w / s;
    // A responsibility that underflowed to 0 adds nothing, as in BlockPairs.
    if (e1 * scale != 0) {
      addStatistics(x, xo, c1, e1 * scale);
    }
    if (e2 * scale != 0) {
      addStatistics(x, xo, c2, e2 * scale);
    }
    twoRows++;
    return top + Math.log(s);
  }

  /** Rows {@link #addTwo} took since the last flush. */
  long twoRows() {
    return twoRows;
  }

  /** L floats from {@code x[o]} as doubles (exact). */
  private static DoubleVector widened(float[] x, int o) {
    return (DoubleVector) FloatVector.fromArray(HALF, x, o).convertShape(VectorOperators.F2D, S, 0);
  }

  /** Columns [v, v + L) of the row at {@code x[xo]} into {@link #tail} as doubles, zero from d on. */
  private void padTail(float[] x, int xo, int v) {
    for (int j = 0; j < L; j++) {
      tail[j] = v + j < d ? x[xo + v + j] : 0;
    }
  }

  /** Rows {@link #add} took since the last flush (those of {@link #addTwo}: {@link #twoRows()}). */
  long rows() {
    return rows;
  }

  /** Adds the rows taken since the last flush into {@code st} (components ascending) and starts again. */
  void flushInto(SufficientStats st) {
    if (empty) {
      return;
    }
    double[] stWeight = st.weight();
    double[] stSum = st.sum();
    double[] stSquares = st.scatter();
    for (int c = 0; c < k; c++) {
      if (!touched[c]) {
        continue;
      }
      stWeight[c] += weight[c];
      for (int j = 0; j < d; j++) {
        stSum[c * d + j] += sum[c * dp + j];
        stSquares[c * d + j] += squares[c * dp + j];
      }
      weight[c] = 0;
      Arrays.fill(sum, c * dp, (c + 1) * dp, 0);
      Arrays.fill(squares, c * dp, (c + 1) * dp, 0);
      touched[c] = false;
    }
    empty = true;
    rows = 0;
    twoRows = 0;
  }
}
