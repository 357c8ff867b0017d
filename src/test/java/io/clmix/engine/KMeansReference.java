package io.clmix.engine;

import io.clmix.data.Dataset;

/**
 * One K-means assignment pass computed the plain way, in double precision: what every engine's
 * Lloyd pass is tested against. Each point goes to its nearest centre (ties to the lower centre);
 * per centre the pass sums the weights and the weighted differences {@code x - centre}, and
 * over all points the weighted squared distances.
 */
public final class KMeansReference {
  /** Label of each row. */
  public final int[] labels;
  /** Squared distance of each row to its centre. */
  public final double[] dist;
  /** Weight per centre. */
  public final double[] weight;
  /** Weighted sums of {@code x - centre} per centre, row-major {@code k * d}. */
  public final double[] sum;
  /** Weighted sum of the squared distances. */
  public final double inertia;

  /** One assignment pass over {@code data} with centres {@code c}. */
  public KMeansReference(Dataset data, Centroids c) {
    int n = (int) data.rows();
    int d = data.cols();
    int k = c.k();
    labels = new int[n];
    dist = new double[n];
    weight = new double[k];
    sum = new double[k * d];
    double in = 0;
    for (int i = 0; i < n; i++) {
      float[] x = data.localRow(i);
      int best = -1;
      double bestD = Double.POSITIVE_INFINITY;
      for (int q = 0; q < k; q++) {
        double s = sq(x, c.values(), q * d, d);
        if (s < bestD) {
          bestD = s;
          best = q;
        }
      }
      labels[i] = best;
      dist[i] = bestD;
      double w = data.weight(i);
      weight[best] += w;
      in += w * bestD;
      for (int j = 0; j < d; j++) {
        sum[best * d + j] += w * ((double) x[j] - c.values()[best * d + j]);
      }
    }
    inertia = in;
  }

  /** Squared distance, in double, between {@code x} and the {@code d} values of {@code c} from {@code co}. */
  public static double sq(float[] x, float[] c, int co, int d) {
    double s = 0;
    for (int j = 0; j < d; j++) {
      double e = (double) x[j] - c[co + j];
      s += e * e;
    }
    return s;
  }
}
