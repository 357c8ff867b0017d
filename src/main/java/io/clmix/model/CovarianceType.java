package io.clmix.model;

import io.clmix.data.InputException;
import java.util.Locale;

/**
 * The shape of a Gaussian mixture's covariances, as in scikit-learn's {@code covariance_type}.
 *
 * <p>K-means is the limiting case of {@link #SPHERICAL} with one shared, vanishing variance and
 * hard responsibilities; {@code docs/math.md} derives it.
 */
public enum CovarianceType {
  /** Each component has its own general covariance matrix (k x d x d). */
  FULL,
  /** All components share one general covariance matrix (d x d). */
  TIED,
  /** Each component has its own diagonal covariance (k x d). */
  DIAG,
  /** Each component has its own single variance (k). */
  SPHERICAL;

  /** The lower-case name used on the command line and in model files. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code full|tied|diag|spherical} (case-insensitive).
   *
   * @throws InputException naming the accepted values
   */
  public static CovarianceType parse(String s) {
    for (CovarianceType t : values()) {
      if (s != null && t.id().equalsIgnoreCase(s.trim())) {
        return t;
      }
    }
    throw InputException.parameter("covariance type", "'" + s + "'", "one of full, tied, diag, spherical");
  }

  /** Number of free covariance parameters for k components in d dimensions (for BIC/AIC). */
  public long covarianceParameters(int k, int d) {
    switch (this) {
      case FULL:
        return (long) k * d * (d + 1) / 2;
      case TIED:
        return (long) d * (d + 1) / 2;
      case DIAG:
        return (long) k * d;
      case SPHERICAL:
        return k;
      default:
        throw new AssertionError(this);
    }
  }
}
