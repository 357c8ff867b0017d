package io.clmix.plot;

import io.clmix.data.InputException;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;

/**
 * The contour at Mahalanobis distance {@code sigmas} of a 2-D Gaussian: the "1σ" and "2σ"
 * ellipses of mixture pictures. Its axes are the eigenvectors of the 2 x 2 covariance, its
 * semi-axes {@code sigmas * sqrt(eigenvalue)}.
 *
 * @param cx centre, x
 * @param cy centre, y
 * @param major semi-axis along the first eigenvector (the larger eigenvalue)
 * @param minor semi-axis along the second eigenvector
 * @param angle angle of the major axis from the x axis, in radians
 */
public record Ellipse(double cx, double cy, double major, double minor, double angle) {

  /**
   * The {@code sigmas}-ellipse of N(mean, cov).
   *
   * @throws InputException when the covariance is not symmetric positive semi-definite
   */
  public static Ellipse of(double[] mean, double[][] cov, double sigmas) {
    double a = cov[0][0];
    double b = 0.5 * (cov[0][1] + cov[1][0]);
    double c = cov[1][1];
    // Closed form for a symmetric 2 x 2 matrix: exact and free of iteration, unlike a general
    // eigen-solver, and it gives the angle directly.
    double half = 0.5 * (a + c);
    double radius = Math.hypot(0.5 * (a - c), b);
    double l1 = half + radius;
    double l2 = half - radius;
    if (!(l2 >= -1e-12 * Math.max(1, Math.abs(l1))) || !Double.isFinite(l1)) {
      throw new InputException("cannot draw the ellipse of covariance [[" + a + ", " + b + "], [" + b + ", " + c
          + "]]: it is not positive semi-definite");
    }
    double angle = 0.5 * Math.atan2(2 * b, a - c);
    return new Ellipse(mean[0], mean[1], sigmas * Math.sqrt(l1), sigmas * Math.sqrt(Math.max(l2, 0)), angle);
  }

  /** The ellipse as a shape in data coordinates (JFreeChart maps it to the screen). */
  public Shape shape() {
    AffineTransform t = new AffineTransform();
    t.translate(cx, cy);
    t.rotate(angle);
    return t.createTransformedShape(new Ellipse2D.Double(-major, -minor, 2 * major, 2 * minor));
  }

  /** The point of the contour at parameter {@code t} (radians; 0 is the end of the major axis). */
  public double[] point(double t) {
    double u = major * Math.cos(t);
    double v = minor * Math.sin(t);
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    return new double[] {cx + u * cos - v * sin, cy + u * sin + v * cos};
  }

  /** The smallest box holding the ellipse: {xmin, xmax, ymin, ymax}. */
  public double[] bounds() {
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double hx = Math.hypot(major * cos, minor * sin);
    double hy = Math.hypot(major * sin, minor * cos);
    return new double[] {cx - hx, cx + hx, cy - hy, cy + hy};
  }
}
