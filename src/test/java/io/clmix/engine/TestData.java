package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import java.util.Random;

/**
 * Small seeded data sets and centres for the engine tests: the engine contract tests and the
 * OpenCL tests draw from these same generators, so a seed means the same data in both.
 */
public final class TestData {
  private TestData() {}

  /** Gaussian blobs (unit spread around means of spread 6), in chunks of {@code chunkRows}. */
  public static Dataset blobs(int n, int d, int clusters, int chunkRows, long seed) {
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
  public static Dataset weighted(Dataset data, long seed) {
    Random rnd = new Random(seed);
    double[] w = new double[(int) data.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.25 + 2 * rnd.nextDouble();
    }
    return data.withWeights(w);
  }

  /** k centres near random data rows (local coordinates). */
  public static Centroids someCentres(Dataset data, int k, long seed) {
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
}
