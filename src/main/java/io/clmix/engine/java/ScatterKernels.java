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
   * d) with weights {@code r[ro..ro+n)}: adds {@code sum_g r_g D_g} to {@code sum[so..so+d)}
   * and, when {@code q} is not null, the per-column {@code sum_g r_g D_g^2} to
   * {@code q[qo..qo+d)}. {@code tmp} holds 2 vectors.
   */
  static void sums(double[] dg, int go, double[] r, int ro, int n, int ds, int d, double[] sum, int so, double[] q,
      int qo, double[] tmp) {
    for (int v = 0; v < ds; v += L) {
      DoubleVector s = DoubleVector.zero(S);
      DoubleVector sq = s;
      for (int g = 0; g < n; g++) {
        DoubleVector x = DoubleVector.fromArray(S, dg, go + g * ds + v);
        DoubleVector t = x.mul(r[ro + g]);
        s = s.add(t);
        if (q != null) {
          sq = t.fma(x, sq);
        }
      }
      s.intoArray(tmp, 0);
      sq.intoArray(tmp, L);
      int lim = Math.min(L, d - v);
      for (int j = 0; j < lim; j++) {
        sum[so + v + j] += tmp[j];
        if (q != null) {
          q[qo + v + j] += tmp[L + j];
        }
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
