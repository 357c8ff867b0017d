package io.clmix.plot;

import io.clmix.data.InputException;
import java.awt.Color;
import java.util.List;

/**
 * The demo's picture: K-means and a Gaussian mixture on the same 2-D points, side by side.
 * Left, every point takes the colour of its K-means cluster and the cells meet on straight
 * lines, halfway between the centres. Right, every point is coloured by the mix of its
 * components' probabilities (uncertain points look blended), with the components' 1σ and 2σ
 * ellipses and the curved line where two components are equally likely.
 *
 * <p>Cluster {@code c} must mean the same cluster in both models: match them before (the demo
 * pairs each mixture component with the nearest K-means centre).
 */
public final class Comparison {
  /** The two models' parameters in 2-D, and what to show. */
  public record Input(
      double[][] points,
      int[] kmeansLabels,
      double[][] centres,
      double[][] probabilities,
      double[] weights,
      double[][] means,
      double[][][] covariances,
      String[] clusterNames,
      double[][] marked,
      String[] markedNames,
      String xLabel,
      String yLabel) {}

  private Comparison() {}

  /** The two panels of {@code in} in one figure. */
  public static Figure of(Input in, String title, String subtitle) {
    int k = in.centres().length;
    if (in.means().length != k || in.centres()[0].length != 2) {
      throw new InputException("the comparison picture needs two 2-D models with the same number of clusters");
    }
    ClusterPanel left = new ClusterPanel(in.xLabel(), in.yLabel())
        .caption("K-means: each point in exactly one cell")
        .hardPoints(in.points(), in.kmeansLabels())
        .clusterLegend(k, in.clusterNames())
        .centres(in.centres());
    ClusterPanel right = new ClusterPanel(in.xLabel(), in.yLabel())
        .caption("Gaussian mixture: how likely each cluster is")
        .softPoints(in.points(), in.probabilities())
        .clusterLegend(k, in.clusterNames())
        .gaussians(in.means(), in.covariances(), 1, 2);
    // The same extent on both sides, so the two boundaries can be compared by eye.
    double[] l = left.extent();
    double[] r = right.extent();
    double[] box = {Math.min(l[0], r[0]), Math.max(l[1], r[1]), Math.min(l[2], r[2]), Math.max(l[3], r[3])};
    left.include(box);
    right.include(box);
    Color boundary = new Color(0x222222);
    for (int c = 0; c < k; c++) {
      int cc = c;
      left.boundary((x, y) -> Boundaries.kmeans(in.centres(), cc, x, y), "K-means boundary", boundary);
    }
    Color curve = new Color(0x6a006a);
    for (int c = 0; c < k; c++) {
      int cc = c;
      right.boundary((x, y) -> Boundaries.mixture(in.weights(), in.means(), in.covariances(), cc, x, y), "mixture boundary (equal probability)", curve);
    }
    if (in.marked() != null && in.marked().length > 0) {
      left.probes(in.marked(), in.markedNames(), "points of the table");
      right.probes(in.marked(), in.markedNames(), "points of the table");
    }
    return Figure.scatter(title, subtitle, List.of(left, right));
  }
}
