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
 * @param repeats timed runs per device after the warm-up
 * @param seed the seed of the data and of the start
 * @param warmupSeconds untimed warm-up per device: one run, then more until this many seconds
 *     have passed since the first began (0: one run). The Java engine's vector kernels run tens
 *     of times slower until the JIT has compiled them, and on a machine with few cores the
 *     compiler competes with the fit's own threads: one 20-iteration run of the mixture
 *     left the next runs at 45 to 130 ms per iteration against 8 to 15 ms once compiled
 *     (docs/benchmarks.md, "Warm-up").
 */
public record BenchSpec(Algo algo, CovarianceType covariance, long n, int d, int k, int iterations, int repeats,
    long seed, double warmupSeconds) {
  /**
   * Iterations per run at most. Every iteration's time is kept (the median is over all of them),
   * one double per iteration and run, allocated before the run: two billion iterations asked
   * for 16 GB and failed as "Java heap space" in every device's row. A hundred thousand is far
   * beyond what a benchmark needs (20 by default) and costs 0.8 MB per run.
   */
  public static final int MAX_ITERATIONS = 100_000;

  /** Timed runs per device at most: with {@link #MAX_ITERATIONS}, the pooled times stay at 80 MB. */
  public static final int MAX_REPEATS = 100;

  /** Warm-up at most, in seconds (the CLI's {@code --warmup}). */
  public static final double MAX_WARMUP_SECONDS = 600;

  /** As the canonical constructor, with one warm-up run ({@code warmupSeconds} 0). */
  public BenchSpec(Algo algo, CovarianceType covariance, long n, int d, int k, int iterations, int repeats, long seed) {
    this(algo, covariance, n, d, k, iterations, repeats, seed, 0);
  }

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
      throw InputException.parameter("--k", k, "an integer >= 1");
    }
    if (k > n) {
      throw new InputException("--k: " + k + " clusters need at least " + k + " rows; --n is " + n);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw InputException.parameter("--iters", iterations, "an integer from 1 to " + MAX_ITERATIONS);
    }
    if (repeats < 1 || repeats > MAX_REPEATS) {
      throw InputException.parameter("--repeats", repeats, "an integer from 1 to " + MAX_REPEATS);
    }
    if (!(warmupSeconds >= 0 && warmupSeconds <= MAX_WARMUP_SECONDS)) {
      Object shown = Double.isFinite(warmupSeconds) ? plain(warmupSeconds) : warmupSeconds;
      throw InputException.parameter("--warmup", shown, "seconds from 0 to " + (int) MAX_WARMUP_SECONDS);
    }
  }

  /** A finite number as written, without a trailing {@code .0} or an exponent: 0.05, 10, -1. */
  static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** One line for tables and chart titles, such as {@code gmm (full) n=100000 d=16 k=16, 20 iterations}. */
  public String describe() {
    return algo.id() + (covariance != null ? " (" + covariance.id() + ")" : "") + " n=" + n + " d=" + d + " k=" + k
        + ", " + iterations + (iterations == 1 ? " iteration" : " iterations");
  }
}
