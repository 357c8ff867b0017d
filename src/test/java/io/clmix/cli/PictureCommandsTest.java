package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.data.Blobs;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import io.clmix.data.Precision;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** demo, plot and select end to end, in-process, on the Java engine. */
class PictureCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Path blobs3;
  static Path blobs4d;

  @BeforeAll
  static void data() {
    // Three well-separated blobs in 2-D, and four in 4-D.
    blobs3 = dir.resolve("blobs3.npy");
    DataFiles.write(blobs3, new Blobs(1500, 2, 3, 5, 1.0, 20.0).generate(), Precision.FLOAT32);
    blobs4d = dir.resolve("blobs4d.npy");
    DataFiles.write(blobs4d, Blobs.of(2000, 4, 4, 9).generate(), Precision.FLOAT32);
  }

  @Test
  void demoTellsTheStoryAndDrawsBothModels() throws Exception {
    Path png = dir.resolve("demo.png");
    Path svg = dir.resolve("demo.svg");
    CliRun r = CliRun.of("demo", "--n", "4000", "--device", "java", "--out", png.toString(), "--svg", svg.toString());
    assertEquals(0, r.status(), r.err());
    String out = r.out();
    for (String expected : new String[] {"device: java", "K-means, k = 2", "Gaussian mixture, k = 2",
        "covariance [[", "P(cluster 0)", "no maybe", "picture: "}) {
      assertTrue(out.contains(expected), "output has '" + expected + "':\n" + out);
    }
    // Seven table rows A..G, each with a hard label and two probabilities summing to 1.
    java.util.Map<String, String[]> rows = new java.util.TreeMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 6 && f[0].matches("[A-G]")) {
        assertTrue(f[3].equals("0") || f[3].equals("1"), line);
        assertEquals(1.0, Double.parseDouble(f[4]) + Double.parseDouble(f[5]), 0.0015, line);
        rows.put(f[0], f);
      }
    }
    assertEquals(7, rows.size(), out);
    // Near the round cloud both models say cluster 0, near the stretched one cluster 1.
    assertEquals("0", rows.get("A")[3]);
    assertTrue(Double.parseDouble(rows.get("A")[4]) > 0.5, out);
    assertEquals("1", rows.get("G")[3]);
    assertTrue(Double.parseDouble(rows.get("G")[5]) > 0.5, out);

    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(DemoCommand.WIDTH, img.getWidth());
    assertTrue(img.getHeight() >= DemoCommand.MIN_HEIGHT && img.getHeight() <= DemoCommand.MAX_HEIGHT);
    assertTrue(distinctColours(img) > 200, "a picture, not a blank page");
    String text = Files.readString(svg);
    assertTrue(text.contains("K-means: each point in exactly one cell"), "left caption");
    assertTrue(text.contains("1σ and 2σ ellipses"), "legend names the ellipses");
  }

  @Test
  void demoRejectsAnUnknownPictureFormat() {
    CliRun r = CliRun.of("demo", "--n", "100", "--device", "java", "--out", dir.resolve("demo.jpg").toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("clmix: error: --out"), r.err());
  }

  @Test
  void plotDrawsASavedModelOfFourDimensionalData() throws Exception {
    Path model = dir.resolve("gmm4.json");
    CliRun fit = CliRun.of("fit", blobs4d.toString(), "--algo", "gmm", "-k", "4", "--device", "java", "--model-out",
        model.toString());
    assertEquals(0, fit.status(), fit.err());
    Path png = dir.resolve("plot4.png");
    CliRun r = CliRun.of("plot", model.toString(), blobs4d.toString(), "--out", png.toString(), "--width", "800",
        "--height", "600", "--device", "java");
    assertEquals(0, r.status(), r.err());
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getWidth());
    assertEquals(600, img.getHeight());
    assertTrue(distinctColours(img) > 200);
  }

  @Test
  void plotFailsCleanlyAndLeavesAnExistingFileAlone() throws Exception {
    Path model = dir.resolve("km2.json");
    assertEquals(0, CliRun.of("fit", blobs3.toString(), "-k", "3", "--device", "java", "--model-out",
        model.toString()).status());
    Path out = dir.resolve("keep.png");
    Files.writeString(out, "old");
    // The model has 2 features, the data 4.
    CliRun r = CliRun.of("plot", model.toString(), blobs4d.toString(), "--out", out.toString(), "--device", "java");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("clmix: error:") && r.err().contains("columns"), r.err());
    assertEquals("old", Files.readString(out));

    CliRun bad = CliRun.of("plot", model.toString(), blobs3.toString(), "--out", dir.resolve("p.gif").toString());
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains(".png or .svg"), bad.err());
    CliRun missing = CliRun.of("plot", dir.resolve("nope.json").toString(), blobs3.toString(), "--out",
        dir.resolve("p.png").toString());
    assertEquals(2, missing.status());
    assertFalse(Files.exists(dir.resolve("p.png")));
  }

  @Test
  void selectPicksThreeComponentsForThreeBlobs() throws Exception {
    Path plot = dir.resolve("select.png");
    Path best = dir.resolve("best.json");
    CliRun r = CliRun.of("select", blobs3.toString(), "-k", "1..5", "--covariance", "full,diag", "--device", "java",
        "--plot", plot.toString(), "--model-out", best.toString(), "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = JSON.readTree(r.lastLine());
    assertEquals(3, j.get("best").get("k").asInt(), r.out());
    assertEquals(10, j.get("fits").size());
    for (JsonNode fit : j.get("fits")) {
      for (String f : new String[] {"k", "covarianceType", "bic", "aic", "meanLogLikelihood", "converged",
          "iterations", "seconds"}) {
        assertTrue(fit.has(f), "fit has " + f + ": " + fit);
      }
    }
    assertEquals(3, j.get("bestPerType").get("diag").get("k").asInt());
    assertTrue(r.out().contains("<- best"), r.out());
    BufferedImage img = ImageIO.read(plot.toFile());
    assertEquals(SelectCommand.WIDTH, img.getWidth());
    assertEquals(SelectCommand.HEIGHT, img.getHeight());
    assertEquals(3, io.clmix.model.ModelJson.read(best).k());
  }

  @Test
  void selectReportsAFailingCombinationInItsRowAndGoesOn() throws Exception {
    // The second column is constant: full covariances are singular without regularisation,
    // spherical ones (one variance per component) are not.
    Path flat = flatData();
    CliRun r = CliRun.of("select", flat.toString(), "-k", "1,2", "--covariance", "full,spherical", "--reg-covar", "0",
        "--device", "java", "--json");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("failed: "), r.out());
    JsonNode j = JSON.readTree(r.lastLine());
    int failed = 0;
    for (JsonNode fit : j.get("fits")) {
      if (!fit.get("failed").isNull()) {
        failed++;
        assertEquals("full", fit.get("covarianceType").asText());
        assertTrue(fit.get("bic").isNull());
      }
    }
    assertEquals(2, failed, r.out());
    assertEquals("spherical", j.get("best").get("covarianceType").asText());
  }

  @Test
  void selectWhereEveryFitFailsStillEndsStdoutWithTheJson() throws Exception {
    Path flat = flatData();
    Path best = dir.resolve("never.json");
    CliRun r = CliRun.of("select", flat.toString(), "-k", "1,2", "--covariance", "full", "--reg-covar", "0",
        "--device", "java", "--model-out", best.toString(), "--json");
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: " + flat + ": none of the 2 fits succeeded; see the table for why\n", r.err());
    // The table, then the JSON as the last line: the failures, where a script looks for them.
    JsonNode j = JSON.readTree(r.lastLine());
    assertTrue(j.get("best").isNull(), r.lastLine());
    assertEquals(0, j.get("bestPerType").size(), r.lastLine());
    assertEquals(2, j.get("fits").size());
    for (JsonNode fit : j.get("fits")) {
      assertTrue(fit.get("failed").asText().contains("not positive definite"), fit.toString());
    }
    assertFalse(Files.exists(best), "a failed run writes no model");
    // Without --json the table is all there is.
    CliRun text = CliRun.of("select", flat.toString(), "-k", "1,2", "--covariance", "full", "--reg-covar", "0",
        "--device", "java");
    assertEquals(2, text.status(), text.err());
    assertFalse(text.out().contains("{"), text.out());
    // One fit: no "none of the 1 fits".
    CliRun one = CliRun.of("select", flat.toString(), "-k", "2", "--covariance", "full", "--reg-covar", "0",
        "--device", "java");
    assertEquals(2, one.status(), one.err());
    assertEquals("clmix: error: " + flat + ": the one fit failed; see the table for why\n", one.err());
  }

  @Test
  void fitWithJsonPrintsNothingWhenTheFitFails() throws Exception {
    CliRun r = CliRun.of("fit", flatData().toString(), "-k", "2", "--algo", "gmm", "--reg-covar", "0",
        "--device", "java", "--json");
    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out(), "no partial text on stdout");
    assertEquals(1, r.err().lines().count(), r.err());
  }

  /** 400 rows of two blobs in the first column and a constant second one: full covariances are singular. */
  private static Path flatData() {
    DatasetBuilder b = Dataset.builder(2);
    java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
    for (int i = 0; i < 400; i++) {
      b.addRow(new double[] {Blobs.standardNormal(rng) + (i % 2) * 8, 1.0});
    }
    Path flat = dir.resolve("flat.npy");
    DataFiles.write(flat, b.build(), Precision.FLOAT32);
    return flat;
  }

  @Test
  void badRangesOfKExitWithStatusTwo() {
    for (String k : new String[] {"5..2", "0..3", "abc", "1..", "1,,2", "1..100000"}) {
      CliRun r = CliRun.of("select", blobs3.toString(), "-k", k, "--device", "java");
      assertEquals(2, r.status(), "-k " + k + ": " + r.err());
      assertTrue(r.err().startsWith("clmix: error: --k"), "-k " + k + ": " + r.err());
      assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
    }
    CliRun t = CliRun.of("select", blobs3.toString(), "--covariance", "full,round", "--device", "java");
    assertEquals(2, t.status());
    assertTrue(t.err().contains("'round'"), t.err());
  }

  @Test
  void progressNeverChangesTheJsonLine() throws Exception {
    CliRun a = CliRun.of("fit", blobs3.toString(), "-k", "3", "--seed", "1", "--device", "java", "--json");
    CliRun b = CliRun.of("fit", blobs3.toString(), "-k", "3", "--seed", "1", "--device", "java", "--json", "--quiet");
    assertEquals(0, a.status(), a.err());
    assertEquals(0, b.status(), b.err());
    JsonNode ja = JSON.readTree(a.lastLine());
    JsonNode jb = JSON.readTree(b.lastLine());
    Set<String> fa = new HashSet<>();
    ja.fieldNames().forEachRemaining(fa::add);
    Set<String> fb = new HashSet<>();
    jb.fieldNames().forEachRemaining(fb::add);
    assertEquals(fa, fb);
    assertEquals(ja.get("inertia"), jb.get("inertia"));
    // No terminal here: nothing but the JSON-free results on stderr.
    assertEquals("", a.err());
  }

  static int distinctColours(BufferedImage img) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        colours.add(img.getRGB(x, y) & 0xffffff);
      }
    }
    return colours.size();
  }
}
