package io.clmix.bench;

import io.clmix.data.InputException;
import io.clmix.model.CovarianceType;
import java.util.Locale;

/**
 * What one benchmark runs: the algorithm, the size of the generated data, and how many
 * iterations and repeats every device makes. Validated on construction; messages name the
 * option, the value and what it accepts.
 *
 * @param algo K-means (Lloyd passes) or a Gaussian mixture (EM iterations)
 * @param covariance the mixture's covariance type; null for K-means
 * @param n rows of generated data
 * @param d columns
 * @param k clusters in the data and in the fit
 * @param iterations iterations of every run (no convergence test stops them earlier)
 * @param repeats timed runs per device after one warm-up run
 * @param seed the seed of the data and of the start
 */
public record BenchSpec(Algo algo, CovarianceType covariance, long n, int d, int k, int iterations, int repeats,
    long seed) {

  /** The algorithms the benchmark knows. */
  public enum Algo {
    /** K-means: one assignment pass and a centre update per iteration. */
    KMEANS,
    /** Gaussian mixture: one E-step pass and an M-step per iteration. */
    GMM;

    /** The name used on the command line: {@code kmeans} or {@code gmm}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code kmeans} or {@code gmm}.
     *
     * @throws InputException naming the accepted values
     */
    public static Algo parse(String s) {
      for (Algo a : values()) {
        if (a.id().equalsIgnoreCase(s.trim())) {
          return a;
        }
      }
      throw InputException.parameter("--algo", "'" + s + "'", "kmeans or gmm");
    }
  }

  public BenchSpec {
    if (algo == null) {
      throw new InputException("--algo: missing; expected kmeans or gmm");
    }
    if (algo == Algo.GMM && covariance == null) {
      covariance = CovarianceType.FULL;
    }
    if (algo == Algo.KMEANS) {
      covariance = null;
    }
    if (n < 1) {
      throw InputException.parameter("--n", n, "an integer >= 1");
    }
    if (d < 1) {
      throw InputException.parameter("--d", d, "an integer >= 1");
    }
    if (k < 1) {
      throw InputException.parameter("-k", k, "an integer >= 1");
    }
    if (k > n) {
      throw new InputException("-k: " + k + " clusters need at least " + k + " rows; --n is " + n);
    }
    if (iterations < 1) {
      throw InputException.parameter("--iters", iterations, "an integer >= 1");
    }
    if (repeats < 1) {
      throw InputException.parameter("--repeats", repeats, "an integer >= 1");
    }
  }

  /** One line for tables and chart titles, such as {@code gmm (full) n=100000 d=16 k=16, 20 iterations}. */
  public String describe() {
    return algo.id() + (covariance != null ? " (" + covariance.id() + ")" : "") + " n=" + n + " d=" + d + " k=" + k
        + ", " + iterations + (iterations == 1 ? " iteration" : " iterations");
  }
}
