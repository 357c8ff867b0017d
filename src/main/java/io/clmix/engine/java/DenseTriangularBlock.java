package io.clmix.engine.java;

import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import jdk.incubator.vector.DoubleVector;

/**
 * {@link DenseBlock} for triangular factors (full and tied covariances): per pair the squared
 * norm of {@code y = (x - mean_c) U_c}; per component its weight, the sums of {@code x - mean}
 * and the upper triangle of the sum of their outer products.
 *
 * <p>Both products are register tiles with lanes over rows, so each load of the tile serves
 * several multiply-adds: the log-densities take 4 vectors of rows by 2 columns of y per step
 * (U's entries broadcast), the scatter 4 rows by 2 columns of the matrix with the rows of the
 * tile inside (8 accumulators over the whole tile before they touch memory). Component c's
 * differences are formed once per phase into an L1-sized scratch, in double, so no sum is
 * taken about any other point than the mean (DESIGN.md: centred differences).
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present. One per task: it
 * holds scratch.
 */
final class DenseTriangularBlock extends DenseBlock {
  /** The factors: {@code U_ab} at {@code dens.factorOffset(c) + a * dp + b}, zero outside the triangle. */
  private final double[] factor;
  /** Tied covariances: every component's scatter goes into the one matrix. */
  private final boolean tied;
  /** One component's differences {@code x - mean} over the tile: dp x TILE, rows from d on zero. */
  private final double[] diff;
  /** The same times each row's responsibility (its weight included). */
  private final double[] scaled;

  DenseTriangularBlock(ExactDensities dens, int k, int d, Scatter shape) {
    super(dens, k, d, partialPerComponent(d));
    this.factor = dens.triangularFactors();
    this.tied = shape == Scatter.TIED;
    this.diff = new double[dp * TILE];
    this.scaled = new double[dp * TILE];
  }

  /** Lane sums per component: its weight, the d sums of differences, then the d x d scatter (upper triangle used). */
  static long partialPerComponent(int d) {
    return (1L + d + (long) d * d) * L;
  }

  /** Component c's differences over the tile into {@link #diff}. */
  private void differences(int c) {
    int mo = c * dp;
    for (int a = 0; a < d; a++) {
      double mu = means[mo + a];
      int o = a * TILE;
      for (int r0 = 0; r0 < TILE; r0 += L) {
        DoubleVector.fromArray(S, columns, o + r0).sub(mu).intoArray(diff, o + r0);
      }
    }
  }

  @Override
  void logDensities() {
    for (int c = 0; c < k; c++) {
      differences(c);
      int fo = dens.factorOffset(c);
      double logNorm = dens.logNorm[c];
      for (int r0 = 0; r0 < TILE; r0 += 4 * L) {
        DoubleVector m0 = DoubleVector.zero(S);
        DoubleVector m1 = m0;
        DoubleVector m2 = m0;
        DoubleVector m3 = m0;
        // Columns b and b + 1 of y; b + 1 < dp (dp is even), and U is zero beyond d.
        for (int b = 0; b < d; b += 2) {
          DoubleVector y00 = DoubleVector.zero(S);
          DoubleVector y01 = y00;
          DoubleVector y10 = y00;
          DoubleVector y11 = y00;
          DoubleVector y20 = y00;
          DoubleVector y21 = y00;
          DoubleVector y30 = y00;
          DoubleVector y31 = y00;
          int end = Math.min(b + 2, d); // U is upper triangular: rows a <= b + 1 only
          for (int a = 0; a < end; a++) {
            int uo = fo + a * dp + b;
            DoubleVector u0 = DoubleVector.broadcast(S, factor[uo]);
            DoubleVector u1 = DoubleVector.broadcast(S, factor[uo + 1]);
            int o = a * TILE + r0;
            DoubleVector x0 = DoubleVector.fromArray(S, diff, o);
            y00 = x0.fma(u0, y00);
            y01 = x0.fma(u1, y01);
            DoubleVector x1 = DoubleVector.fromArray(S, diff, o + L);
            y10 = x1.fma(u0, y10);
            y11 = x1.fma(u1, y11);
            DoubleVector x2 = DoubleVector.fromArray(S, diff, o + 2 * L);
            y20 = x2.fma(u0, y20);
            y21 = x2.fma(u1, y21);
            DoubleVector x3 = DoubleVector.fromArray(S, diff, o + 3 * L);
            y30 = x3.fma(u0, y30);
            y31 = x3.fma(u1, y31);
          }
          m0 = y01.fma(y01, y00.fma(y00, m0));
          m1 = y11.fma(y11, y10.fma(y10, m1));
          m2 = y21.fma(y21, y20.fma(y20, m2));
          m3 = y31.fma(y31, y30.fma(y30, m3));
        }
        storeLogDensities(c, r0, logNorm, m0, m1, m2, m3);
      }
    }
  }

