package io.clmix.engine;

import java.util.Arrays;

/**
 * What one pass over the data returns: small, additive statistics from which the algorithm
 * computes its next parameters. K-means and the Gaussian mixture share this type because
 * K-means is the mixture with hard responsibilities and no covariance to estimate.
 *
 * <p>All sums are about the reference points the pass was given (the centres or means
 * {@code ref_k}, in local coordinates) rather than about the origin, so float32 partial sums on
 * a device stay small and accurate, and the M-step corrects for the shift in double:
 * <pre>
 *   weight[k]   = sum_i w_i r_ik                          (r = 1 for the nearest centre in K-means)
 *   sum[k][j]   = sum_i w_i r_ik (x_ij - ref_kj)
 *   scatter     = sum_i w_i r_ik (x_i - ref_k)(x_i - ref_k)^T   shaped by {@link Scatter}
 *   objective   = sum_i w_i min_k |x_i - ref_k|^2  (K-means inertia)  or  sum_i w_i log p(x_i)  (mixture)
 * </pre>
 *
 * <p>Statistics of disjoint parts of a data set (chunks, devices, cluster partitions) computed
 * with the same references combine with {@link #plus}.
 */
public final class SufficientStats {

  /** Which part of the scatter a pass accumulates. */
  public enum Scatter {
    /** No scatter (K-means). */
    NONE,
    /** One d x d matrix per component (full covariances): k*d*d values. */
    FULL,
    /** One d x d matrix summed over all components (tied covariance): d*d values. */
    TIED,
    /** The diagonal per component (diag and spherical covariances): k*d values. */
    DIAG;

    /** Number of values of this scatter for k components and d columns. */
    public int length(int k, int d) {
      switch (this) {
        case NONE:
          return 0;
        case FULL:
          return k * d * d;
        case TIED:
          return d * d;
        case DIAG:
          return k * d;
        default:
          throw new AssertionError(this);
      }
    }
  }

  private final int k;
  private final int d;
  private final Scatter scatterShape;
  private final double[] weight;
  private final double[] sum;
  private final double[] scatter;
  private double objective;
  private long changed;

  /** Zero statistics for k components, d columns and the given scatter shape. */
  public SufficientStats(int k, int d, Scatter scatterShape) {
    this.k = k;
    this.d = d;
    this.scatterShape = scatterShape;
    this.weight = new double[k];
    this.sum = new double[k * d];
    this.scatter = new double[scatterShape.length(k, d)];
  }

  public int k() {
    return k;
  }

  public int d() {
    return d;
  }

  public Scatter scatterShape() {
    return scatterShape;
  }

  /** Total weight (responsibility) per component; writable, length k. */
  public double[] weight() {
    return weight;
  }

  /** Weighted sums of differences from the references, k x d row-major; writable. */
  public double[] sum() {
    return sum;
  }

  /** The scatter about the references in the layout of {@link #scatterShape()}; writable. */
  public double[] scatter() {
    return scatter;
  }

  /** Inertia (K-means) or total weighted log-likelihood (mixture). */
  public double objective() {
    return objective;
  }

  public void setObjective(double objective) {
    this.objective = objective;
  }

  /** Points whose label changed since the previous assignment pass (K-means); 0 for mixtures. */
  public long changed() {
    return changed;
  }

  public void setChanged(long changed) {
    this.changed = changed;
  }

  /** Adds {@code other}'s statistics (same k, d, shape and references) into this one; returns this. */
  public SufficientStats plus(SufficientStats other) {
    if (other.k != k || other.d != d || other.scatterShape != scatterShape) {
      throw new IllegalArgumentException("cannot add statistics of different shapes");
    }
    add(weight, other.weight);
    add(sum, other.sum);
    add(scatter, other.scatter);
    objective += other.objective;
    changed += other.changed;
    return this;
  }

  /** A deep copy. */
  public SufficientStats copy() {
    SufficientStats c = new SufficientStats(k, d, scatterShape);
    c.plus(this);
    return c;
  }

  private static void add(double[] into, double[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  @Override
  public String toString() {
    return "SufficientStats[k=" + k + ", d=" + d + ", scatter=" + scatterShape + ", objective=" + objective
        + ", changed=" + changed + ", weight=" + Arrays.toString(weight) + "]";
  }
}
