package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.SufficientStats;

/**
 * K-means' M-step: each centre moves to the weighted mean of its points, computed in double
 * from sums of differences about the centre the pass was given ({@code c + sum / weight}; the
 * engine saw c rounded to float32, so that rounded value is the reference, and the mean comes
 * out exact).
 *
 * <p>Empty clusters (zero weight) are re-seeded deterministically, as scikit-learn does: the
 * i-th empty cluster takes the i-th farthest point from its centre, which leaves its old
 * cluster (that cluster's sums and weight drop accordingly). Unlike scikit-learn, only points of
 * positive weight are candidates ({@link DataSession#farthest}): a cluster given a point of
 * weight zero would stay empty and move again next pass, so a fit with fewer weighted rows
 * than k would never converge. Clusters left over keep their centres.
 *
 * @param centres the new centres (local coordinates)
 * @param repairs how many empty clusters were re-seeded
 */
public record CentreUpdate(double[][] centres, int repairs) {

  public static CentreUpdate of(SufficientStats st, Centroids sent, DataSession session) {
    int k = st.k();
    int d = st.d();
    double[][] old = new double[k][];
    for (int c = 0; c < k; c++) {
      old[c] = sent.centre(c);
    }
    double[] weight = st.weight().clone();
    double[] sum = st.sum().clone();
    double[][] next = new double[k][];
    int empties = 0;
    for (int c = 0; c < k; c++) {
      if (!(weight[c] > 0)) {
        empties++;
      }
    }
    boolean[] reseeded = new boolean[k];
    int repaired = 0;
    if (empties > 0) {
      Dataset data = session.data();
      long[] far = session.farthest(empties);
      int[] labels = labelsOf(session, far);
      int e = 0;
      for (int c = 0; c < k && e < far.length; c++) {
        if (weight[c] > 0) {
          continue;
        }
        long row = far[e];
        int from = labels[e];
        e++;
        float[] x = data.localRow(row);
        double w = data.weight(row);
        // The point leaves its cluster: remove its contribution about that cluster's centre.
        for (int j = 0; j < d; j++) {
          sum[from * d + j] -= w * (x[j] - old[from][j]);
        }
        weight[from] -= w;
        next[c] = new double[d];
        for (int j = 0; j < d; j++) {
          next[c][j] = x[j];
        }
        reseeded[c] = true;
      }
      repaired = e;
    }
    for (int c = 0; c < k; c++) {
      if (reseeded[c]) {
        continue;
      }
      next[c] = new double[d];
      if (weight[c] > 0) {
        double inv = 1.0 / weight[c];
        for (int j = 0; j < d; j++) {
          next[c][j] = old[c][j] + sum[c * d + j] * inv;
        }
      } else {
        // A cluster emptied by giving its last point away keeps its centre.
        System.arraycopy(old[c], 0, next[c], 0, d);
      }
    }
    // Fewer rows than empty clusters carry weight when few do: only those re-seeded count.
    return new CentreUpdate(next, repaired);
  }

  private static int[] labelsOf(DataSession session, long[] rows) {
    var labels = session.labels();
    int[] out = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = labels.get(rows[i]);
    }
    return out;
  }
}
