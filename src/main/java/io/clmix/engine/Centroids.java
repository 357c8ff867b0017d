package io.clmix.engine;

/**
 * The k centres of a K-means pass, in the data set's local coordinates, row-major float32:
 * what an engine needs to assign points, and nothing more.
 *
 * @param k number of centres
 * @param d number of columns
 * @param values {@code k * d} values, row-major; not copied, not to be modified
 */
public record Centroids(int k, int d, float[] values) {
  public Centroids {
    if (values == null || k <= 0 || d <= 0 || values.length != (long) k * d) {
      throw new IllegalArgumentException(k + " x " + d + " centres need " + ((long) k * d) + " values, got "
          + (values == null ? "none" : String.valueOf(values.length)));
    }
  }

  /**
   * Centres from double-precision rows (local coordinates), rounded to float32.
   *
   * @throws IllegalArgumentException when there are none, or a row is null or of another length than the first
   */
  public static Centroids of(double[][] centres) {
    if (centres == null || centres.length == 0 || centres[0] == null) {
      throw new IllegalArgumentException("centres: expected k >= 1 rows of d values");
    }
    int k = centres.length;
    int d = centres[0].length;
    float[] v = new float[k * d];
    for (int c = 0; c < k; c++) {
      if (centres[c] == null || centres[c].length != d) {
        throw new IllegalArgumentException("centres: row " + c + " has " + (centres[c] == null ? "no values" : centres[c].length
            + " values") + " where row 0 has " + d);
      }
      for (int j = 0; j < d; j++) {
        v[c * d + j] = (float) centres[c][j];
      }
    }
    return new Centroids(k, d, v);
  }

  /** Centre {@code c} widened to double. */
  public double[] centre(int c) {
    double[] out = new double[d];
    for (int j = 0; j < d; j++) {
      out[j] = values[c * d + j];
    }
    return out;
  }
}
