package smile.clustering;

import smile.math.MathEx;

/**
 * Smile's own two Lloyd steps, reachable from outside the package so a benchmark can run
 * Smile's Lloyd iteration from a given start (its public {@code KMeans.lloyd} always seeds with
 * k-means++). These are the exact calls {@code KMeans.lloyd} makes in Smile 3.1.1, with the
 * same distance; the class lives in Smile's package only to reach them. Pinned to that
 * version: a later Smile may rename them, which fails the bench build, not silently.
 */
public final class LloydSteps {
  private LloydSteps() {}

  /** Assigns every point to its nearest centroid (in parallel); returns the distortion. */
  public static double assign(int[] y, double[][] data, double[][] centroids) {
    return CentroidClustering.assign(y, data, centroids, MathEx::squaredDistanceWithMissingValues);
  }

  /** Moves every centroid to the mean of its points ({@code size} and {@code notNaN} are scratch). */
  public static void update(double[][] centroids, double[][] data, int[] y, int[] size, int[][] notNaN) {
    CentroidClustering.updateCentroidsWithMissingValues(centroids, data, y, size, notNaN);
  }
}
