package io.clmix.engine.java;

import io.clmix.engine.SufficientStats;
import jdk.incubator.vector.DoubleVector;

/**
 * {@link DenseBlock} for diagonal factors (diag and spherical covariances): per pair the sum of
 * {@code (u_cj (x_j - mean_cj))^2} over the columns, four vectors of rows at a time; per
 * component its weight and the sums of {@code x - mean} and of their squares.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present. One per task: it
 * holds scratch.
 */
final class DenseDiagonalBlock extends DenseBlock {
  /** k x dp: {@code u_cj}, the square roots of the precisions. */
  private final double[] factor;

  DenseDiagonalBlock(ExactDensities dens, int k, int d) {
    super(dens, k, d, partialPerComponent(d));
    this.factor = dens.diagonalFactors();
  }

  /** Lane sums per component: its weight, then per column the sum of differences and of their squares. */
  static long partialPerComponent(int d) {
    return (2L * d + 1) * L;
  }

  @Override
  void logDensities() {
    for (int c = 0; c < k; c++) {
      int mo = c * dp;
      double logNorm = dens.logNorm[c];
      for (int r0 = 0; r0 < TILE; r0 += 4 * L) {
        DoubleVector m0 = DoubleVector.zero(S);
        DoubleVector m1 = m0;
        DoubleVector m2 = m0;
        DoubleVector m3 = m0;
        for (int j = 0; j < d; j++) {
          double mu = means[mo + j];
          double u = factor[mo + j];
          int o = j * TILE + r0;
          DoubleVector y0 = DoubleVector.fromArray(S, columns, o).sub(mu).mul(u);
          DoubleVector y1 = DoubleVector.fromArray(S, columns, o + L).sub(mu).mul(u);
          DoubleVector y2 = DoubleVector.fromArray(S, columns, o + 2 * L).sub(mu).mul(u);
          DoubleVector y3 = DoubleVector.fromArray(S, columns, o + 3 * L).sub(mu).mul(u);
          m0 = y0.fma(y0, m0);
          m1 = y1.fma(y1, m1);
          m2 = y2.fma(y2, m2);
          m3 = y3.fma(y3, m3);
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
      int ro = c * TILE;
      int mo = c * dp;
      for (int j = 0; j < d; j++) {
        double mu = means[mo + j];
        int o = j * TILE;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector q0 = s0;
        DoubleVector q1 = s0;
        for (int r0 = 0; r0 < TILE; r0 += 2 * L) {
          DoubleVector x0 = DoubleVector.fromArray(S, columns, o + r0).sub(mu);
          DoubleVector x1 = DoubleVector.fromArray(S, columns, o + r0 + L).sub(mu);
          DoubleVector t0 = x0.mul(DoubleVector.fromArray(S, resp, ro + r0));
          DoubleVector t1 = x1.mul(DoubleVector.fromArray(S, resp, ro + r0 + L));
          s0 = s0.add(t0);
          s1 = s1.add(t1);
          q0 = t0.fma(x0, q0);
          q1 = t1.fma(x1, q1);
        }
        int so = po + (1 + 2 * j) * L;
        s0.add(s1).add(DoubleVector.fromArray(S, partial, so)).intoArray(partial, so);
        q0.add(q1).add(DoubleVector.fromArray(S, partial, so + L)).intoArray(partial, so + L);
      }
    }
  }

  @Override
  void flushSums(int c, int o, SufficientStats st) {
    double[] sum = st.sum();
    double[] scatter = st.scatter();
    for (int j = 0; j < d; j++) {
      int so = o + 2 * j * L;
      sum[c * d + j] += reduce(so);
      scatter[c * d + j] += reduce(so + L);
    }
  }
}
