package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.data.DistinctRows;
import io.clmix.engine.DataSession;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Chooses initial centres from the data, in local coordinates. The passes over the data run
 * on the session's engine; the random choices come from the caller's generator alone.
 */
final class Seeding {
  private Seeding() {}

  /** Initial centres for {@code init}, as k rows of local coordinates. */
  static double[][] centres(KMeansInit init, DataSession session, int k, SplittableRandom rng) {
    Dataset data = session.data();
    if (init instanceof KMeansInit.Given given) {
      double[][] c = given.centres();
      for (int i = 0; i < c.length; i++) {
        c[i] = data.toLocal(c[i]);
      }
      return c;
    }
    if (init instanceof KMeansInit.RandomRows) {
      return rows(data, randomRows(data, k, rng));
    }
    return kMeansPlusPlus(session, k, rng);
  }

  /**
   * Greedy k-means++ as scikit-learn's {@code _kmeans_plusplus}: the first centre is a row drawn
   * with probability proportional to its weight; each further centre is the best (lowest
   * resulting potential) of {@code 2 + floor(ln k)} rows drawn with probability proportional to
   * {@code w * D^2}.
   */
  static double[][] kMeansPlusPlus(DataSession session, int k, SplittableRandom rng) {
    Dataset data = session.data();
    int d = data.cols();
    int trials = 2 + (int) Math.log(k);
    long[] chosen = new long[k];
    chosen[0] = weightedRow(data, rng);
    double potential = session.seedStart(data.localRow(chosen[0]));
    for (int c = 1; c < k; c++) {
      double[] targets = new double[trials];
      for (int t = 0; t < trials; t++) {
        targets[t] = rng.nextDouble() * potential;
      }
      // The session wants ascending targets; keep each candidate in the order it was drawn so
      // that ties in potential go to the first drawn, as in scikit-learn.
      Integer[] order = new Integer[trials];
      for (int t = 0; t < trials; t++) {
        order[t] = t;
      }
      Arrays.sort(order, (a, b) -> Double.compare(targets[a], targets[b]));
      double[] sorted = new double[trials];
      for (int t = 0; t < trials; t++) {
        sorted[t] = targets[order[t]];
      }
      long[] sampled = session.seedSample(sorted);
      long[] candidates = new long[trials];
      for (int t = 0; t < trials; t++) {
        candidates[order[t]] = sampled[t];
      }
      float[] values = new float[trials * d];
      for (int t = 0; t < trials; t++) {
        System.arraycopy(data.localRow(candidates[t]), 0, values, t * d, d);
      }
      double[] potentials = session.seedTrial(values, trials);
      int best = 0;
      for (int t = 1; t < trials; t++) {
        if (potentials[t] < potentials[best]) {
          best = t;
        }
      }
      chosen[c] = candidates[best];
      potential = potentials[best];
      session.seedCommit(data.localRow(chosen[c]));
    }
    return rows(data, chosen);
  }

  /** One row drawn with probability proportional to its weight (uniformly when unweighted). */
  static long weightedRow(Dataset data, SplittableRandom rng) {
    if (!data.weighted()) {
      return rng.nextLong(data.rows());
    }
    double target = rng.nextDouble() * data.totalWeight();
    double run = 0;
    long last = 0;
    for (int c = 0; c < data.chunkCount(); c++) {
      float[] w = data.chunkWeights(c);
      for (int i = 0; i < data.rowsIn(c); i++) {
        if (w[i] > 0) {
          run += w[i];
          last = data.chunkStart(c) + i;
          if (run > target) {
            return last;
          }
        }
      }
    }
    return last;
  }

  /**
   * k distinct rows drawn without replacement with probability proportional to weight: Floyd's
   * algorithm when unweighted; Efraimidis-Spirakis keys {@code u^(1/w)} (largest k win) when
   * weighted, one pass, rows of zero weight never drawn.
   */
  static long[] randomRows(Dataset data, int k, SplittableRandom rng) {
    long n = data.rows();
    if (!data.weighted()) {
      return DistinctRows.draw(n, k, rng);
    }
    PriorityQueue<double[]> best = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
    for (int c = 0; c < data.chunkCount(); c++) {
      float[] w = data.chunkWeights(c);
      for (int i = 0; i < data.rowsIn(c); i++) {
        double u = rng.nextDouble();
        if (w[i] <= 0) {
          continue;
        }
        double key = Math.log(u) / w[i];
        if (best.size() < k) {
          best.add(new double[] {key, data.chunkStart(c) + i});
        } else if (key > best.peek()[0]) {
          best.poll();
          best.add(new double[] {key, data.chunkStart(c) + i});
        }
      }
    }
    if (best.size() < k) {
      // Worded for both callers: K-means' init random and the mixtures' random-from-data.
      throw new io.clmix.data.InputException("the random start draws k = " + k + " distinct rows of positive weight,"
          + " but only " + best.size() + (best.size() == 1 ? " row has one" : " rows have one")
          + "; use at most that many clusters, or the k-means++ start");
    }
    long[] out = new long[k];
    for (int i = k - 1; i >= 0; i--) {
      out[i] = (long) best.poll()[1];
    }
    return out;
  }

  static double[][] rows(Dataset data, long[] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      float[] r = data.localRow(rows[i]);
      out[i] = new double[r.length];
      for (int j = 0; j < r.length; j++) {
        out[i][j] = r[j];
      }
    }
    return out;
  }
}
