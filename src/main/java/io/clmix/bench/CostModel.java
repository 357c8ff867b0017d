package io.clmix.bench;

import io.clmix.model.CovarianceType;

/**
 * The floating-point operations and memory traffic of one iteration, so that seconds per
 * iteration become GFLOP/s and GB/s. The counts are the useful arithmetic of the algorithm,
 * not what a particular engine executes, so every device is measured against the same work.
 * A multiply-add counts as 2 flops; exponentials and logarithms (k per point in the E-step)
 * are not counted. {@code docs/benchmarks.md} repeats the formulas.
 *
 * <p><b>K-means (one Lloyd iteration)</b>: {@code 2 n k d} for the distances of every point to
 * every centre (the dot-product count, as a GEMM), plus {@code n d} to add each point into its
 * cluster's sum. The centre update on the host is O(k d) and not counted.
 *
 * <p><b>Gaussian mixture (one E-step plus the sums of the M-step)</b>: {@code n k (e + m)},
 * per point and component:
 * <pre>
 *               e (log-density)                         m (weighted sums and scatter)
 *   full, tied  d (x - mu) + d(d+1) (y = (x - mu) U)      2d (sum r a) + d(d+1) (upper triangle
 *               + 2d (|y|^2)             = d^2 + 4d      of r a a^T)             = d^2 + 3d
 *   diag        d + d (scale by 1/sigma) + 2d  = 4d       2d + 2d (diagonal of r a a^T) = 4d
 *   spherical   d + 2d + 1 (scale)       = 3d + 1         2d + 2d                       = 4d
 * </pre>
 * The M-step on the host (Cholesky factors, O(k d^3)) is not counted.
 *
 * <p><b>Bytes</b>: the data read once per iteration, {@code 4 n d} (float32): the traffic no
 * engine can avoid while the data do not fit in cache. Labels, distances and the small
 * statistics are not counted, so GB/s is a lower bound on the traffic.
 *
 * <p><b>Dense-equivalent rates.</b> An engine may skip work that cannot change the result: the
 * mixture engines skip the (point, component) pairs whose responsibility is 0 in float
 * precision, which on separated clusters is most pairs after the first iterations. The rates
 * are then those an engine doing all the counted work would need to finish in the same time:
 * comparable across devices and libraries (scikit-learn does all of it), but a fraction of peak
 * above 1 is possible and means skipped work, not faster hardware.
 */
public final class CostModel {
  private CostModel() {}

  /**
   * The work of one iteration.
   *
   * @param flops floating-point operations
   * @param bytes bytes read from the device's memory
   * @param formula the flop formula in words, for reports
   */
  public record Cost(double flops, double bytes, String formula) {}

  /** The work of one iteration of {@code spec}. */
  public static Cost perIteration(BenchSpec spec) {
    double n = spec.n();
    double d = spec.d();
    double k = spec.k();
    double bytes = 4 * n * d;
    if (spec.algo() == BenchSpec.Algo.KMEANS) {
      return new Cost(2 * n * k * d + n * d, bytes, "2nkd + nd");
    }
    return new Cost(n * k * perPointAndComponent(spec.covariance(), spec.d()), bytes,
        "nk(" + formula(spec.covariance()) + ")");
  }

  /** Flops per point and component of a mixture iteration, {@code e + m} in the class comment. */
  static double perPointAndComponent(CovarianceType type, int dim) {
    double d = dim;
    switch (type) {
      case FULL:
      case TIED:
        return (d * d + 4 * d) + (d * d + 3 * d);
      case DIAG:
        return 4 * d + 4 * d;
      case SPHERICAL:
        return (3 * d + 1) + 4 * d;
      default:
        throw new AssertionError(type);
    }
  }

  private static String formula(CovarianceType type) {
    switch (type) {
      case FULL:
      case TIED:
        return "2d^2 + 7d";
      case DIAG:
        return "8d";
      case SPHERICAL:
        return "7d + 1";
      default:
        throw new AssertionError(type);
    }
  }
}
