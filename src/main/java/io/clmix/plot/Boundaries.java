package io.clmix.plot;

/**
 * Margins whose zero contours ({@link Contour}) are decision boundaries in 2-D: positive
 * where cluster {@code c} wins, negative where another does.
 */
final class Boundaries {
  private Boundaries() {}

  /** K-means: squared distance to the nearest other centre minus that to centre c (Voronoi cells). */
  static double kmeans(double[][] centres, int c, double x, double y) {
    double own = sq(centres[c], x, y);
    double other = Double.POSITIVE_INFINITY;
    for (int o = 0; o < centres.length; o++) {
      if (o != c) {
        other = Math.min(other, sq(centres[o], x, y));
      }
    }
    return other - own;
  }

  /** Mixtures: log(weight_c N_c) minus the largest other component's, in 2-D. */
  static double mixture(double[] weights, double[][] means, double[][][] covariances, int c, double x, double y) {
    double own = Gauss2.logWeighted(weights[c], means[c], covariances[c], x, y);
    double other = Double.NEGATIVE_INFINITY;
    for (int o = 0; o < means.length; o++) {
      if (o != c) {
        other = Math.max(other, Gauss2.logWeighted(weights[o], means[o], covariances[o], x, y));
      }
    }
    return own - other;
  }

  private static double sq(double[] c, double x, double y) {
    double dx = x - c[0];
    double dy = y - c[1];
    return dx * dx + dy * dy;
  }
}
