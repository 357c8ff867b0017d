package io.clmix.engine.java;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The statistics of a group of (point, responsibility) pairs of one component in double
 * precision with the Vector API ({@link BlockPairs} forms the groups): {@code sum_g r_g D_g},
 * and {@code sum_g r_g D_g D_g^T} (its upper triangle) or its diagonal, where
 * {@code D_g = x_g - mean} is held in double.
 *
 * <p>Why double: the M-step turns these sums about the old means into covariances as
 * {@code Q/N - (S/N)^2} and then inverts them. Float sums carry relative errors near 1e-7 into
 * Q, which that difference and the inversion amplify by the covariance's condition number
 * (correlated or nearly constant columns: the breast-cancer fixture's full covariances lose the
 * scikit-learn agreement to 6e-7, the digits fixture's become indefinite). In double they stay
 * as exact as the reference's. The cost is the listed pairs only, not every (point, component)
 * pair, so it is small next to the log-densities when clusters are separated.
 *
 * <p>The outer product is register-tiled like a GEMM: 4 rows of the matrix by 2 vectors of
 * columns, 8 accumulators summed over the whole group before they touch memory; tiles below the
 * diagonal are skipped.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present.
 */
final class ScatterKernels {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private ScatterKernels() {}

  /** Doubles per vector: rows of differences are padded to a multiple. */
  static int lanes() {
    return L;
  }

  /**
   * For {@code n} differences (rows of {@code ds} doubles from {@code dg[go]}, zero beyond
   * d) with weights {@code r[ro..ro+n)}: adds {@code sum_g r_g D_g} to {@code sum[so..so+d)}.
   * {@code tmp} holds 8 vectors.
   *
   * <p>Four column vectors at a time, the rows inside: independent accumulators, so the loop
   * runs at the adder's throughput rather than waiting out its latency on one chain (dense
   * passes, where every group is full, took about twice as long). Each column's sum still takes
   * the rows in order, so the result does not depend on the blocking.
   */
  static void sums(double[] dg, int go, double[] r, int ro, int n, int ds, int d, double[] sum, int so, double[] tmp) {
    int v = 0;
    for (; v + 4 * L <= ds; v += 4 * L) {
      sums4(dg, go, r, ro, n, ds, v, tmp);
      flush(tmp, 4, v, d, sum, so, null, 0);
    }
    for (; v < ds; v += L) {
      DoubleVector s = DoubleVector.zero(S);
      for (int g = 0; g < n; g++) {
        s = s.add(DoubleVector.fromArray(S, dg, go + g * ds + v).mul(r[ro + g]));
      }
      s.intoArray(tmp, 0);
      flush(tmp, 1, v, d, sum, so, null, 0);
    }
  }

  /**
   * {@link #sums} with the differences formed in registers: row g is {@code xd[offsets[g]..]}
   * (dp doubles, zero beyond d) minus {@code mean[mo..mo+ds)}, with the same operations, so the
   * same bits, as {@link ExactDensities#difference(double[], int, int, double[], int)} followed
   * by {@link #sums}; {@code q} is not null (the diagonal statistics).
   */
  static void sumsOfRows(double[] xd, int[] offsets, double[] mean, int mo, double[] r, int n, int ds, int d,
      double[] sum, int so, double[] q, int qo, double[] tmp) {
    int v = 0;
    for (; v + 4 * L <= ds; v += 4 * L) {
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      DoubleVector q0 = s0;
      DoubleVector q1 = s0;
      DoubleVector q2 = s0;
      DoubleVector q3 = s0;
      DoubleVector mu0 = DoubleVector.fromArray(S, mean, mo + v);
      DoubleVector mu1 = DoubleVector.fromArray(S, mean, mo + v + L);
      DoubleVector mu2 = DoubleVector.fromArray(S, mean, mo + v + 2 * L);
      DoubleVector mu3 = DoubleVector.fromArray(S, mean, mo + v + 3 * L);
      for (int g = 0; g < n; g++) {
        int o = offsets[g] + v;
        double rg = r[g];
        DoubleVector x0 = DoubleVector.fromArray(S, xd, o).sub(mu0);
        DoubleVector t0 = x0.mul(rg);
        s0 = s0.add(t0);
        q0 = t0.fma(x0, q0);
        DoubleVector x1 = DoubleVector.fromArray(S, xd, o + L).sub(mu1);
        DoubleVector t1 = x1.mul(rg);
        s1 = s1.add(t1);
        q1 = t1.fma(x1, q1);
        DoubleVector x2 = DoubleVector.fromArray(S, xd, o + 2 * L).sub(mu2);
        DoubleVector t2 = x2.mul(rg);
        s2 = s2.add(t2);
        q2 = t2.fma(x2, q2);
        DoubleVector x3 = DoubleVector.fromArray(S, xd, o + 3 * L).sub(mu3);
        DoubleVector t3 = x3.mul(rg);
        s3 = s3.add(t3);
        q3 = t3.fma(x3, q3);
      }
      s0.intoArray(tmp, 0);
      s1.intoArray(tmp, L);
      s2.intoArray(tmp, 2 * L);
      s3.intoArray(tmp, 3 * L);
      q0.intoArray(tmp, 4 * L);
      q1.intoArray(tmp, 5 * L);
      q2.intoArray(tmp, 6 * L);
      q3.intoArray(tmp, 7 * L);
      flush(tmp, 4, v, d, sum, so, q, qo);
    }
    for (; v < ds; v += L) {
      DoubleVector mu = DoubleVector.fromArray(S, mean, mo + v);
      DoubleVector s = DoubleVector.zero(S);
      DoubleVector sq = s;
      for (int g = 0; g < n; g++) {
        DoubleVector x = DoubleVector.fromArray(S, xd, offsets[g] + v).sub(mu);
        DoubleVector t = x.mul(r[g]);
        s = s.add(t);
        sq = t.fma(x, sq);
      }
      s.intoArray(tmp, 0);
      sq.intoArray(tmp, 4 * L);
      flush(tmp, 1, v, d, sum, so, q, qo);
    }
  }

  /** Columns [v, v + 4L) of the weighted sums into tmp[0..4L). */
  private static void sums4(double[] dg, int go, double[] r, int ro, int n, int ds, int v, double[] tmp) {
    DoubleVector s0 = DoubleVector.zero(S);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    for (int g = 0; g < n; g++) {
      int o = go + g * ds + v;
      double rg = r[ro + g];
      s0 = s0.add(DoubleVector.fromArray(S, dg, o).mul(rg));
      s1 = s1.add(DoubleVector.fromArray(S, dg, o + L).mul(rg));
      s2 = s2.add(DoubleVector.fromArray(S, dg, o + 2 * L).mul(rg));
      s3 = s3.add(DoubleVector.fromArray(S, dg, o + 3 * L).mul(rg));
    }
    s0.intoArray(tmp, 0);
    s1.intoArray(tmp, L);
    s2.intoArray(tmp, 2 * L);
    s3.intoArray(tmp, 3 * L);
  }

  /**
   * Adds {@code vectors} vectors of sums from tmp[0..) (and, with q, of squares from
   * tmp[4L..)) for the columns from v, clipped to d.
   */
  private static void flush(double[] tmp, int vectors, int v, int d, double[] sum, int so, double[] q, int qo) {
    int lim = Math.min(vectors * L, d - v);
    for (int j = 0; j < lim; j++) {
      sum[so + v + j] += tmp[j];
    }
    if (q != null) {
      for (int j = 0; j < lim; j++) {
        q[qo + v + j] += tmp[4 * L + j];
      }
    }
  }

  /**
   * Adds to the d x d matrix at {@code q[qo]} the upper triangle of {@code sum_g r_g D_g D_g^T}
   * (and, inside diagonal tiles, a few entries below it, which the caller overwrites by
   * mirroring). {@code scaled} is scratch for the n rows {@code r_g D_g}; {@code tmp} for 8
   * vectors.
   */
  static void outer(double[] dg, int go, double[] r, int ro, int n, int ds, int d, double[] q, int qo,
      double[] scaled, double[] tmp) {
    for (int g = 0; g < n; g++) {
      DoubleVector rg = DoubleVector.broadcast(S, r[ro + g]);
      for (int v = 0; v < ds; v += L) {
        int o = g * ds + v;
        DoubleVector.fromArray(S, dg, go + o).mul(rg).intoArray(scaled, o);
      }
    }
    int vectors = ds / L;
    for (int a0 = 0; a0 < d; a0 += 4) {
      // Columns below a0 belong to the lower triangle: start at the vector holding column a0.
      int bv = a0 / L;
      for (; bv + 2 <= vectors; bv += 2) {
        tile2(dg, go, scaled, n, ds, a0, bv * L, tmp);
        flushTile(tmp, 2, a0, bv * L, d, q, qo);
      }
      if (bv < vectors) {
        tile1(dg, go, scaled, n, ds, a0, bv * L, tmp);
        flushTile(tmp, 1, a0, bv * L, d, q, qo);
      }
    }
  }

  /** Rows a0..a0+3, columns b0..b0+2L of the group's outer-product sum, into tmp. */
  private static void tile2(double[] dg, int go, double[] scaled, int n, int ds, int a0, int b0, double[] tmp) {
    DoubleVector q00 = DoubleVector.zero(S);
    DoubleVector q01 = q00;
    DoubleVector q10 = q00;
    DoubleVector q11 = q00;
    DoubleVector q20 = q00;
    DoubleVector q21 = q00;
    DoubleVector q30 = q00;
    DoubleVector q31 = q00;
    for (int g = 0; g < n; g++) {
      int o = g * ds;
      DoubleVector x0 = DoubleVector.fromArray(S, dg, go + o + b0);
      DoubleVector x1 = DoubleVector.fromArray(S, dg, go + o + b0 + L);
      DoubleVector s0 = DoubleVector.broadcast(S, scaled[o + a0]);
      q00 = s0.fma(x0, q00);
      q01 = s0.fma(x1, q01);
      DoubleVector s1 = DoubleVector.broadcast(S, scaled[o + a0 + 1]);
      q10 = s1.fma(x0, q10);
      q11 = s1.fma(x1, q11);
      DoubleVector s2 = DoubleVector.broadcast(S, scaled[o + a0 + 2]);
      q20 = s2.fma(x0, q20);
      q21 = s2.fma(x1, q21);
      DoubleVector s3 = DoubleVector.broadcast(S, scaled[o + a0 + 3]);
      q30 = s3.fma(x0, q30);
      q31 = s3.fma(x1, q31);
    }
    q00.intoArray(tmp, 0);
    q01.intoArray(tmp, L);
    q10.intoArray(tmp, 2 * L);
    q11.intoArray(tmp, 3 * L);
    q20.intoArray(tmp, 4 * L);
    q21.intoArray(tmp, 5 * L);
    q30.intoArray(tmp, 6 * L);
    q31.intoArray(tmp, 7 * L);
  }

  /** As {@link #tile2} for one vector of columns. */
  private static void tile1(double[] dg, int go, double[] scaled, int n, int ds, int a0, int b0, double[] tmp) {
    DoubleVector q0 = DoubleVector.zero(S);
    DoubleVector q1 = q0;
    DoubleVector q2 = q0;
    DoubleVector q3 = q0;
    for (int g = 0; g < n; g++) {
      int o = g * ds;
      DoubleVector x = DoubleVector.fromArray(S, dg, go + o + b0);
      q0 = DoubleVector.broadcast(S, scaled[o + a0]).fma(x, q0);
      q1 = DoubleVector.broadcast(S, scaled[o + a0 + 1]).fma(x, q1);
      q2 = DoubleVector.broadcast(S, scaled[o + a0 + 2]).fma(x, q2);
      q3 = DoubleVector.broadcast(S, scaled[o + a0 + 3]).fma(x, q3);
    }
    q0.intoArray(tmp, 0);
    q1.intoArray(tmp, L);
    q2.intoArray(tmp, 2 * L);
    q3.intoArray(tmp, 3 * L);
  }

  /** Adds a 4-row tile of {@code width} vectors from tmp into the d x d matrix, clipped to it. */
  private static void flushTile(double[] tmp, int width, int a0, int b0, int d, double[] q, int qo) {
    int cols = Math.min(width * L, d - b0);
    int rows = Math.min(4, d - a0);
    for (int t = 0; t < rows; t++) {
      int to = t * width * L;
      int o = qo + (a0 + t) * d + b0;
      for (int j = 0; j < cols; j++) {
        q[o + j] += tmp[to + j];
      }
    }
  }
}
