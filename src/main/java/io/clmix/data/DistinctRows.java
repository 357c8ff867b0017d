package io.clmix.data;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * k distinct row numbers of {@code [0, n)}, uniformly without replacement, by Floyd's
 * algorithm: k draws from the generator whatever n is, so the rows depend on the seed alone
 * (the K-means and mixture starts, the benchmark's start).
 */
public final class DistinctRows {
  private DistinctRows() {}

  /** k distinct rows of {@code [0, n)} in draw order; needs {@code 0 <= k <= n}. */
  public static long[] draw(long n, int k, SplittableRandom rng) {
    Set<Long> seen = new HashSet<>();
    long[] out = new long[k];
    int m = 0;
    for (long j = n - k; j < n; j++) {
      long t = rng.nextLong(j + 1);
      long pick = seen.add(t) ? t : j;
      seen.add(pick);
      out[m++] = pick;
    }
    return out;
  }
}
