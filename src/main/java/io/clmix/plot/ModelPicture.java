package io.clmix.plot;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.Engine;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.Model;
import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * The picture of a saved model on data ({@code clmix plot}): a sample of the points coloured
 * by their predicted cluster, the K-means centres or the mixture means with 1σ and 2σ
 * ellipses.
 *
 * <ul>
 *   <li>d = 2: the data's own axes, with the decision boundaries;
 *   <li>d > 2: the first two principal components of the data; means are projected and
 *       covariances become {@code P^T Sigma P}, so each ellipse is that of the projected
 *       component (boundaries are not drawn: they do not project to lines in the plane);
 *   <li>d = 1: a histogram stacked by cluster ({@link Histogram}).
 * </ul>
 */
public final class ModelPicture {
  /**
   * Rows used for the principal components: all of them when few, else a sample whose d x d
   * accumulation stays around 2 * 10^8 multiply-adds (about a second at worst).
   */
  static final long PCA_BUDGET = 200_000_000L;

  private ModelPicture() {}

  /**
   * Draws {@code model} on {@code data}.
   *
   * @param engine where the predictions for the drawn points run
   * @param maxPoints points drawn at most (a stratified sample)
   * @param seed seed of the sample
   * @param dataName names the data in the subtitle (a file name)
   * @throws InputException when the model and data disagree in their number of columns
   */
  public static Figure of(Model model, Dataset data, Engine engine, int maxPoints, long seed, String dataName) {
    if (model.d() != data.cols()) {
      throw new InputException(dataName + ": " + data.cols() + " columns, but the model has " + model.d());
    }
    RowSample sample = RowSample.of(data, maxPoints, seed);
    int[] labels = model.predict(sample.dataset(), engine).toArray();
    String title = title(model);
    String drawn = String.format(Locale.ROOT, "%s · %,d points (%,d drawn)", dataName, data.rows(), sample.size());
    if (model.d() == 1) {
      return Histogram.of(model, sample.values(), labels, title, drawn);
    }
    Pca pca = null;
    double[][] xy;
    String xLabel = "column 1";
    String yLabel = "column 2";
    if (model.d() == 2) {
      xy = sample.values();
    } else {
      int d = model.d();
      int rows = (int) Math.max(2000, Math.min(50_000, PCA_BUDGET / ((long) d * d)));
      pca = Pca.fit(RowSample.of(data, rows, seed + 1).values());
      xy = new double[sample.size()][];
      for (int i = 0; i < xy.length; i++) {
        xy[i] = pca.project(sample.values()[i]);
      }
      xLabel = pca.axisLabel(0);
      yLabel = pca.axisLabel(1);
      drawn += pca.hasVariance()
          ? String.format(Locale.ROOT, " · the first two principal components hold %.1f%% of the variance",
              100 * (pca.explainedVarianceRatio(0) + pca.explainedVarianceRatio(1)))
          : " · the rows have no variance to project (all the same point)";
    }
    ClusterPanel panel = new ClusterPanel(xLabel, yLabel).hardPoints(xy, labels).clusterLegend(model.k(), null);
    if (model instanceof KMeansModel km) {
      double[][] centres = project(km.clusterCenters(), pca);
      panel.centres(centres);
      if (pca == null && model.k() > 1) {
        for (int c = 0; c < model.k(); c++) {
          int cc = c;
          panel.boundary((x, y) -> Boundaries.kmeans(centres, cc, x, y), "K-means boundary", new Color(0x222222));
        }
      }
    } else if (model instanceof GaussianMixtureModel gm) {
      double[][] means = project(gm.means(), pca);
      double[][][] cov = new double[gm.k()][][];
      for (int c = 0; c < gm.k(); c++) {
        cov[c] = pca == null ? gm.covarianceMatrix(c) : pca.projectCovariance(gm.covarianceMatrix(c));
      }
      panel.gaussians(means, cov, 1, 2);
      if (pca == null && model.k() > 1) {
        double[] w = gm.weights();
        for (int c = 0; c < model.k(); c++) {
          int cc = c;
          panel.boundary((x, y) -> Boundaries.mixture(w, means, cov, cc, x, y), "equal probability",
              new Color(0x6a006a));
        }
      }
    } else {
      throw new InputException("cannot draw a model of kind '" + model.algo() + "'");
    }
    return Figure.scatter(title, drawn, List.of(panel));
  }

  static String title(Model model) {
    if (model instanceof GaussianMixtureModel gm) {
      return "Gaussian mixture, k = " + gm.k() + ", " + gm.covarianceType().id() + " covariances";
    }
    return "K-means, k = " + model.k();
  }

  private static double[][] project(double[][] points, Pca pca) {
    if (pca == null) {
      return points;
    }
    double[][] out = new double[points.length][];
    for (int i = 0; i < points.length; i++) {
      out[i] = pca.project(points[i]);
    }
    return out;
  }
}
