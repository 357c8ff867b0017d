package io.clmix.cli;

/**
 * Pairs the clusters of two models (or a model and the truth) so that "cluster c" names the
 * same group in both: the permutation of {@code from}'s centres closest to {@code to}'s, by
 * total squared distance. Exhaustive for up to 8 clusters, greedy beyond.
 */
final class Matching {
  private static final int EXHAUSTIVE_UP_TO = 8;

  private Matching() {}

  /**
   * {@code perm[i]} is the index in {@code from} that becomes cluster {@code i}: the row of
   * {@code from} matched to {@code to[i]}. Both have k rows of the same length.
   */
  static int[] permutation(double[][] from, double[][] to) {
    int k = to.length;
    double[][] cost = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double s = 0;
        for (int d = 0; d < to[i].length; d++) {
          double e = to[i][d] - from[j][d];
          s += e * e;
        }
        cost[i][j] = s;
      }
    }
    return k <= EXHAUSTIVE_UP_TO ? exhaustive(cost) : greedy(cost);
  }

  private static int[] exhaustive(double[][] cost) {
    int k = cost.length;
    int[] best = new int[k];
    int[] current = new int[k];
    double[] bestCost = {Double.POSITIVE_INFINITY};
    search(cost, 0, new boolean[k], current, 0, best, bestCost);
    return best;
  }

  private static void search(double[][] cost, int i, boolean[] used, int[] current, double sum, int[] best,
      double[] bestCost) {
    int k = cost.length;
    if (sum >= bestCost[0]) {
      return;
    }
    if (i == k) {
      bestCost[0] = sum;
      System.arraycopy(current, 0, best, 0, k);
      return;
    }
    for (int j = 0; j < k; j++) {
      if (!used[j]) {
        used[j] = true;
        current[i] = j;
        search(cost, i + 1, used, current, sum + cost[i][j], best, bestCost);
        used[j] = false;
      }
    }
  }

  private static int[] greedy(double[][] cost) {
    int k = cost.length;
    int[] perm = new int[k];
    boolean[] rowDone = new boolean[k];
    boolean[] colDone = new boolean[k];
    for (int step = 0; step < k; step++) {
      int bi = -1;
      int bj = -1;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          if (!rowDone[i] && !colDone[j] && (bi < 0 || cost[i][j] < cost[bi][bj])) {
            bi = i;
            bj = j;
          }
        }
      }
      perm[bi] = bj;
      rowDone[bi] = true;
      colDone[bj] = true;
    }
    return perm;
  }

  /** The inverse permutation: {@code inverse[perm[i]] = i}, to relabel per-point labels. */
  static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }
}
