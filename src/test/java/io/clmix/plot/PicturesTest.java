package io.clmix.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.KMeans;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import java.awt.Color;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pictures, rendered for real and looked at pixel by pixel: the size asked for, the
 * clusters' colours, and ellipses where the geometry says they must be.
 */
class PicturesTest {
  @TempDir
  static Path dir;

  static JavaEngine engine;

  @BeforeAll
  static void engine() {
    engine = new JavaEngine(2);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void ellipsesAreDrawnOnTheirContourInTheirClusterColour() throws Exception {
    double[][] means = {{0, 0}, {6, 3}};
    double[][][] covs = {{{1, 0}, {0, 1}}, {{4, 1.5}, {1.5, 1}}};
    double[][] xy = new double[3000][];
    int[] labels = new int[xy.length];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < xy.length; i++) {
      labels[i] = i % 2;
      double u = Blobs.standardNormal(rng);
      double v = Blobs.standardNormal(rng);
      xy[i] = labels[i] == 0 ? new double[] {u, v} : new double[] {6 + 2 * u, 3 + 0.75 * u + 0.661 * v};
    }
    ClusterPanel panel = new ClusterPanel("x", "y").hardPoints(xy, labels).clusterLegend(2, null)
        .gaussians(means, covs, 1, 2);
    assertEquals(4, panel.ellipseCount());
    Figure fig = Figure.scatter("two clouds", "a test", List.of(panel));
    assertEquals(4, fig.ellipseCount());
    Path png = dir.resolve("ellipses.png");
    fig.write(png, 900, 650, "--out");
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(900, img.getWidth());
    assertEquals(650, img.getHeight());

    for (int c = 0; c < 2; c++) {
      Ellipse oneSigma = Ellipse.of(means[c], covs[c], 1);
      Color dark = Palette.dark(Palette.cluster(c));
      int hits = 0;
      int samples = 36;
      for (int s = 0; s < samples; s++) {
        double[] p = oneSigma.point(2 * Math.PI * s / samples);
        Point2D px = fig.pixel(0, p[0], p[1]);
        if (near(img, px, dark, 2, 40)) {
          hits++;
        }
      }
      assertTrue(hits >= samples * 0.9, "cluster " + c + ": the 1σ ellipse's colour at " + hits + " of "
          + samples + " points of its contour");
      // ... and not at the mean, far inside the contour.
      assertTrue(!near(img, fig.pixel(0, means[c][0], means[c][1] + 0.5 * oneSigma.minor()), dark, 0, 40),
          "cluster " + c + ": no ellipse inside the 1σ contour");
    }
    assertTrue(countLike(img, Palette.cluster(0)) > 500, "blue points drawn");
    assertTrue(countLike(img, Palette.cluster(1)) > 500, "orange points drawn");
  }

  @Test
  void fourDimensionalMixtureIsDrawnOnItsPrincipalComponents() throws Exception {
    Dataset data = Blobs.of(3000, 4, 3, 11).generate();
    GaussianMixtureModel gm = GaussianMixture.k(3).seed(1).fit(data, engine).model();
    Figure fig = ModelPicture.of(gm, data, engine, 2000, 0, "blobs.npy");
    assertEquals(6, fig.ellipseCount(), "1σ and 2σ for each of 3 components");

    Path png = dir.resolve("gmm4.png");
    fig.write(png, 800, 600, "--out");
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getWidth());
    assertEquals(600, img.getHeight());
    for (int c = 0; c < 3; c++) {
      assertTrue(countLike(img, Palette.cluster(c)) > 300, "points of cluster " + c);
    }

