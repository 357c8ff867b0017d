package io.clmix.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The geometry under the pictures: ellipses, principal components, contours. */
class GeometryTest {
  private static final double TOL = 1e-9;

  @Test
  void ellipseOfADiagonalCovarianceHasTheStandardDeviationsAsSemiAxes() {
    Ellipse e = Ellipse.of(new double[] {1, 2}, new double[][] {{4, 0}, {0, 1}}, 2);
    assertEquals(4, e.major(), TOL);
    assertEquals(2, e.minor(), TOL);
    assertEquals(0, e.angle(), TOL);
    assertArrayEquals4(new double[] {-3, 5, 0, 4}, e.bounds());
  }

  @Test
  void everyContourPointOfATiltedEllipseIsAtTheAskedMahalanobisDistance() {
    double[][] cov = {{4, 1.5}, {1.5, 1}};
    double[] mean = {6, 3};
    Ellipse e = Ellipse.of(mean, cov, 2);
    double det = cov[0][0] * cov[1][1] - cov[0][1] * cov[1][0];
    for (int i = 0; i < 16; i++) {
      double[] p = e.point(i * Math.PI / 8);
      double dx = p[0] - mean[0];
      double dy = p[1] - mean[1];
      double q = (cov[1][1] * dx * dx - 2 * cov[0][1] * dx * dy + cov[0][0] * dy * dy) / det;
      assertEquals(4, q, 1e-9, "squared Mahalanobis distance at t = " + i);
    }
    // The major axis of [[4, 1.5], [1.5, 1]] tilts upwards.
    assertTrue(e.angle() > 0 && e.angle() < Math.PI / 4, "angle " + e.angle());
  }

  @Test
  void ellipseRejectsACovarianceThatIsNotPositiveSemiDefinite() {
    assertThrows(InputException.class, () -> Ellipse.of(new double[] {0, 0}, new double[][] {{1, 2}, {2, 1}}, 1));
  }

  @Test
  void principalComponentsFindTheStretchedDirection() {
    SplittableRandom rng = new SplittableRandom(3);
    double[][] rows = new double[5000][4];
    for (double[] r : rows) {
      double t = 10 * gauss(rng);
      r[0] = 5 + t / Math.sqrt(2) + 0.1 * gauss(rng);
      r[1] = -2 + t / Math.sqrt(2) + 0.1 * gauss(rng);
      r[2] = 3 * gauss(rng);
      r[3] = 0.1 * gauss(rng);
    }
    Pca pca = Pca.fit(rows);
    double[] pc1 = pca.component(0);
    assertEquals(1 / Math.sqrt(2), pc1[0], 0.01);
    assertEquals(1 / Math.sqrt(2), pc1[1], 0.01);
    double[] pc2 = pca.component(1);
    assertEquals(1, Math.abs(pc2[2]), 0.01);
    assertEquals(100.0 / 109.03, pca.explainedVarianceRatio(0), 0.02);
    assertTrue(pca.axisLabel(0).startsWith("PC1 (") && pca.axisLabel(0).endsWith("% of variance)"), pca.axisLabel(0));
    // The mean projects to the origin; P^T I P is the 2 x 2 identity.
    double[] o = pca.project(new double[] {5, -2, 0, 0});
    assertEquals(0, o[0], 0.2);
    double[][] id = pca.projectCovariance(new double[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}});
    assertEquals(1, id[0][0], TOL);
    assertEquals(0, id[0][1], TOL);
    assertEquals(1, id[1][1], TOL);
  }

  @Test
  void zeroContourOfACircleLiesOnTheCircle() {
    Path2D path = Contour.zero((x, y) -> x * x + y * y - 1, -2, 2, -2, 2, 100);
    double[] c = new double[6];
    int points = 0;
    for (PathIterator it = path.getPathIterator(null); !it.isDone(); it.next()) {
      it.currentSegment(c);
      assertEquals(1, Math.hypot(c[0], c[1]), 0.01);
      points++;
    }
    assertTrue(points > 100, "points on the contour: " + points);
  }

  @Test
  void mixedColoursLieBetweenTheClusterColours() {
    java.awt.Color half = Palette.mix(new double[] {0.5, 0.5}, 255);
    java.awt.Color a = Palette.cluster(0);
    java.awt.Color b = Palette.cluster(1);
    assertEquals((a.getRed() + b.getRed()) / 2.0, half.getRed(), 1);
    assertEquals(a, Palette.mix(new double[] {1, 0}, 255));
    // Beyond the ten fixed colours the palette keeps producing distinct ones.
    assertTrue(!Palette.cluster(10).equals(Palette.cluster(11)));
  }

  private static void assertArrayEquals4(double[] expected, double[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-9, "index " + i);
    }
  }

  private static double gauss(SplittableRandom rng) {
    return io.clmix.data.Blobs.standardNormal(rng);
  }

  @Test
  void rowsWithoutVarianceClaimNoShareOfIt() {
    double[][] rows = new double[20][];
    java.util.Arrays.fill(rows, new double[] {1, 2, 3});
    Pca pca = Pca.fit(rows);
    assertTrue(!pca.hasVariance());
    assertEquals("PC1", pca.axisLabel(0));
    assertEquals("PC2", pca.axisLabel(1));
  }
}
