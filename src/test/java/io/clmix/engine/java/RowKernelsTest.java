package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernels that form {@code x - mean} where they use it ({@link ExactDensities#mahalanobisOfRows},
 * {@link ScatterKernels#sumsOfRows}) against the two-step form they replaced (the differences
 * written to a scratch first, then {@link ExactDensities#mahalanobis} or plain per-column sums):
 * the same operations in the same order, so equal to the last bit, for every covariance type,
 * odd widths and group sizes that are not multiples of four.
 */
class RowKernelsTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 3, 5, 8, 13, 16, 17, 32, 37})
  void rowKernelsGiveTheBitsOfTheTwoStepForm(int d) {
    assumeTrue(GaussianPass.VECTOR, "the Vector API module is not present");
    int k = 5;
    Dataset data = new Blobs(400, d, k, 31 + d, 2.0, 10.0).generate();
    SplittableRandom rng = new SplittableRandom(d);
    for (CovarianceType t : CovarianceType.values()) {
      MixtureParams p = params(data, t, k, rng);
      ExactDensities dens = new ExactDensities(p);
      int dp = dens.dp;
      int rows = 200;
      double[] wide = new double[rows * dp];
      float[] x = data.chunkValues(0, null);
      dens.widen(x, 0, rows, wide);
      for (int n : new int[] {1, 3, 4, 7, 32}) {
        int[] offsets = new int[n];
        double[] r = new double[n];
        for (int g = 0, row = rng.nextInt(5); g < n; g++, row += 1 + rng.nextInt(5)) {
          offsets[g] = row * dp;
          r[g] = rng.nextDouble() * 3;
        }
        for (int c = 0; c < k; c++) {
          String what = t + " d=" + d + " n=" + n + " c=" + c;
          double[] diffs = new double[n * dp];
          for (int g = 0; g < n; g++) {
            dens.difference(wide, offsets[g], c, diffs, g * dp);
          }
          double[] want = new double[n];
          dens.mahalanobis(diffs, 0, n, c, want);
          double[] got = new double[n];
          dens.mahalanobisOfRows(wide, offsets, n, c, new double[n * dp], got);
          assertArrayEquals(want, got, 0.0, what + ": Mahalanobis distances");

          double[] sumWant = filled(d, 0.25);
          double[] sqWant = filled(d, 0.5);
          for (int j = 0; j < d; j++) {
            double s = 0;
            double q = 0;
            for (int g = 0; g < n; g++) {
              double v = diffs[g * dp + j];
              double tv = v * r[g];
              s += tv;
              q = Math.fma(tv, v, q);
            }
            sumWant[j] += s;
            sqWant[j] += q;
          }
          double[] sumGot = filled(d, 0.25);
          double[] sqGot = filled(d, 0.5);
          ScatterKernels.sumsOfRows(wide, offsets, dens.paddedMeans(), c * dp, r, n, dp, d, sumGot, 0, sqGot, 0,
              new double[8 * ScatterKernels.lanes()]);
          assertArrayEquals(sumWant, sumGot, 0.0, what + ": sums of rows");
          assertArrayEquals(sqWant, sqGot, 0.0, what + ": squares of rows");
          double[] sumsOnly = filled(d, 0.25);
          ScatterKernels.sums(diffs, 0, r, 0, n, dp, d, sumsOnly, 0, new double[8 * ScatterKernels.lanes()]);
          assertArrayEquals(sumWant, sumsOnly, 0.0, what + ": sums of differences");
        }
      }
    }
  }

  /** A mixture of k components at random rows, with random positive variances (full: diagonal matrices). */
  private static MixtureParams params(Dataset data, CovarianceType t, int k, SplittableRandom rng) {
    int d = data.cols();
    double[][] means = new double[k][];
    for (int c = 0; c < k; c++) {
      means[c] = data.row(rng.nextInt((int) data.rows()));
    }
    double[] w = filled(k, 1.0 / k);
    double[] cov;
    switch (t) {
      case FULL -> {
        cov = new double[k * d * d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            cov[(c * d + j) * d + j] = 0.5 + rng.nextDouble() * 4;
          }
        }
      }
      case TIED -> {
        cov = new double[d * d];
        for (int j = 0; j < d; j++) {
          cov[j * d + j] = 0.5 + rng.nextDouble() * 4;
        }
      }
      case DIAG -> {
        cov = new double[k * d];
        for (int i = 0; i < cov.length; i++) {
          cov[i] = 0.5 + rng.nextDouble() * 4;
        }
      }
      default -> {
        cov = new double[k];
        for (int i = 0; i < k; i++) {
          cov[i] = 0.5 + rng.nextDouble() * 4;
        }
      }
    }
    return new GaussianMixtureModel(t, w, means, cov, false, 0, 0).paramsFor(data);
  }

  private static double[] filled(int n, double v) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, v);
    return out;
  }
}