    Path svg = dir.resolve("gmm4.svg");
    fig.write(svg, 800, 600, "--out");
    String text = Files.readString(svg);
    assertTrue(text.startsWith("<?xml") || text.startsWith("<svg"), "an SVG document");
    assertTrue(text.contains("PC1 (") && text.contains("% of variance)"), "axis labels name the components");
    for (int c = 0; c < 3; c++) {
      Color dark = Palette.dark(Palette.cluster(c));
      String stroke = "stroke:rgb(" + dark.getRed() + "," + dark.getGreen() + "," + dark.getBlue() + ")";
      assertTrue(count(text, stroke) >= 2, "two ellipses stroked in the colour of component " + c);
    }
  }

  @Test
  void kmeansPictureHasCentresAndNoEllipses() throws Exception {
    Dataset data = Blobs.of(2000, 2, 4, 3).generate();
    KMeansModel km = KMeans.k(4).seed(2).fit(data, engine).model();
    Figure fig = ModelPicture.of(km, data, engine, 1000, 0, "blobs.npy");
    assertEquals(0, fig.ellipseCount());
    BufferedImage img = fig.toImage(700, 700);
    for (int c = 0; c < 4; c++) {
      assertTrue(countLike(img, Palette.cluster(c)) > 100, "points of cluster " + c);
    }
    // Black crosses at the centres.
    for (double[] centre : km.clusterCenters()) {
      assertTrue(near(img, fig.pixel(0, centre[0], centre[1]), Color.BLACK, 2, 60), "a cross at the centre");
    }
  }

  @Test
  void oneDimensionalDataGiveAHistogram() throws Exception {
    Dataset data = Blobs.of(1500, 1, 2, 4).generate();
    GaussianMixtureModel gm = GaussianMixture.k(2).seed(1).fit(data, engine).model();
    Figure fig = ModelPicture.of(gm, data, engine, 1500, 0, "one.npy");
    BufferedImage img = fig.toImage(700, 500);
    assertTrue(countLike(img, Palette.cluster(0)) > 500, "bars of cluster 0");
    assertTrue(countLike(img, Palette.cluster(1)) > 500, "bars of cluster 1");
  }

  @Test
  void criterionChartDrawsOneLinePerType() throws Exception {
    CriterionChart chart = new CriterionChart("BIC");
    String[] types = {"full", "tied", "diag", "spherical"};
    for (int t = 0; t < 4; t++) {
      for (int k = 1; k <= 6; k++) {
        chart.add(types[t], k, 1000 + 100 * (k - 3) * (k - 3) + 30 * t);
      }
    }
    chart.add("full", 7, Double.NaN); // a failed fit leaves a gap, no point
    chart.best(3, 1000, "best: k = 3, full");
    assertEquals(24, chart.pointCount());
    Path png = dir.resolve("bic.png");
    chart.figure("BIC", "test").write(png, 900, 600, "--plot");
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(900, img.getWidth());
    for (int t = 0; t < 4; t++) {
      assertTrue(countExactly(img, Palette.cluster(t)) > 50, "the line of " + types[t]);
    }
  }

  @Test
  void unknownFormatAndAbsurdSizesAreRejectedAndNothingIsWritten() {
    Figure fig = new CriterionChart("BIC").add("full", 1, 1).figure("t", "s");
    Path jpg = dir.resolve("x.jpg");
    assertThrows(InputException.class, () -> fig.write(jpg, 800, 600, "--out"));
    assertTrue(!Files.exists(jpg));
    assertThrows(InputException.class, () -> fig.write(dir.resolve("x.png"), 10, 600, "--out"));
    assertThrows(InputException.class, () -> fig.write(dir.resolve("missing/x.png"), 800, 600, "--out"));
  }

  /** Whether a pixel within {@code radius} of {@code at} is within {@code tolerance} of {@code colour}. */
  static boolean near(BufferedImage img, Point2D at, Color colour, int radius, int tolerance) {
    int x0 = (int) Math.round(at.getX());
    int y0 = (int) Math.round(at.getY());
    for (int x = x0 - radius; x <= x0 + radius; x++) {
      for (int y = y0 - radius; y <= y0 + radius; y++) {
        if (x >= 0 && y >= 0 && x < img.getWidth() && y < img.getHeight()
            && distance(new Color(img.getRGB(x, y)), colour) <= tolerance) {
          return true;
        }
      }
    }
    return false;
  }

  /** Pixels of roughly the hue of {@code colour} and clearly coloured (points drawn translucent). */
  static int countLike(BufferedImage img, Color colour) {
    float[] target = Color.RGBtoHSB(colour.getRed(), colour.getGreen(), colour.getBlue(), null);
    int n = 0;
    float[] hsb = new float[3];
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        Color.RGBtoHSB((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255, hsb);
        float dh = Math.abs(hsb[0] - target[0]);
        dh = Math.min(dh, 1 - dh);
        if (hsb[1] > 0.3f && dh < 0.025f) {
          n++;
        }
      }
    }
    return n;
  }

  static int countExactly(BufferedImage img, Color colour) {
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == (colour.getRGB() & 0xffffff)) {
          n++;
        }
      }
    }
    return n;
  }

  private static double distance(Color a, Color b) {
    int dr = a.getRed() - b.getRed();
    int dg = a.getGreen() - b.getGreen();
    int db = a.getBlue() - b.getBlue();
    return Math.sqrt(dr * dr + dg * dg + db * db);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
