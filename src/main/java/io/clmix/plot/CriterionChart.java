package io.clmix.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYDrawableAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * An information criterion (BIC) against the number of components, one line per covariance
 * type, the best fit circled: the picture of {@code clmix select}. Fits that failed are left
 * out of their line.
 */
public final class CriterionChart {
  private final String criterion;
  private final Map<String, XYSeries> lines = new LinkedHashMap<>();
  private double bestK = Double.NaN;
  private double bestValue = Double.NaN;
  private String bestLabel;

  /** A chart of {@code criterion} ("BIC") values. */
  public CriterionChart(String criterion) {
    this.criterion = criterion;
  }

  /** Adds the value of one fit to the line named {@code line} (a covariance type). */
  public CriterionChart add(String line, int k, double value) {
    XYSeries s = lines.computeIfAbsent(line, name -> new XYSeries(name, true, false));
    if (Double.isFinite(value)) {
      s.add(k, value);
    }
    return this;
  }

  /** Circles the best fit, with a label such as "best: k = 3, full". */
  public CriterionChart best(int k, double value, String label) {
    this.bestK = k;
    this.bestValue = value;
    this.bestLabel = label;
    return this;
  }

  /** Number of points on the lines (fits that succeeded). */
  public int pointCount() {
    int n = 0;
    for (XYSeries s : lines.values()) {
      n += s.getItemCount();
    }
    return n;
  }

  /** The finished figure. */
  public Figure figure(String title, String subtitle) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (XYSeries s : lines.values()) {
      data.addSeries(s);
    }
    NumberAxis x = new NumberAxis("number of components k");
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis(criterion + " (lower is better)");
    y.setAutoRangeIncludesZero(false);
    for (NumberAxis a : new NumberAxis[] {x, y}) {
      a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
      a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < lines.size(); i++) {
      r.setSeriesPaint(i, Palette.cluster(i));
      r.setSeriesStroke(i, new BasicStroke(2.2f));
      r.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setOutlinePaint(Color.GRAY);
    if (bestLabel != null) {
      plot.addAnnotation(new XYDrawableAnnotation(bestK, bestValue, 22, 22, (g2, area) -> {
        g2.setPaint(Color.BLACK);
        g2.setStroke(new BasicStroke(2.5f));
        g2.draw(new Ellipse2D.Double(area.getX(), area.getY(), area.getWidth(), area.getHeight()));
      }));
      // The label hangs below the point (the lowest, so nothing is drawn there), on the side
      // with room for it: the best k is often the largest, at the plot's right edge.
      boolean rightHalf = bestK > (data.getDomainLowerBound(false) + data.getDomainUpperBound(false)) / 2;
      XYTextAnnotation t = new XYTextAnnotation(rightHalf ? bestLabel + "   " : "   " + bestLabel, bestK, bestValue);
      t.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
      t.setTextAnchor(rightHalf ? TextAnchor.TOP_RIGHT : TextAnchor.TOP_LEFT);
      t.setBackgroundPaint(new Color(255, 255, 255, 210));
      plot.addAnnotation(t);
    }
    JFreeChart chart = new JFreeChart(title, Figure.TITLE_FONT, plot, true);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    return Figure.of(chart, subtitle);
  }
}
