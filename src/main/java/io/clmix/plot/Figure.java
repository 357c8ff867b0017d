package io.clmix.plot;

import io.clmix.data.AtomicOutput;
import io.clmix.data.InputException;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.Range;
import org.jfree.svg.SVGGraphics2D;

/**
 * A finished picture: a JFreeChart with a title, a subtitle and a legend, rendered to PNG or
 * SVG. Scatter figures keep one data unit the same length on both axes, so that round clusters
 * look round and the ellipses have their true shape; side-by-side panels share the y axis.
 *
 * <p>Files are written through {@link AtomicOutput}: a failed render leaves no partial file and
 * an existing file untouched.
 */
public final class Figure {
  /** Title font; the axes and legend use JFreeChart's defaults at readable sizes. */
  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
  static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);

  private final JFreeChart chart;
  private final List<XYPlot> panels;
  private final boolean equalAspect;
  private final int ellipses;
  private ChartRenderingInfo info;

  private Figure(JFreeChart chart, List<XYPlot> panels, boolean equalAspect, int ellipses) {
    this.chart = chart;
    this.panels = panels;
    this.equalAspect = equalAspect;
    this.ellipses = ellipses;
  }

  /**
   * One or more scatter panels side by side, sharing the y axis, with equal scales on both
   * axes; the legend holds the panels' entries, each label once.
   */
  public static Figure scatter(String title, String subtitle, List<ClusterPanel> panels) {
    if (panels.isEmpty()) {
      throw new IllegalArgumentException("a figure needs at least one panel");
    }
    LegendItemCollection legend = new LegendItemCollection();
    List<String> seen = new ArrayList<>();
    for (ClusterPanel p : panels) {
      for (LegendItem item : p.legendItems()) {
        if (!seen.contains(item.getLabel())) {
          seen.add(item.getLabel());
          legend.add(item);
        }
      }
    }
    List<XYPlot> plots = new ArrayList<>();
    Plot root;
    if (panels.size() == 1) {
      XYPlot only = panels.get(0).plot();
      plots.add(only);
      root = only;
    } else {
      NumberAxis shared = (NumberAxis) panels.get(0).plot().getRangeAxis();
      CombinedRangeXYPlot combined = new CombinedRangeXYPlot(shared);
      combined.setGap(18);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (ClusterPanel p : panels) {
        double[] e = p.paddedExtent();
        lo = Math.min(lo, e[2]);
        hi = Math.max(hi, e[3]);
        combined.add(p.plot());
        plots.add(p.plot());
      }
      shared.setRange(lo, hi);
      root = combined;
    }
    JFreeChart chart = new JFreeChart(title, TITLE_FONT, root, false);
    decorate(chart, subtitle);
    LegendTitle lt = new LegendTitle(() -> legend);
    lt.setPosition(RectangleEdge.BOTTOM);
    lt.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    lt.setFrame(new BlockBorder(Color.LIGHT_GRAY));
    lt.setBackgroundPaint(Color.WHITE);
    lt.setMargin(new RectangleInsets(6, 6, 2, 6));
    lt.setItemLabelPadding(new RectangleInsets(2, 4, 2, 12));
    chart.addSubtitle(lt);
    int ellipses = 0;
    for (ClusterPanel p : panels) {
      ellipses += p.ellipseCount();
    }
    return new Figure(chart, plots, true, ellipses);
  }

  /** Any chart (a line chart, a histogram) without the equal-scale rule. */
  public static Figure of(JFreeChart chart, String subtitle) {
    decorate(chart, subtitle);
    List<XYPlot> plots = new ArrayList<>();
    if (chart.getPlot() instanceof XYPlot xy) {
      plots.add(xy);
    }
    return new Figure(chart, plots, false, 0);
  }

  private static void decorate(JFreeChart chart, String subtitle) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 10, 8, 14));
    if (chart.getTitle() != null) {
      chart.getTitle().setFont(TITLE_FONT);
    }
    if (subtitle != null && !subtitle.isEmpty()) {
      TextTitle st = new TextTitle(subtitle, SUBTITLE_FONT);
      st.setPaint(Color.DARK_GRAY);
      st.setHorizontalAlignment(HorizontalAlignment.CENTER);
      st.setPadding(new RectangleInsets(2, 0, 6, 0));
      chart.addSubtitle(0, st);
    }
  }

  /** The chart, to adjust before rendering. */
  public JFreeChart chart() {
    return chart;
  }

  /**
   * The height at which a scatter figure {@code width} pixels wide shows its data with equal
   * scales and no empty bands, kept within [minHeight, maxHeight]. Call before rendering; other
   * figures get the middle of the interval.
   */
  public int naturalHeight(int width, int minHeight, int maxHeight) {
    int h0 = (minHeight + maxHeight) / 2;
    if (!equalAspect) {
      return h0;
    }
    ChartRenderingInfo ri;
    setPointsVisible(false);
    try {
      ri = scratch(width, h0);
    } finally {
      setPointsVisible(true);
    }
    double unitsPerPixel = 0;
    for (int i = 0; i < panels.size(); i++) {
      unitsPerPixel = Math.max(unitsPerPixel,
          panels.get(i).getDomainAxis().getRange().getLength() / Math.max(1, dataArea(ri, i).getWidth()));
    }
    double needed = panels.get(0).getRangeAxis().getRange().getLength() / unitsPerPixel;
    double h = h0 + needed - dataArea(ri, 0).getHeight();
    return (int) Math.max(minHeight, Math.min(maxHeight, Math.round(h)));
  }

  /** The figure as a {@code width x height} RGB image. */
  public BufferedImage toImage(int width, int height) {
    checkSize(width, height);
    layout(width, height);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = img.createGraphics();
    try {
      hints(g2);
      chart.draw(g2, new Rectangle(width, height));
    } finally {
      g2.dispose();
    }
    return img;
  }

  /** The figure as an SVG document of {@code width x height} pixels. */
  public String toSvg(int width, int height) {
    checkSize(width, height);
    layout(width, height);
    SVGGraphics2D g2 = new SVGGraphics2D(width, height);
    // Hundredths of a pixel are plenty; full doubles would triple the size of a file of points.
    g2.setGeomDoubleConverter(Figure::hundredths);
    hints(g2);
    chart.draw(g2, new Rectangle(width, height));
    return g2.getSVGDocument();
  }

  /**
   * Writes the figure to {@code file}: PNG or SVG by the file's extension.
   *
   * @param option the option that named the file, for messages ({@code --out})
   * @throws InputException for another extension, a bad size, or a file that cannot be written
   */
  public void write(Path file, int width, int height, String option) {
    Format format = Format.of(file, option);
    checkSize(width, height);
    if (format == Format.SVG) {
      byte[] svg = toSvg(width, height).getBytes(StandardCharsets.UTF_8);
      AtomicOutput.write(file, os -> os.write(svg));
    } else {
      BufferedImage img = toImage(width, height);
      AtomicOutput.write(file, os -> {
        if (!ImageIO.write(img, "png", os)) {
          throw new IOException("no PNG writer is available");
        }
      });
    }
  }

  /** The picture formats, chosen by file extension. */
  public enum Format {
    PNG, SVG;

    /** The format of {@code file}; an {@link InputException} naming {@code option} otherwise. */
    public static Format of(Path file, String option) {
      String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".png")) {
        return PNG;
      }
      if (name.endsWith(".svg")) {
        return SVG;
      }
      throw new InputException(option + " " + file + ": unknown picture format; expected a file ending in .png or .svg");
    }
  }

  /**
   * Where the data point (x, y) of panel {@code panel} landed in the last rendered image, in
   * pixels (for tests that look for a shape at its expected place).
   */
  public Point2D pixel(int panel, double x, double y) {
    if (info == null) {
      throw new IllegalStateException("render the figure first");
    }
    XYPlot p = panels.get(panel);
    Rectangle2D area = dataArea(info, panel);
    ValueAxis xa = p.getDomainAxis();
    ValueAxis ya = p.getRangeAxis();
    return new Point2D.Double(xa.valueToJava2D(x, area, p.getDomainAxisEdge()),
        ya.valueToJava2D(y, area, p.getRangeAxisEdge()));
  }

  /** Number of ellipses drawn in all panels (components x sigma levels). */
  public int ellipseCount() {
    return ellipses;
  }

  /** The panels (JFreeChart plots) of this figure, left to right. */
  public List<XYPlot> panels() {
    return List.copyOf(panels);
  }

  private Rectangle2D dataArea(ChartRenderingInfo ri, int panel) {
    PlotRenderingInfo pi = ri.getPlotInfo();
    return panels.size() == 1 ? pi.getDataArea() : pi.getSubplotInfo(panel).getDataArea();
  }

  /**
   * Fixes the axis ranges and records where each panel's data area lies, by drawing off-screen
   * (scatter figures without their points, which only cost time here). Equal scales: learn how
   * large each data area is, then widen whichever axis range is too short for its pixels;
   * twice, since new tick labels can shift the areas by a few pixels. The final drawing then
   * needs no rendering info, which spares one entity object per point.
   */
  private void layout(int width, int height) {
    setPointsVisible(false);
    try {
      if (equalAspect) {
        for (int pass = 0; pass < 2; pass++) {
          equalise(scratch(width, height));
        }
      }
      info = scratch(width, height);
    } finally {
      setPointsVisible(true);
    }
  }

  private ChartRenderingInfo scratch(int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g2 = img.createGraphics();
    ChartRenderingInfo ri = new ChartRenderingInfo();
    try {
      chart.draw(g2, new Rectangle(width, height), ri);
    } finally {
      g2.dispose();
    }
    return ri;
  }

  private void equalise(ChartRenderingInfo ri) {
    ValueAxis y = panels.get(0).getRangeAxis();
    double unitsPerPixel = y.getRange().getLength() / Math.max(1, dataArea(ri, 0).getHeight());
    for (int i = 0; i < panels.size(); i++) {
      Rectangle2D area = dataArea(ri, i);
      unitsPerPixel = Math.max(unitsPerPixel,
          panels.get(i).getDomainAxis().getRange().getLength() / Math.max(1, area.getWidth()));
    }
    y.setRange(widened(y.getRange(), unitsPerPixel * dataArea(ri, 0).getHeight()));
    for (int i = 0; i < panels.size(); i++) {
      ValueAxis x = panels.get(i).getDomainAxis();
      x.setRange(widened(x.getRange(), unitsPerPixel * dataArea(ri, i).getWidth()));
    }
  }

  /** Scatter figures hide their points while laying out (the legend is fixed, so nothing moves). */
  private void setPointsVisible(boolean visible) {
    if (!equalAspect) {
      return;
    }
    for (XYPlot p : panels) {
      p.getRenderer().setSeriesVisible(0, visible, false);
    }
  }

  static String hundredths(double v) {
    double r = Math.rint(v * 100) / 100;
    return r == Math.rint(r) && Math.abs(r) < 1e15 ? Long.toString((long) r) : Double.toString(r);
  }

  private static Range widened(Range r, double length) {
    double c = r.getCentralValue();
    double half = Math.max(r.getLength(), length) / 2;
    return new Range(c - half, c + half);
  }

  private static void checkSize(int width, int height) {
    if (width < 200 || height < 150 || width > 20000 || height > 20000) {
      throw new InputException("picture size " + width + " x " + height
          + " is not allowed; expected a width of 200 to 20000 and a height of 150 to 20000 pixels");
    }
  }

  private static void hints(Graphics2D g2) {
    g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g2.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }
}
