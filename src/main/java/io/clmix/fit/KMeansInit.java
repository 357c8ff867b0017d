package io.clmix.fit;

import io.clmix.data.InputException;

/**
 * How K-means chooses its first centres.
 *
 * <ul>
 *   <li>{@link KMeansPlusPlus}: greedy k-means++ (the default), as scikit-learn: each new centre
 *       is the best of {@code 2 + floor(ln k)} candidates sampled with probability proportional
 *       to the weighted squared distance to the closest centre so far;
 *   <li>{@link RandomRows}: k distinct rows, drawn with probability proportional to their weight;
 *   <li>{@link Given}: centres supplied by the caller (then {@code nInit} is 1).
 * </ul>
 *
 * <p>References: D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful
 * seeding", SODA 2007; scikit-learn's {@code _kmeans_plusplus}.
 */
public sealed interface KMeansInit permits KMeansInit.KMeansPlusPlus, KMeansInit.RandomRows, KMeansInit.Given {

  /** Greedy k-means++. */
  record KMeansPlusPlus() implements KMeansInit {
    @Override
    public String toString() {
      return "k-means++";
    }
  }

  /** k distinct rows at random. */
  record RandomRows() implements KMeansInit {
    @Override
    public String toString() {
      return "random";
    }
  }

  /**
   * Fixed initial centres, in the data's own coordinates (k rows of d values).
   *
   * @param centres the centres; copied
   * @param source where they came from, for reports (a file name, or "array", which null means)
   */
  record Given(double[][] centres, String source) implements KMeansInit {
    public Given {
      if (source == null) {
        source = "array"; // rather than "init: null has centres ..." and a report's init of null
      }
      if (centres == null) {
        throw new InputException("initial centres: null is not allowed; expected k rows of d values");
      }
      if (centres.length == 0) {
        throw new InputException("initial centres: none given");
      }
      if (centres[0] == null) {
        throw new InputException("initial centres: row 1 is null; expected an array of values");
      }
      int d = centres[0].length;
      double[][] copy = new double[centres.length][];
      for (int i = 0; i < centres.length; i++) {
        if (centres[i] == null) {
          throw new InputException("initial centres: row " + (i + 1) + " is null; expected " + d + " values");
        }
        if (centres[i].length != d) {
          throw new InputException("initial centres: row " + (i + 1) + " has " + centres[i].length
              + " values where row 1 has " + d);
        }
        for (int j = 0; j < d; j++) {
          if (!Double.isFinite(centres[i][j])) {
            throw new InputException("initial centres: row " + (i + 1) + ", column " + (j + 1) + ": value "
                + centres[i][j] + " is not a finite number");
          }
          if (Math.abs(centres[i][j]) > Float.MAX_VALUE) {
            // As the data files' values: the engines compute in float32, where it is infinite.
            throw new InputException("initial centres: row " + (i + 1) + ", column " + (j + 1) + ": value "
                + centres[i][j] + " is beyond float32's range (3.4e38), in which the engines compute");
          }
        }
        copy[i] = centres[i].clone();
      }
      centres = copy;
    }

    @Override
    public double[][] centres() {
      double[][] out = new double[centres.length][];
      for (int i = 0; i < out.length; i++) {
        out[i] = centres[i].clone();
      }
      return out;
    }

    @Override
    public String toString() {
      return source;
    }
  }

  /** The default, k-means++. */
  static KMeansInit kMeansPlusPlus() {
    return new KMeansPlusPlus();
  }

  /** k distinct random rows. */
  static KMeansInit random() {
    return new RandomRows();
  }

  /** Fixed initial centres (k x d, in the data's own coordinates). */
  static KMeansInit centres(double[][] centres) {
    return new Given(centres, "array");
  }
}
