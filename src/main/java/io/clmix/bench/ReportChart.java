package io.clmix.bench;

import io.clmix.data.AtomicOutput;
import io.clmix.data.InputException;
import java.awt.Color;
import java.awt.Rectangle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * A bar chart of seconds per iteration per device, as {@code .svg} or {@code .png} by the file's
 * extension. A device that failed keeps its place on the axis, labelled "(failed)" and without a
 * bar, so the chart never reads as though it was not asked for.
 */
public final class ReportChart {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;

  private ReportChart() {}

  /** The chart of {@code report}. */
  public static JFreeChart chart(BenchReport report) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (BenchRow row : report.rows()) {
      if (row.ok()) {
        data.addValue(row.secondsPerIteration(), "seconds per iteration", row.device());
      } else {
        data.addValue(null, "seconds per iteration", row.device() + " (failed)");
      }
    }
    JFreeChart chart = ChartFactory.createBarChart("clmix bench: " + report.spec().describe(), "device",
        "seconds per iteration (median; lower is faster)", data, PlotOrientation.VERTICAL, false, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setBackgroundPaint(Color.WHITE);
    chart.getCategoryPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
    return chart;
  }

  /**
   * Checks that {@code file} names a chart type this class writes, before any work is done.
   *
   * @throws InputException when the extension is neither {@code .svg} nor {@code .png}
   */
  public static void checkType(Path file) {
    if (!knownType(file)) {
      throw InputException.inFile(file, "unknown chart type; expected .svg or .png");
    }
  }

  /**
   * As {@link #checkType(Path)}, for a file given as {@code option} on the command line: the
   * message names the option, as every other option's error does.
   *
   * @throws InputException when the extension is neither {@code .svg} nor {@code .png}
   */
  public static void checkType(String option, Path file) {
    if (!knownType(file)) {
      throw new InputException(option + " " + file + ": unknown chart type; expected a file ending in .svg or .png");
    }
  }

  private static boolean knownType(Path file) {
    String name = name(file);
    return name.endsWith(".svg") || name.endsWith(".png");
  }

  /**
   * Writes the chart, all or nothing.
   *
   * @throws InputException when the extension is neither {@code .svg} nor {@code .png}
   */
  public static void write(Path file, BenchReport report) {
    checkType(file);
    JFreeChart chart = chart(report);
    if (name(file).endsWith(".svg")) {
      SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
      chart.draw(g, new Rectangle(WIDTH, HEIGHT));
      byte[] bytes = g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
      AtomicOutput.write(file, out -> out.write(bytes));
    } else {
      AtomicOutput.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
    }
  }

  private static String name(Path file) {
    return file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
  }
}
