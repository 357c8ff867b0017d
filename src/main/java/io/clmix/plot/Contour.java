package io.clmix.plot;

import java.awt.geom.Path2D;
import java.util.function.DoubleBinaryOperator;

/**
 * The curve {@code f(x, y) = 0} over a box, by marching squares on a grid with linear
 * interpolation along the cell edges. Pictures use it for decision boundaries: the line where
 * two K-means centres are equally near, the conic where two mixture components are equally
 * likely.
 */
public final class Contour {
  private Contour() {}

  /**
   * The zero contour of {@code f} on [x0, x1] x [y0, y1], sampled on {@code cells x cells}
   * cells, as a path of short segments in data coordinates (empty when f has one sign).
   */
  public static Path2D zero(DoubleBinaryOperator f, double x0, double x1, double y0, double y1, int cells) {
    int n = cells + 1;
    double dx = (x1 - x0) / cells;
    double dy = (y1 - y0) / cells;
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        v[i][j] = f.applyAsDouble(x0 + i * dx, y0 + j * dy);
      }
    }
    Path2D path = new Path2D.Double();
    double[] px = new double[4];
    double[] py = new double[4];
    for (int i = 0; i < cells; i++) {
      for (int j = 0; j < cells; j++) {
        // Corners counter-clockwise: (i,j) (i+1,j) (i+1,j+1) (i,j+1); edges between them.
        double a = v[i][j];
        double b = v[i + 1][j];
        double c = v[i + 1][j + 1];
        double d = v[i][j + 1];
        if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(d))) {
          continue;
        }
        double xa = x0 + i * dx;
        double ya = y0 + j * dy;
        int m = 0;
        if (crosses(a, b)) {
          px[m] = xa + dx * a / (a - b);
          py[m++] = ya;
        }
        if (crosses(b, c)) {
          px[m] = xa + dx;
          py[m++] = ya + dy * b / (b - c);
        }
        if (crosses(c, d)) {
          px[m] = xa + dx * d / (d - c);
          py[m++] = ya + dy;
        }
        if (crosses(d, a)) {
          px[m] = xa;
          py[m++] = ya + dy * a / (a - d);
        }
        if (m == 2) {
          path.moveTo(px[0], py[0]);
          path.lineTo(px[1], py[1]);
        } else if (m == 4) {
          // A saddle: pair the crossings so that the centre's side stays connected.
          boolean centrePositive = (a + b + c + d) / 4 > 0;
          boolean aPositive = a > 0;
          if (centrePositive == aPositive) {
            path.moveTo(px[0], py[0]);
            path.lineTo(px[1], py[1]);
            path.moveTo(px[2], py[2]);
            path.lineTo(px[3], py[3]);
          } else {
            path.moveTo(px[0], py[0]);
            path.lineTo(px[3], py[3]);
            path.moveTo(px[1], py[1]);
            path.lineTo(px[2], py[2]);
          }
        }
      }
    }
    return path;
  }

  private static boolean crosses(double p, double q) {
    return (p > 0) != (q > 0);
  }
}
