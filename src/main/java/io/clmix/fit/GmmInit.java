package io.clmix.fit;

import io.clmix.data.InputException;

/**
 * How a Gaussian mixture's first responsibilities are chosen (scikit-learn's
 * {@code init_params}); the first M-step turns them into weights, means and covariances.
 */
public enum GmmInit {
  /** Hard responsibilities from one K-means run (the default). */
  KMEANS("kmeans"),
  /** One point per component chosen by k-means++; covariances start at regCovar. */
  KMEANS_PLUS_PLUS("k-means++"),
  /** Responsibilities drawn uniformly at random and normalised per point. */
  RANDOM("random"),
  /** k distinct random rows as the means; covariances start at regCovar. */
  RANDOM_FROM_DATA("random-from-data");

  private final String id;

  GmmInit(String id) {
    this.id = id;
  }

  /** The name used on the command line. */
  public String id() {
    return id;
  }

  /** Parses a command-line name, also accepting scikit-learn's spellings. */
  public static GmmInit parse(String s) {
    String t = s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    for (GmmInit i : values()) {
      if (i.id.equals(t)) {
        return i;
      }
    }
    if (t.equals("kmeans++")) {
      return KMEANS_PLUS_PLUS;
    }
    throw InputException.parameter("--init", "'" + s + "'",
        "kmeans, k-means++, random, random-from-data, or a file of initial means");
  }

  @Override
  public String toString() {
    return id;
  }
}
