package io.clmix.plot;

/** Log-densities of 2-D Gaussians, for drawing where mixture components are equally likely. */
final class Gauss2 {
  private Gauss2() {}

  /** {@code log(weight * N((x, y) | mean, cov))}; -infinity for a singular covariance. */
  static double logWeighted(double weight, double[] mean, double[][] cov, double x, double y) {
    double a = cov[0][0];
    double b = 0.5 * (cov[0][1] + cov[1][0]);
    double c = cov[1][1];
    double det = a * c - b * b;
    if (!(det > 0) || !(weight > 0)) {
      return Double.NEGATIVE_INFINITY;
    }
    double dx = x - mean[0];
    double dy = y - mean[1];
    // (dx, dy) Sigma^-1 (dx, dy)^T with Sigma^-1 = [[c, -b], [-b, a]] / det
    double q = (c * dx * dx - 2 * b * dx * dy + a * dy * dy) / det;
    return Math.log(weight) - Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * q;
  }
}
