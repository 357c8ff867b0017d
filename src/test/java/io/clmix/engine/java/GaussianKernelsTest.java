package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Gaussian-mixture kernels one pair at a time against the scalar double definition
 * ({@link DoubleDensities}): the double pair kernels to rounding, and the float screen within
 * the error its margin (and {@link SettledRows}) assumes, also for ill-conditioned and very
 * narrow components.
 */
class GaussianKernelsTest {
  @BeforeEach
  void vectorApi() {
    assumeTrue(GaussianPass.VECTOR, "the Vector API module is not present");
  }

  /** d random orthonormal rows (Gram-Schmidt on Gaussian rows). */
  static double[][] orthonormal(int d, SplittableRandom rng) {
    double[][] q = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        q[i][j] = rng.nextGaussian();
      }
      for (int p = 0; p < i; p++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += q[i][j] * q[p][j];
        }
        for (int j = 0; j < d; j++) {
          q[i][j] -= dot * q[p][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += q[i][j] * q[i][j];
      }
      for (int j = 0; j < d; j++) {
        q[i][j] /= Math.sqrt(norm);
      }
    }
    return q;
  }

  /** A mixture whose covariances have condition numbers up to about 10^decades. */
  static MixtureParams mixture(Dataset data, CovarianceType t, int k, double decades, long seed) {
    int d = data.cols();
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] means = new double[k][];
    double[] w = new double[k];
    for (int c = 0; c < k; c++) {
      means[c] = data.row(rng.nextLong(data.rows()));
      w[c] = 1.0 / k;
    }
    int mats = t == CovarianceType.FULL ? k : t == CovarianceType.TIED ? 1 : 0;
    double[] cov;
    if (mats > 0) {
      cov = new double[mats * d * d];
      for (int m = 0; m < mats; m++) {
        // Q diag(s) Q^T with a random orthogonal Q and spread-out scales.
        double[][] q = orthonormal(d, rng);
        for (int i = 0; i < d; i++) {
          double s = Math.pow(10, -decades * rng.nextDouble());
          for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
              cov[(m * d + a) * d + b] += q[i][a] * s * q[i][b];
            }
          }
        }
      }
    } else {
      cov = new double[t == CovarianceType.DIAG ? k * d : k];
      for (int i = 0; i < cov.length; i++) {
        cov[i] = Math.pow(10, -decades * rng.nextDouble());
      }
    }
    return new GaussianMixtureModel(t, w, means, cov, false, 0, 0).paramsFor(data);
  }

  static Dataset data(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] rows = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        // Clusters of unit width around a few points, plus a few far rows.
        rows[i][j] = (i % 3) * 4.0 + rng.nextGaussian() + (i % 97 == 0 ? 300 : 0);
      }
    }
    return Dataset.of(rows);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 4, 7, 16, 33})
  void doublePairKernelsMatchTheDefinition(int d) {
    Dataset data = data(200, d, d);
    float[] x = data.chunk(0).heapArray();
    for (CovarianceType t : CovarianceType.values()) {
      MixtureParams p = mixture(data, t, 5, 3, 17);
      DoubleDensities ref = new DoubleDensities(p);
      ExactDensities exact = new ExactDensities(p);
      double[] lp = new double[p.k()];
      double[] scratch = new double[d];
      double[] diff = new double[exact.scratchLength()];
      double[] group = new double[GaussianKernels.ROWS * exact.dp];
      double[] maha = new double[GaussianKernels.ROWS];
      for (int c = 0; c < p.k(); c++) {
        // A group of 11 rows (not a multiple of the 4-row tile) through the grouped kernel.
        for (int g = 0; g < 11; g++) {
          exact.difference(x, g * d, c, group, g * exact.dp);
        }
        exact.mahalanobis(group, 0, 11, c, maha);
        for (int i = 0; i < (int) data.rows(); i++) {
          ref.logProbs(x, i * d, lp, scratch);
          double v = exact.logDensity(x, i * d, c, diff);
          double halfMaha = p.logNorm()[c] - lp[c];
          assertEquals(lp[c], v, 1e-12 * (Math.abs(lp[c]) + halfMaha), t + " d=" + d + " row " + i + " component " + c);
          if (i < 11) {
            assertEquals(2 * halfMaha, maha[i], 1e-12 * 2 * halfMaha, t + " grouped row " + i);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 3, 6})
  void floatScreenStaysWellInsideItsMargin(double decades) {
    // The screen keeps components within MARGIN + |max| * MARGIN_REL of the row's largest
    // float log-density. Dropping only negligible ones needs the float error well below the
    // relative part; this asks for 16 times below, on covariances up to 10^6 ill-conditioned.
    for (int d : new int[] {3, 16, 30}) {
      Dataset data = data(GaussianKernels.ROWS + 5, d, 31 + d);
      float[] x = data.chunk(0).heapArray();
      for (CovarianceType t : CovarianceType.values()) {
        MixtureParams p = mixture(data, t, 6, decades, 23);
        FloatMixture m = new FloatMixture(p);
        DoubleDensities ref = new DoubleDensities(p);
        int rows = GaussianKernels.ROWS;
        float[] xt = new float[d * rows];
        float[] scratch = new float[d * rows];
        float[] lp = new float[p.k() * rows];
        double[] exact = new double[p.k()];
        double[] diff = new double[d];
        for (int i = 0; i < rows; i++) {
          for (int a = 0; a < d; a++) {
            xt[a * rows + i] = x[i * d + a];
          }
        }
        GaussianKernels.logDensities(m, xt, scratch, lp);
        for (int i = 0; i < rows; i++) {
          ref.logProbs(x, i * d, exact, diff);
          for (int c = 0; c < p.k(); c++) {
            double screened = lp[c * rows + i];
            double err = Math.abs(screened + m.logNormShift - exact[c]);
            double allowed = Math.abs(screened) * VectorGaussianPass.MARGIN_REL / 16 + 1e-3;
            assertTrue(err <= allowed, t + " d=" + d + " 10^" + decades + ": row " + i + " component " + c
                + " float error " + err + " > " + allowed + " (|lp| = " + Math.abs(screened) + ")");
            // The error SettledRows' bounds allow, relative to the log normaliser and half the
            // squared distance (not to their difference): also 16 times inside.
            double nu = p.logNorm()[c] - m.logNormShift;
            double halfQ = p.logNorm()[c] - exact[c];
            double settle = SettledRows.DELTA / 16 * (Math.abs(nu) + halfQ + 1);
            assertTrue(err <= settle, t + " d=" + d + " 10^" + decades + ": row " + i + " component " + c
                + " float error " + err + " > " + settle + " (SettledRows.DELTA / 16)");
          }
        }
      }
    }
  }
}
