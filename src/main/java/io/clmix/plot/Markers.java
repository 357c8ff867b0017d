package io.clmix.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.ui.Drawable;

/**
 * Symbols drawn at a fixed size in pixels wherever the axes put them: centres, means and
 * marked points. Each has a white halo so that it stays visible on top of dense points.
 */
final class Markers {
  private Markers() {}

  /** K-means centre: a bold black X. */
  static Drawable centre() {
    return (g2, area) -> haloed(g2, cross(area), Color.BLACK, 3.5f);
  }

  static Path2D cross(Rectangle2D area) {
    Path2D x = new Path2D.Double();
    x.moveTo(area.getMinX(), area.getMinY());
    x.lineTo(area.getMaxX(), area.getMaxY());
    x.moveTo(area.getMinX(), area.getMaxY());
    x.lineTo(area.getMaxX(), area.getMinY());
    return x;
  }

  /** Mixture mean: a disc in the component's colour with a black rim. */
  static Drawable mean(Color fill) {
    return (g2, area) -> {
      Shape disc = new Ellipse2D.Double(area.getX(), area.getY(), area.getWidth(), area.getHeight());
      g2.setPaint(Color.WHITE);
      g2.setStroke(new BasicStroke(5f));
      g2.draw(disc);
      g2.setPaint(fill);
      g2.fill(disc);
      g2.setPaint(Color.BLACK);
      g2.setStroke(new BasicStroke(1.6f));
      g2.draw(disc);
    };
  }

  /** A marked point (the demo's probes): a white diamond with a black rim. */
  static Drawable probe() {
    return (g2, area) -> {
      Path2D d = diamond(area);
      g2.setPaint(Color.WHITE);
      g2.fill(d);
      g2.setPaint(Color.BLACK);
      g2.setStroke(new BasicStroke(1.5f));
      g2.draw(d);
    };
  }

  static Path2D diamond(Rectangle2D area) {
    Path2D d = new Path2D.Double();
    d.moveTo(area.getCenterX(), area.getMinY());
    d.lineTo(area.getMaxX(), area.getCenterY());
    d.lineTo(area.getCenterX(), area.getMaxY());
    d.lineTo(area.getMinX(), area.getCenterY());
    d.closePath();
    return d;
  }

  private static void haloed(Graphics2D g2, Shape s, Color c, float width) {
    g2.setPaint(Color.WHITE);
    g2.setStroke(new BasicStroke(width + 3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g2.draw(s);
    g2.setPaint(c);
    g2.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g2.draw(s);
  }
}
