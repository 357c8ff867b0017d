package io.clmix.plot;

import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.Model;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.StackedXYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The picture of a model on one-dimensional data: a histogram whose bars are stacked by
 * predicted cluster, K-means centres or mixture means as vertical lines, and for a mixture each
 * component's weighted density (and their sum) scaled to the counts, the 1-D counterpart of
 * the ellipses.
 */
final class Histogram {
  private static final int CURVE_POINTS = 400;

  private Histogram() {}

  static Figure of(Model model, double[][] values, int[] labels, String title, String subtitle) {
    int n = values.length;
    int k = model.k();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] v : values) {
      lo = Math.min(lo, v[0]);
      hi = Math.max(hi, v[0]);
    }
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    // Square-root rule, kept between 10 and 80 bars so the shape stays readable.
    int bins = (int) Math.max(10, Math.min(80, Math.round(Math.sqrt(n))));
    double width = (hi - lo) / bins;
    long[][] counts = new long[k][bins];
    for (int i = 0; i < n; i++) {
      int b = (int) Math.min(bins - 1, Math.floor((values[i][0] - lo) / width));
      counts[labels[i]][b]++;
    }
    DefaultTableXYDataset bars = new DefaultTableXYDataset();
    for (int c = 0; c < k; c++) {
      XYSeries s = new XYSeries("cluster " + c, true, false);
      for (int b = 0; b < bins; b++) {
        s.add(lo + (b + 0.5) * width, counts[c][b]);
      }
      bars.addSeries(s);
    }
    bars.setIntervalWidth(width);
    StackedXYBarRenderer barRenderer = new StackedXYBarRenderer(0.04);
    barRenderer.setBarPainter(new StandardXYBarPainter());
    barRenderer.setShadowVisible(false);
    barRenderer.setDrawBarOutline(false);
    for (int c = 0; c < k; c++) {
      barRenderer.setSeriesPaint(c, Palette.withAlpha(Palette.cluster(c), 200));
      barRenderer.setSeriesVisibleInLegend(c, c < 12);
    }
    NumberAxis x = new NumberAxis("column 1");
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis("points per bin");
    for (NumberAxis a : new NumberAxis[] {x, y}) {
      a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }
    XYPlot plot = new XYPlot(bars, x, y, barRenderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlinePaint(Color.GRAY);
    if (model instanceof GaussianMixtureModel gm) {
      addDensities(plot, gm, lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo), n * width);
      double[][] means = gm.means();
      for (int c = 0; c < k; c++) {
        plot.addDomainMarker(marker(means[c][0], "mean " + c));
      }
    } else if (model instanceof KMeansModel km) {
      double[][] centres = km.clusterCenters();
      for (int c = 0; c < k; c++) {
        plot.addDomainMarker(marker(centres[c][0], "centre " + c));
      }
    }
    JFreeChart chart = new JFreeChart(title, Figure.TITLE_FONT, plot, true);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return Figure.of(chart, subtitle);
  }

  /** Each component's {@code weight * N(x | mean, variance)} and their sum, times points per bin. */
  private static void addDensities(XYPlot plot, GaussianMixtureModel gm, double from, double to, double scale) {
    int k = gm.k();
    double[] w = gm.weights();
    double[][] means = gm.means();
    XYSeriesCollection curves = new XYSeriesCollection();
    XYSeries total = new XYSeries("mixture density (scaled to the counts)", true, false);
    XYSeries[] parts = new XYSeries[k];
    for (int c = 0; c < k; c++) {
      parts[c] = new XYSeries("component " + c, true, false);
    }
    for (int i = 0; i <= CURVE_POINTS; i++) {
      double xv = from + (to - from) * i / CURVE_POINTS;
      double sum = 0;
      for (int c = 0; c < k; c++) {
        double var = gm.covarianceMatrix(c)[0][0];
        double z = (xv - means[c][0]);
        double p = w[c] * Math.exp(-0.5 * z * z / var) / Math.sqrt(2 * Math.PI * var);
        parts[c].add(xv, scale * p);
        sum += p;
      }
      total.add(xv, scale * sum);
    }
    curves.addSeries(total);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setSeriesPaint(0, Color.BLACK);
    r.setSeriesStroke(0, new BasicStroke(2.2f));
    for (int c = 0; c < k; c++) {
      curves.addSeries(parts[c]);
      r.setSeriesPaint(c + 1, Palette.dark(Palette.cluster(c)));
      r.setSeriesStroke(c + 1, new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
          new float[] {6f, 4f}, 0f));
      r.setSeriesVisibleInLegend(c + 1, false);
    }
    // Renderer first: setting the dataset re-ranges the axes through the renderer at its index.
    plot.setRenderer(1, r);
    plot.setDataset(1, curves);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
  }

  private static ValueMarker marker(double x, String label) {
    ValueMarker m = new ValueMarker(x, Color.BLACK, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_ROUND, 10f, new float[] {4f, 3f}, 0f));
    m.setLabel(label);
    m.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
    m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
    m.setLabelBackgroundColor(new Color(255, 255, 255, 200));
    return m;
  }
}