  @Override
  void statistics() {
    for (int c = 0; c < k; c++) {
      int po = c * per;
      if (!addTileWeight(c, po)) {
        continue; // no row of the tile keeps c
      }
      differences(c);
      int ro = c * TILE;
      for (int a = 0; a < d; a++) {
        int o = a * TILE;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        for (int r0 = 0; r0 < TILE; r0 += 2 * L) {
          DoubleVector t0 = DoubleVector.fromArray(S, diff, o + r0).mul(DoubleVector.fromArray(S, resp, ro + r0));
          DoubleVector t1 =
              DoubleVector.fromArray(S, diff, o + r0 + L).mul(DoubleVector.fromArray(S, resp, ro + r0 + L));
          t0.intoArray(scaled, o + r0);
          t1.intoArray(scaled, o + r0 + L);
          s0 = s0.add(t0);
          s1 = s1.add(t1);
        }
        int so = po + (1 + a) * L;
        s0.add(s1).add(DoubleVector.fromArray(S, partial, so)).intoArray(partial, so);
      }
      scatter(po + (1 + d) * L);
    }
  }

  /**
   * The upper triangle of {@code sum_r scaled_r diff_r^T} over the tile, added lane by lane into
   * the d x d lane sums at {@code partial[qo..]}: tiles of rows a0..a0+3 by columns b0, b0+1
   * from the diagonal on (rows of the scratch past d are zero, so the tiles need no tails).
   */
  private void scatter(int qo) {
    for (int a0 = 0; a0 < d; a0 += 4) {
      for (int b0 = a0; b0 < d; b0 += 2) {
        DoubleVector q00 = DoubleVector.zero(S);
        DoubleVector q01 = q00;
        DoubleVector q10 = q00;
        DoubleVector q11 = q00;
        DoubleVector q20 = q00;
        DoubleVector q21 = q00;
        DoubleVector q30 = q00;
        DoubleVector q31 = q00;
        int ao = a0 * TILE;
        int bo = b0 * TILE;
        for (int r0 = 0; r0 < TILE; r0 += L) {
          DoubleVector x0 = DoubleVector.fromArray(S, diff, bo + r0);
          DoubleVector x1 = DoubleVector.fromArray(S, diff, bo + TILE + r0);
          DoubleVector s0 = DoubleVector.fromArray(S, scaled, ao + r0);
          q00 = s0.fma(x0, q00);
          q01 = s0.fma(x1, q01);
          DoubleVector s1 = DoubleVector.fromArray(S, scaled, ao + TILE + r0);
          q10 = s1.fma(x0, q10);
          q11 = s1.fma(x1, q11);
          DoubleVector s2 = DoubleVector.fromArray(S, scaled, ao + 2 * TILE + r0);
          q20 = s2.fma(x0, q20);
          q21 = s2.fma(x1, q21);
          DoubleVector s3 = DoubleVector.fromArray(S, scaled, ao + 3 * TILE + r0);
          q30 = s3.fma(x0, q30);
          q31 = s3.fma(x1, q31);
        }
        add(qo, a0, b0, q00);
        add(qo, a0, b0 + 1, q01);
        add(qo, a0 + 1, b0, q10);
        add(qo, a0 + 1, b0 + 1, q11);
        add(qo, a0 + 2, b0, q20);
        add(qo, a0 + 2, b0 + 1, q21);
        add(qo, a0 + 3, b0, q30);
        add(qo, a0 + 3, b0 + 1, q31);
      }
    }
  }

  /** Adds lane sums to entry (a, b) of the scatter at {@code partial[qo..]}: upper triangle inside d only. */
  private void add(int qo, int a, int b, DoubleVector q) {
    if (a <= b && b < d) {
      int o = qo + (a * d + b) * L;
      q.add(DoubleVector.fromArray(S, partial, o)).intoArray(partial, o);
    }
  }

  @Override
  void flushSums(int c, int o, SufficientStats st) {
    double[] sum = st.sum();
    double[] scatter = st.scatter();
    for (int a = 0; a < d; a++) {
      sum[c * d + a] += reduce(o + a * L);
    }
    int qo = o + d * L;
    int mo = tied ? 0 : c * d * d; // the caller mirrors the upper triangle
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        scatter[mo + a * d + b] += reduce(qo + (a * d + b) * L);
      }
    }
  }
}
