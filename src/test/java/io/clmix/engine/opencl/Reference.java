package io.clmix.engine.opencl;

import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import io.clmix.engine.Centroids;
import io.clmix.engine.KMeansReference;
import java.util.Random;

/**
 * Test data and tolerance checks shared by the OpenCL tests. The reference K-means pass they
 * check the kernels against is {@link KMeansReference}, shared with the engine contract tests.
 */
final class Reference {
  private Reference() {}

  /** Gaussian blobs, in chunks of {@code chunkRows}. */
  static Dataset blobs(int n, int d, int clusters, int chunkRows, long seed) {
    Random rnd = new Random(seed);
    double[][] means = new double[clusters][d];
    for (double[] m : means) {
      for (int j = 0; j < d; j++) {
        m[j] = rnd.nextGaussian() * 6;
      }
    }
    DatasetBuilder b = Dataset.builder(d, chunkRows);
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      double[] m = means[i % clusters];
      for (int j = 0; j < d; j++) {
        row[j] = m[j] + rnd.nextGaussian();
      }
      b.addRow(row);
    }
    return b.build();
  }

  /** The same data with weights in [0.25, 2.25). */
  static Dataset weighted(Dataset data, long seed) {
    Random rnd = new Random(seed);
    double[] w = new double[(int) data.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.25 + 2 * rnd.nextDouble();
    }
    return data.withWeights(w);
  }

  /** k centres near random rows (local coordinates). */
  static Centroids someCentres(Dataset data, int k, long seed) {
    Random rnd = new Random(seed);
    int d = data.cols();
    float[] v = new float[k * d];
    for (int c = 0; c < k; c++) {
      float[] r = data.localRow(rnd.nextInt((int) data.rows()));
      for (int j = 0; j < d; j++) {
        v[c * d + j] = r[j] + (float) (rnd.nextGaussian() * 0.5);
      }
    }
    return new Centroids(k, d, v);
  }

  /** |expected - actual| <= rel * max(scale, |expected|) for every element. */
  static void assertClose(double[] expected, double[] actual, double rel, double scale, String what) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], rel, scale, what + "[" + i + "]");
    }
  }

  static void assertClose(double expected, double actual, double rel, double scale, String what) {
    double tol = rel * Math.max(scale, Math.abs(expected));
    org.junit.jupiter.api.Assertions.assertTrue(Math.abs(expected - actual) <= tol,
        what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
  }
}
