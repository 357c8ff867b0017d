package io.clmix.engine.java;

import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * One component's log-density of one point in double precision with the Vector API: the same
 * quantity as {@link DoubleDensities}, for the (point, component) pairs the float screen kept.
 *
 * <p>Triangular factors: lanes over the output columns of {@code y = (x - mean) U}; each vector
 * of columns sums rows a up to its last column only (U is upper triangular), in four
 * accumulators that take every fourth row, so the FMA chain is a quarter as long. The factor is
 * stored padded to whole vectors with zeros, so no loop needs a tail.
 *
 * <p>{@link #mahalanobisOfRows} does the same for a group of rows of one component (the grouped
 * rows of {@link BlockPairs}): for triangular factors it forms their double differences and
 * takes them through {@link #mahalanobis}, a register-tiled product of 4 rows by 2 vectors of
 * columns, 8 FMA accumulators per step, the squares summed per row in registers; for diagonal
 * factors it forms the differences in registers, four rows at a time.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present. Immutable; per-thread
 * scratch comes from the caller.
 */
final class ExactDensities {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Floats as many as a double vector has lanes, for the float-to-double conversion. */
  private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * L));

  private final CovarianceType type;
  private final boolean triangular;
  private final int d;
  /** d rounded up to whole vectors and to a multiple of 4 (the accumulator stride). */
  final int dp;
  private final double[] means;
  /** The means padded to dp columns with zeros, k x dp. */
  private final double[] paddedMeans;
  final double[] logNorm;
  /** Triangular: U padded to dp x dp per matrix, zero outside the triangle. Diagonal: k x dp. */
  private final double[] factor;

  ExactDensities(MixtureParams p) {
    this.type = p.type();
    this.triangular = type == CovarianceType.FULL || type == CovarianceType.TIED;
    this.d = p.d();
    this.dp = paddedLength(d);
    this.means = p.means();
    this.logNorm = p.logNorm();
    double[] u = p.precisionCholesky();
    int k = p.k();
    paddedMeans = new double[k * dp];
    for (int c = 0; c < k; c++) {
      System.arraycopy(means, c * d, paddedMeans, c * dp, d);
    }
    switch (type) {
      case FULL:
      case TIED: {
        int mats = type == CovarianceType.FULL ? k : 1;
        factor = new double[mats * dp * dp];
        for (int m = 0; m < mats; m++) {
          for (int a = 0; a < d; a++) {
            System.arraycopy(u, (m * d + a) * d + a, factor, (m * dp + a) * dp + a, d - a);
          }
        }
        break;
      }
      case DIAG:
      case SPHERICAL:
        factor = new double[k * dp];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            factor[c * dp + j] = type == CovarianceType.DIAG ? u[c * d + j] : u[c];
          }
        }
        break;
      default:
        throw new AssertionError(type);
    }
  }

  /** Row stride of padded double rows: d rounded up to whole vectors and to a multiple of 4. */
  private static int paddedLength(int d) {
    int unit = Math.max(4, L);
    return (d + unit - 1) / unit * unit;
  }

  /** Length of the scratch {@link #logDensity} needs. */
  int scratchLength() {
    return dp;
  }

  /** Where component c's factor starts in {@link #triangularFactors()} or {@link #diagonalFactors()}. */
  int factorOffset(int c) {
    return type == CovarianceType.FULL ? c * dp * dp : type == CovarianceType.TIED ? 0 : c * dp;
  }

  /**
   * {@code log(weight_c N(x | mean_c, Sigma_c))} for the row at {@code x[xo..xo+d)}.
   * {@code diff} is scratch of {@link #scratchLength()} doubles whose entries from d on are zero
   * (this method keeps them so).
   */
  double logDensity(float[] x, int xo, int c, double[] diff) {
    difference(x, xo, c, diff, 0);
    double maha = triangular ? triangular(diff, 0, factorOffset(c)) : diagonal(diff, 0, factorOffset(c));
    return logNorm[c] - 0.5 * maha;
  }

  /**
   * {@code out[oo + j] = x[xo + j] - mean_c[j]} in double for j in [0, d): exact to double
   * rounding. Entries from d on are not written.
   */
  void difference(float[] x, int xo, int c, double[] out, int oo) {
    int mo = c * d;
    int j = 0;
    for (; j + L <= d; j += L) {
      ((DoubleVector) FloatVector.fromArray(HALF, x, xo + j).convertShape(VectorOperators.F2D, S, 0))
          .sub(DoubleVector.fromArray(S, means, mo + j))
          .intoArray(out, oo + j);
    }
    for (; j < d; j++) {
      out[oo + j] = x[xo + j] - means[mo + j];
    }
  }

  /**
   * {@code |x - mean_c|^2} in double for the row at {@code x[xo..xo+d)}, summed in an order of
   * its own (a bound's input: {@link ScreenBounds#radius} widens it by far more than any order
   * changes it).
   */
  double squaredDistance(float[] x, int xo, int c) {
    int mo = c * d;
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = a0;
    int j = 0;
    for (; j + 2 * L <= d; j += 2 * L) {
      DoubleVector t0 = ((DoubleVector) FloatVector.fromArray(HALF, x, xo + j).convertShape(VectorOperators.F2D, S, 0))
          .sub(DoubleVector.fromArray(S, means, mo + j));
      DoubleVector t1 = ((DoubleVector) FloatVector.fromArray(HALF, x, xo + j + L).convertShape(VectorOperators.F2D, S, 0))
          .sub(DoubleVector.fromArray(S, means, mo + j + L));
      a0 = t0.fma(t0, a0);
      a1 = t1.fma(t1, a1);
    }
    double s = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; j < d; j++) {
      double t = x[xo + j] - means[mo + j];
      s += t * t;
    }
    return s;
  }

  /**
   * Copies {@code rows} rows of d floats from {@code x[xo]} into {@code out} as doubles, rows of
   * dp (zero beyond d), so {@link #difference(double[], int, int, double[], int)} needs no
   * conversion.
   */
  void widen(float[] x, int xo, int rows, double[] out) {
    widen(x, xo, rows, out, 0);
  }

  /** As {@link #widen(float[], int, int, double[])}, the rows written from {@code out[oo]}. */
  void widen(float[] x, int xo, int rows, double[] out, int oo) {
    for (int i = 0; i < rows; i++) {
      int o = oo + i * dp;
      int xi = xo + i * d;
      int j = 0;
      for (; j + L <= d; j += L) {
        ((DoubleVector) FloatVector.fromArray(HALF, x, xi + j).convertShape(VectorOperators.F2D, S, 0))
            .intoArray(out, o + j);
      }
      for (; j < d; j++) {
        out[o + j] = x[xi + j];
      }
    }
  }

  /** {@code out[oo..oo+dp) = xd[xo..xo+dp) - mean_c} for a row widened by {@link #widen}. */
  void difference(double[] xd, int xo, int c, double[] out, int oo) {
    int mo = c * dp;
    for (int v = 0; v < dp; v += L) {
      DoubleVector.fromArray(S, xd, xo + v).sub(DoubleVector.fromArray(S, paddedMeans, mo + v)).intoArray(out, oo + v);
    }
  }

  /**
   * Diagonal factors (diag and spherical covariances): {@code u_cj}, the square root of
   * component c's precision in column j, k x dp, zero beyond d (read-only).
   */
  double[] diagonalFactors() {
    if (triangular) {
      throw new IllegalStateException("triangular factors");
    }
    return factor;
  }

  /**
   * Triangular factors (full and tied covariances): {@code U}, upper triangular, padded to dp x
   * dp per matrix (one for tied), {@code U_ab} at {@code factorOffset(c) + a * dp + b}, zero
   * outside the triangle and beyond d (read-only).
   */
  double[] triangularFactors() {
    if (!triangular) {
      throw new IllegalStateException("diagonal factors");
    }
    return factor;
  }

  /** The means padded to {@link #dp} columns with zeros, k x dp (read-only). */
  double[] paddedMeans() {
    return paddedMeans;
  }

  /**
   * Component c's Mahalanobis distances of the n rows widened by {@link #widen} that start at
   * {@code xd[offsets[g]]}, into {@code out[0..n)}: as {@link #difference(double[], int, int, double[], int)}
   * then {@link #mahalanobis}, the same operations and so the same bits. Diagonal factors take
   * the differences in registers; triangular ones form them in {@code diffs} (n x dp) first,
   * which their tiles read many times.
   */
  void mahalanobisOfRows(double[] xd, int[] offsets, int n, int c, double[] diffs, double[] out) {
    if (triangular) {
      for (int g = 0; g < n; g++) {
        difference(xd, offsets[g], c, diffs, g * dp);
      }
      mahalanobis(diffs, 0, n, c, out);
      return;
    }
    int fo = factorOffset(c);
    int mo = c * dp;
    int g = 0;
    for (; g + 4 <= n; g += 4) {
      diagonal4OfRows(xd, offsets, g, mo, fo, out);
    }
    for (; g < n; g++) {
      DoubleVector m = DoubleVector.zero(S);
      int o = offsets[g];
      for (int v = 0; v < dp; v += L) {
        DoubleVector y = DoubleVector.fromArray(S, xd, o + v).sub(DoubleVector.fromArray(S, paddedMeans, mo + v))
            .mul(DoubleVector.fromArray(S, factor, fo + v));
        m = y.fma(y, m);
      }
      out[g] = m.reduceLanes(VectorOperators.ADD);
    }
  }

  /**
   * Rows g..g+3 of {@link #mahalanobisOfRows} for a diagonal factor, differences in registers:
   * four independent chains instead of one waiting out its latency, each row's operations those
   * of {@link #diagonal} in its order.
   */
  private void diagonal4OfRows(double[] xd, int[] offsets, int g, int mo, int fo, double[] out) {
    int o0 = offsets[g];
    int o1 = offsets[g + 1];
    int o2 = offsets[g + 2];
    int o3 = offsets[g + 3];
    DoubleVector m0 = DoubleVector.zero(S);
    DoubleVector m1 = m0;
    DoubleVector m2 = m0;
    DoubleVector m3 = m0;
    for (int v = 0; v < dp; v += L) {
      DoubleVector mu = DoubleVector.fromArray(S, paddedMeans, mo + v);
      DoubleVector u = DoubleVector.fromArray(S, factor, fo + v);
      DoubleVector y0 = DoubleVector.fromArray(S, xd, o0 + v).sub(mu).mul(u);
      DoubleVector y1 = DoubleVector.fromArray(S, xd, o1 + v).sub(mu).mul(u);
      DoubleVector y2 = DoubleVector.fromArray(S, xd, o2 + v).sub(mu).mul(u);
      DoubleVector y3 = DoubleVector.fromArray(S, xd, o3 + v).sub(mu).mul(u);
      m0 = y0.fma(y0, m0);
      m1 = y1.fma(y1, m1);
      m2 = y2.fma(y2, m2);
      m3 = y3.fma(y3, m3);
    }
    out[g] = m0.reduceLanes(VectorOperators.ADD);
    out[g + 1] = m1.reduceLanes(VectorOperators.ADD);
    out[g + 2] = m2.reduceLanes(VectorOperators.ADD);
    out[g + 3] = m3.reduceLanes(VectorOperators.ADD);
  }

  /**
   * Component c's Mahalanobis distances {@code |D_g U_c|^2} of n rows of differences held at
   * {@code dg[go + g * dp]} (zero beyond d), into {@code out[0..n)}.
   */
  void mahalanobis(double[] dg, int go, int n, int c, double[] out) {
    int fo = factorOffset(c);
    if (!triangular) {
      for (int g = 0; g < n; g++) {
        out[g] = diagonal(dg, go + g * dp, fo);
      }
      return;
    }
    int g = 0;
    for (; g + 4 <= n; g += 4) {
      mahalanobis4(dg, go + g * dp, fo, out, g);
    }
    for (; g < n; g++) {
      out[g] = triangular(dg, go + g * dp, fo);
    }
  }

  /** Four rows at once: for each pair of column vectors, the rows a up to its last column. */
  private void mahalanobis4(double[] dg, int go, int fo, double[] out, int oo) {
    DoubleVector m0 = DoubleVector.zero(S);
    DoubleVector m1 = m0;
    DoubleVector m2 = m0;
    DoubleVector m3 = m0;
    int g1 = go + dp;
    int g2 = go + 2 * dp;
    int g3 = go + 3 * dp;
    for (int v = 0; v < dp; v += 2 * L) {
      boolean pair = v + L < dp;
      int end = Math.min(d, v + (pair ? 2 : 1) * L);
      DoubleVector y00 = DoubleVector.zero(S);
      DoubleVector y01 = y00;
      DoubleVector y10 = y00;
      DoubleVector y11 = y00;
      DoubleVector y20 = y00;
      DoubleVector y21 = y00;
      DoubleVector y30 = y00;
      DoubleVector y31 = y00;
      for (int a = 0; a < end; a++) {
        int uo = fo + a * dp + v;
        DoubleVector u0 = DoubleVector.fromArray(S, factor, uo);
        // Past the last vector the second load would leave the row: reuse the first (its
        // products land in accumulators that are then ignored).
        DoubleVector u1 = pair ? DoubleVector.fromArray(S, factor, uo + L) : u0;
        DoubleVector b0 = DoubleVector.broadcast(S, dg[go + a]);
        y00 = u0.fma(b0, y00);
        y01 = u1.fma(b0, y01);
        DoubleVector b1 = DoubleVector.broadcast(S, dg[g1 + a]);
        y10 = u0.fma(b1, y10);
        y11 = u1.fma(b1, y11);
        DoubleVector b2 = DoubleVector.broadcast(S, dg[g2 + a]);
        y20 = u0.fma(b2, y20);
        y21 = u1.fma(b2, y21);
        DoubleVector b3 = DoubleVector.broadcast(S, dg[g3 + a]);
        y30 = u0.fma(b3, y30);
        y31 = u1.fma(b3, y31);
      }
      m0 = y00.fma(y00, m0);
      m1 = y10.fma(y10, m1);
      m2 = y20.fma(y20, m2);
      m3 = y30.fma(y30, m3);
      if (pair) {
        m0 = y01.fma(y01, m0);
        m1 = y11.fma(y11, m1);
        m2 = y21.fma(y21, m2);
        m3 = y31.fma(y31, m3);
      }
    }
    out[oo] = m0.reduceLanes(VectorOperators.ADD);
    out[oo + 1] = m1.reduceLanes(VectorOperators.ADD);
    out[oo + 2] = m2.reduceLanes(VectorOperators.ADD);
    out[oo + 3] = m3.reduceLanes(VectorOperators.ADD);
  }

  private double triangular(double[] diff, int o, int fo) {
    DoubleVector m = DoubleVector.zero(S);
    for (int v = 0; v < dp; v += L) {
      // Rows a > v + L - 1 are zero in these columns; the end is a multiple of 4 as dp is.
      int end = Math.min(dp, (v + L + 3) / 4 * 4);
      DoubleVector y0 = DoubleVector.zero(S);
      DoubleVector y1 = y0;
      DoubleVector y2 = y0;
      DoubleVector y3 = y0;
      for (int a = 0; a < end; a += 4) {
        int u = fo + a * dp + v;
        y0 = DoubleVector.fromArray(S, factor, u).fma(DoubleVector.broadcast(S, diff[o + a]), y0);
        y1 = DoubleVector.fromArray(S, factor, u + dp).fma(DoubleVector.broadcast(S, diff[o + a + 1]), y1);
        y2 = DoubleVector.fromArray(S, factor, u + 2 * dp).fma(DoubleVector.broadcast(S, diff[o + a + 2]), y2);
        y3 = DoubleVector.fromArray(S, factor, u + 3 * dp).fma(DoubleVector.broadcast(S, diff[o + a + 3]), y3);
      }
      DoubleVector y = y0.add(y1).add(y2.add(y3));
      m = y.fma(y, m);
    }
    return m.reduceLanes(VectorOperators.ADD);
  }

  private double diagonal(double[] diff, int o, int fo) {
    DoubleVector m = DoubleVector.zero(S);
    for (int v = 0; v < dp; v += L) {
      DoubleVector y = DoubleVector.fromArray(S, diff, o + v).mul(DoubleVector.fromArray(S, factor, fo + v));
      m = y.fma(y, m);
    }
    return m.reduceLanes(VectorOperators.ADD);
  }
}
