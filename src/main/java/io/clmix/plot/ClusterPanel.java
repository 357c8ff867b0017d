package io.clmix.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.jfree.chart.LegendItem;
import org.jfree.chart.annotations.XYDrawableAnnotation;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * One scatter panel of a clustering picture: points coloured by cluster (or by probability),
 * K-means centres, mixture means with their 1σ and 2σ ellipses, decision boundaries and marked
 * points, in data coordinates. {@link Figure} lays one or two panels out and writes the file.
 *
 * <p>A builder: add layers, then {@link #plot()}. It keeps the extent of what it holds so the
 * figure can choose axis ranges (equal scales on both axes, so circles look round), and counts
 * what it drew so tests can check it.
 */
public final class ClusterPanel {
  /** Alpha of the points: dense regions saturate, sparse ones stay light. */
  static final int POINT_ALPHA = 110;
  /** Diameter of a point in pixels. */
  static final double POINT_SIZE = 4.5;
  private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font PROBE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);

  private final String xLabel;
  private final String yLabel;
  private String caption;
  private double[] px = new double[0];
  private double[] py = new double[0];
  private Color[] colours = new Color[0];
  private final List<Runnable> layers = new ArrayList<>();
  private final List<LegendItem> legend = new ArrayList<>();
  private final double[] extent = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
  private XYPlot plot;
  private int ellipses;
  private int centres;

  /** An empty panel whose axes are labelled {@code xLabel} and {@code yLabel}. */
  public ClusterPanel(String xLabel, String yLabel) {
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** A caption drawn in the panel's top-left corner (the panel's own title). */
  public ClusterPanel caption(String text) {
    this.caption = text;
    return this;
  }

  /** Points (n x 2) coloured by their cluster label. */
  public ClusterPanel hardPoints(double[][] xy, int[] labels) {
    Color[] c = new Color[xy.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = Palette.withAlpha(Palette.cluster(labels[i]), POINT_ALPHA);
    }
    return points(xy, c);
  }

  /** Points (n x 2) coloured by the probability-weighted mix of their clusters' colours. */
  public ClusterPanel softPoints(double[][] xy, double[][] probabilities) {
    Color[] c = new Color[xy.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = Palette.mix(probabilities[i], POINT_ALPHA);
    }
    return points(xy, c);
  }

  /** Points (n x 2), each in its own colour. */
  public ClusterPanel points(double[][] xy, Color[] pointColours) {
    px = new double[xy.length];
    py = new double[xy.length];
    for (int i = 0; i < xy.length; i++) {
      px[i] = xy[i][0];
      py[i] = xy[i][1];
      include(px[i], py[i]);
    }
    colours = pointColours.clone();
    return this;
  }

  /** Legend entries for clusters 0..k-1, named {@code names[c]} (or "cluster c"). */
  public ClusterPanel clusterLegend(int k, String[] names) {
    Shape dot = new Ellipse2D.Double(-5, -5, 10, 10);
    int shown = Math.min(k, 12);
    for (int c = 0; c < shown; c++) {
      String name = names != null && c < names.length ? names[c] : "cluster " + c;
      legend.add(new LegendItem(name, null, null, null, dot, Palette.cluster(c)));
    }
    if (k > shown) {
      legend.add(new LegendItem("… " + (k - shown) + " more clusters", null, null, null, false,
          new Rectangle2D.Double(), false, Color.WHITE, false, Color.WHITE, new BasicStroke(0), false,
          new Line2D.Double(), new BasicStroke(0), Color.WHITE));
    }
    return this;
  }

  /** K-means centres (k x 2) as black crosses. */
  public ClusterPanel centres(double[][] xy) {
    for (double[] c : xy) {
      include(c[0], c[1]);
      layers.add(() -> plot.addAnnotation(new XYDrawableAnnotation(c[0], c[1], 15, 15, Markers.centre())));
      centres++;
    }
    legend.add(symbolItem("K-means centre", Markers.cross(new Rectangle2D.Double(-6, -6, 12, 12)), false, Color.WHITE,
        new BasicStroke(3f)));
    return this;
  }

  /**
   * Mixture components: each mean as a disc in its colour and its ellipses at the given
   * Mahalanobis distances (the first solid, the rest dashed).
   *
   * @param means k x 2
   * @param covariances k 2 x 2 matrices (projected when the data have more dimensions)
   * @param sigmas e.g. {1, 2}
   */
  public ClusterPanel gaussians(double[][] means, double[][][] covariances, double... sigmas) {
    for (int c = 0; c < means.length; c++) {
      Color colour = Palette.dark(Palette.cluster(c));
      for (int s = 0; s < sigmas.length; s++) {
        Ellipse e = Ellipse.of(means[c], covariances[c], sigmas[s]);
        double[] b = e.bounds();
        include(b[0], b[2]);
        include(b[1], b[3]);
        Stroke stroke = s == 0 ? new BasicStroke(2.2f)
            : new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);
        Shape shape = e.shape();
        layers.add(() -> {
          // A white underlay keeps the outline readable on top of the points.
          plot.addAnnotation(new XYShapeAnnotation(shape, new BasicStroke(4.5f), Palette.withAlpha(Color.WHITE, 170)));
          plot.addAnnotation(new XYShapeAnnotation(shape, stroke, colour));
        });
        ellipses++;
      }
    }
    for (int c = 0; c < means.length; c++) {
      double[] m = means[c];
      Color fill = Palette.cluster(c);
      include(m[0], m[1]);
      layers.add(() -> plot.addAnnotation(new XYDrawableAnnotation(m[0], m[1], 12, 12, Markers.mean(fill))));
    }
    legend.add(symbolItem("mixture mean", new Ellipse2D.Double(-6, -6, 12, 12), true, Color.GRAY,
        new BasicStroke(1.5f)));
    if (sigmas.length > 0) {
      StringBuilder name = new StringBuilder();
      for (int s = 0; s < sigmas.length; s++) {
        name.append(s == 0 ? "" : " and ").append(sigmaLabel(sigmas[s]));
      }
      legend.add(lineItem(name + " ellipses", new BasicStroke(2.2f), Color.DARK_GRAY,
          new Ellipse2D.Double(-7, -4, 14, 8)));
    }
    return this;
  }

  /**
   * The curve {@code f = 0} (a decision boundary), computed on a grid over a box around
   * everything the panel holds so far; the plot clips it to the axes.
   */
  public ClusterPanel boundary(DoubleBinaryOperator f, String name, Color colour) {
    double w = extent[1] - extent[0];
    double h = extent[3] - extent[2];
    double r = Math.max(w, h);
    double cx = 0.5 * (extent[0] + extent[1]);
    double cy = 0.5 * (extent[2] + extent[3]);
    Path2D path = Contour.zero(f, cx - r, cx + r, cy - r, cy + r, 240);
    Stroke stroke = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    layers.add(() -> {
      plot.addAnnotation(new XYShapeAnnotation(path, new BasicStroke(4.5f), Palette.withAlpha(Color.WHITE, 170)));
      plot.addAnnotation(new XYShapeAnnotation(path, stroke, colour));
    });
    legend.add(lineItem(name, stroke, colour, new Line2D.Double(-7, 0, 7, 0)));
    return this;
  }

  /** Marked points (m x 2) with one-letter names, as the demo's table refers to them. */
  public ClusterPanel probes(double[][] xy, String[] names, String legendName) {
    for (int i = 0; i < xy.length; i++) {
      double[] p = xy[i];
      String name = names[i];
      include(p[0], p[1]);
      layers.add(() -> {
        plot.addAnnotation(new XYDrawableAnnotation(p[0], p[1], 11, 11, Markers.probe()));
        XYTextAnnotation label = new XYTextAnnotation("  " + name, p[0], p[1]);
        label.setFont(PROBE_FONT);
        label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
        label.setPaint(Color.BLACK);
        plot.addAnnotation(label);
      });
    }
    legend.add(symbolItem(legendName, Markers.diamond(new Rectangle2D.Double(-6, -6, 12, 12)), true, Color.WHITE,
        new BasicStroke(1.5f)));
    return this;
  }

  /** The smallest box holding every point, centre, mean and ellipse: {xmin, xmax, ymin, ymax}. */
  public double[] extent() {
    return extent.clone();
  }

  /** Number of ellipses drawn (components x sigma levels). */
  public int ellipseCount() {
    return ellipses;
  }

  /** Number of K-means centres drawn. */
  public int centreCount() {
    return centres;
  }

  /** Number of points drawn. */
  public int pointCount() {
    return px.length;
  }

  /** The legend entries of this panel's layers. */
  public List<LegendItem> legendItems() {
    return List.copyOf(legend);
  }

  /** The JFreeChart plot, built once. */
  public XYPlot plot() {
    if (plot != null) {
      return plot;
    }
    DefaultXYDataset data = new DefaultXYDataset();
    data.addSeries("points", new double[][] {px, py});
    NumberAxis x = axis(xLabel);
    NumberAxis y = axis(yLabel);
    plot = new XYPlot(data, x, y, new PointRenderer(colours));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    plot.setDomainGridlineStroke(new BasicStroke(0.8f));
    plot.setRangeGridlineStroke(new BasicStroke(0.8f));
    plot.setOutlinePaint(Color.GRAY);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    for (Runnable layer : layers) {
      layer.run();
    }
    if (caption != null) {
      TextTitle t = new TextTitle(caption, CAPTION_FONT);
      t.setBackgroundPaint(Palette.withAlpha(Color.WHITE, 215));
      t.setPadding(new RectangleInsets(3, 6, 3, 6));
      t.setFrame(new BlockBorder(Color.LIGHT_GRAY));
      plot.addAnnotation(new XYTitleAnnotation(0.01, 0.99, t, RectangleAnchor.TOP_LEFT));
    }
    double[] e = paddedExtent();
    x.setRange(e[0], e[1]);
    y.setRange(e[2], e[3]);
    return plot;
  }

  /** The extent with a margin of 4 % on each side (and a unit box when empty or flat). */
  double[] paddedExtent() {
    double[] e = extent.clone();
    if (!(e[0] <= e[1])) {
      return new double[] {-1, 1, -1, 1};
    }
    for (int a = 0; a < 4; a += 2) {
      double w = e[a + 1] - e[a];
      double pad = w > 0 ? 0.04 * w : Math.max(1e-9, Math.abs(e[a]) * 0.1 + 0.5);
      e[a] -= pad;
      e[a + 1] += pad;
    }
    if (caption != null) {
      // Head room, so that the caption in the top-left corner covers no data.
      e[3] += 0.08 * (e[3] - e[2]);
    }
    return e;
  }

  private static NumberAxis axis(String label) {
    NumberAxis a = new NumberAxis(label);
    a.setAutoRangeIncludesZero(false);
    a.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return a;
  }

  /** Widens the extent to hold the box {xmin, xmax, ymin, ymax} (panels that must show the same area). */
  ClusterPanel include(double[] box) {
    include(box[0], box[2]);
    include(box[1], box[3]);
    return this;
  }

  private void include(double x, double y) {
    if (Double.isFinite(x) && Double.isFinite(y)) {
      extent[0] = Math.min(extent[0], x);
      extent[1] = Math.max(extent[1], x);
      extent[2] = Math.min(extent[2], y);
      extent[3] = Math.max(extent[3], y);
    }
  }

  static String sigmaLabel(double s) {
    return (s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)) + "σ";
  }

  private static LegendItem symbolItem(String label, Shape shape, boolean filled, Paint fill, Stroke outline) {
    return new LegendItem(label, null, null, null, true, shape, filled, fill, true, Color.BLACK, outline, false,
        new Line2D.Double(), outline, Color.BLACK);
  }

  private static LegendItem lineItem(String label, Stroke stroke, Paint paint, Shape line) {
    return new LegendItem(label, null, null, null, false, new Rectangle2D.Double(), false, paint, false, paint,
        stroke, true, line, stroke, paint);
  }

  /** The points' renderer: one series, a colour per point, small filled discs, no outlines. */
  private static final class PointRenderer extends XYLineAndShapeRenderer {
    private static final long serialVersionUID = 1L;
    private final Color[] colours;

    PointRenderer(Color[] colours) {
      super(false, true);
      this.colours = colours;
      double r = POINT_SIZE / 2;
      setSeriesShape(0, new Ellipse2D.Double(-r, -r, POINT_SIZE, POINT_SIZE));
      setDrawOutlines(false);
      setDefaultSeriesVisibleInLegend(false);
    }

    @Override
    public Paint getItemPaint(int row, int column) {
      return colours[column];
    }
  }
}
