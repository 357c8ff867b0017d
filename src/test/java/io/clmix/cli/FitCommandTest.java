package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.data.DataFiles;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.fit.Numerics;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fit, predict, score and generate commands end to end, in-process, on the Java engine. */
class FitCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static Path data;

  @BeforeAll
  static void generate() {
    data = dir.resolve("blobs.npy");
    CliRun r = CliRun.of("generate", "--n", "3000", "--d", "3", "-k", "4", "--seed", "7", "--out", data.toString());
    assertEquals(0, r.status(), r.err());
  }

  @Test
  void kmeansWarnsWhenTheDataHoldFewerDistinctPointsThanK() throws IOException {
    Path three = dir.resolve("three-points.csv");
    Files.writeString(three, "1,2\n1,2\n5,6\n5,6\n9,9\n");
    CliRun r = CliRun.of("fit", three.toString(), "-k", "4", "--seed", "1", "--device", "java");
    assertEquals(0, r.status(), r.err());
    assertEquals("clmix: warning: only 3 distinct centres for k = 4: fewer distinct points than k carry the fit"
        + " (duplicate rows, or rows of weight 0)", r.err().strip());
    CliRun enough = CliRun.of("fit", three.toString(), "-k", "3", "--seed", "1", "--device", "java");
    assertEquals(0, enough.status(), enough.err());
    assertEquals("", enough.err().strip(), "three distinct points make three clusters");
  }

  @Test
  void theReportCountsOneIterationAndOneRunInTheSingular() {
    for (String algo : new String[] {"kmeans", "gmm"}) {
      CliRun one = CliRun.of("fit", data.toString(), "--algo", algo, "-k", "4", "--n-init", "1", "--max-iter", "1",
          "--device", "java");
      assertEquals(0, one.status(), one.err());
      assertTrue(one.out().contains("stopped at --max-iter after 1 iteration (best of 1 run), "), one.out());
      CliRun two = CliRun.of("fit", data.toString(), "--algo", algo, "-k", "4", "--n-init", "2", "--max-iter", "2",
          "--device", "java");
      assertEquals(0, two.status(), two.err());
      assertTrue(two.out().contains(" after 2 iterations (best of 2 runs), "), two.out());
    }
  }

  @Test
  void kmeansFitPrintsTheJsonLineWithEveryPromisedField() throws IOException {
    Path model = dir.resolve("km.json");
    Path labels = dir.resolve("km-labels.txt");
    CliRun r = CliRun.of("fit", data.toString(), "--algo", "kmeans", "-k", "4", "--n-init", "2", "--seed", "3",
        "--device", "java", "--model-out", model.toString(), "--labels-out", labels.toString(), "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = JSON.readTree(r.lastLine());
    for (String field : List.of("algo", "k", "n", "d", "device", "fallback", "iterations", "converged", "inertia",
        "seconds", "secondsPerIteration")) {
      assertTrue(j.has(field), "JSON has " + field + ": " + j);
    }
    assertEquals("kmeans", j.get("algo").asText());
    assertEquals(3000, j.get("n").asLong());
    assertEquals("java", j.get("device").asText());
    assertTrue(j.get("fallback").isNull());
    assertTrue(j.get("inertia").asDouble() > 0);

    KMeansModel m = (KMeansModel) ModelJson.read(model);
    assertEquals(j.get("inertia").asDouble(), m.inertia(), 0.0);
    List<String> lines = Files.readAllLines(labels);
    assertEquals(3000, lines.size());

    Path predicted = dir.resolve("predicted.txt");
    CliRun p = CliRun.of("predict", model.toString(), data.toString(), "--device", "java", "--out", predicted.toString());
    assertEquals(0, p.status(), p.err());
    assertEquals(lines, Files.readAllLines(predicted), "predict gives the fit's labels");

    CliRun s = CliRun.of("score", model.toString(), data.toString(), "--device", "java", "--json");
    assertEquals(0, s.status(), s.err());
    assertEquals(m.inertia(), JSON.readTree(s.lastLine()).get("inertia").asDouble(), 1e-9 * m.inertia());
  }

  @Test
  void gmmFitReportsLowerBoundBicAndAicAndPredictsProbabilities() throws IOException {
    Path model = dir.resolve("gm.json");
    CliRun r = CliRun.of("fit", data.toString(), "--algo", "gmm", "-k", "4", "--covariance", "diag", "--device", "java",
        "--model-out", model.toString(), "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = JSON.readTree(r.lastLine());
    for (String field : List.of("lowerBound", "bic", "aic", "covarianceType", "iterations", "converged")) {
      assertTrue(j.has(field), "JSON has " + field + ": " + j);
    }
    assertFalse(j.has("inertia"));
    GaussianMixtureModel m = (GaussianMixtureModel) ModelJson.read(model);
    assertEquals("diag", m.covarianceType().id());

    CliRun s = CliRun.of("score", model.toString(), data.toString(), "--device", "java", "--json");
    JsonNode sj = JSON.readTree(s.lastLine());
    assertEquals(j.get("bic").asDouble(), sj.get("bic").asDouble(), 1e-6 * Math.abs(j.get("bic").asDouble()));

    Path proba = dir.resolve("proba.csv");
    CliRun p = CliRun.of("predict", model.toString(), data.toString(), "--proba", "--device", "java",
        "--out", proba.toString());
    assertEquals(0, p.status(), p.err());
    List<String> rows = Files.readAllLines(proba);
    assertEquals(3000, rows.size());
    for (String row : rows.subList(0, 20)) {
      double sum = 0;
      String[] cells = row.split(",");
      assertEquals(4, cells.length);
      for (String c : cells) {
        sum += Double.parseDouble(c);
      }
      assertEquals(1.0, sum, 1e-5, "probabilities sum to one");
    }
  }

  @Test
  void textProbabilitiesTakeTheSeparatorTheirFileNameAsks() throws IOException {
    // As every text table clmix writes (generate --out x.tsv): tabs for .tsv, a space for
    // .txt, commas otherwise; so each file reads back as the same 3000 x 4 table.
    Path model = dir.resolve("gm-sep.json");
    CliRun r = CliRun.of("fit", data.toString(), "--algo", "gmm", "-k", "4", "--covariance", "diag", "--device",
        "java", "--model-out", model.toString());
    assertEquals(0, r.status(), r.err());
    double[][] fromCsv = null;
    for (String name : List.of("p.csv", "p.tsv", "p.txt")) {
      Path file = dir.resolve(name);
      CliRun p = CliRun.of("predict", model.toString(), data.toString(), "--proba", "--device", "java", "--out",
          file.toString());
      assertEquals(0, p.status(), p.err());
      String first = Files.readAllLines(file).get(0);
      char sep = name.endsWith(".tsv") ? '\t' : name.endsWith(".txt") ? ' ' : ',';
      assertEquals(3, first.chars().filter(c -> c == sep).count(), name + ": " + first);
      assertEquals(3, first.chars().filter(c -> c == ',' || c == '\t' || c == ' ').count(), "one kind: " + first);
      io.clmix.data.Dataset read = DataFiles.read(file);
      assertEquals(3000, read.rows(), name);
      assertEquals(4, read.cols(), name);
      if (fromCsv == null) {
        fromCsv = new double[][] {read.row(0), read.row(2999)};
      } else {
        assertArrayEquals(fromCsv[0], read.row(0), 0.0, name + " reads back as the .csv does");
        assertArrayEquals(fromCsv[1], read.row(2999), 0.0, name + " reads back as the .csv does");
      }
    }
  }

  @Test
  void initialCentresFromAFileGiveAFixedStart() throws IOException {
    Path init = dir.resolve("init.csv");
    Files.writeString(init, "0,0,0\n5,5,5\n-5,-5,-5\n10,0,-10\n");
    CliRun a = CliRun.of("fit", data.toString(), "-k", "4", "--init", init.toString(), "--device", "java", "--json");
    CliRun b = CliRun.of("fit", data.toString(), "-k", "4", "--init", init.toString(), "--device", "java", "--json",
        "--seed", "99");
    assertEquals(0, a.status(), a.err());
    assertEquals(JSON.readTree(a.lastLine()).get("inertia").asDouble(), JSON.readTree(b.lastLine()).get("inertia").asDouble(),
        0.0, "a fixed start does not depend on the seed");
  }

  @Test
  void anInitFileOfAnotherTypeNamesTheOption() throws IOException {
    // A model is no start: the reader's "unknown file type" named the file but not --init.
    Path model = dir.resolve("start-model.json");
    Files.writeString(model, "{}");
    for (String algo : new String[] {"kmeans", "gmm"}) {
      CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--algo", algo, "--init", model.toString(), "--device", "java");
      assertEquals(2, r.status(), r.err());
      assertEquals("clmix: error: --init " + model + ": unknown file type; expected .npy, .csv, .tsv or .txt\n", r.err());
    }
  }

  @Test
  void generateIsDeterministic() throws IOException {
    Path a = dir.resolve("a.npy");
    Path b = dir.resolve("b.npy");
    assertEquals(0, CliRun.of("generate", "--n", "500", "--d", "2", "-k", "3", "--seed", "5", "--out", a.toString()).status());
    assertEquals(0, CliRun.of("generate", "--n", "500", "--d", "2", "-k", "3", "--seed", "5", "--out", b.toString()).status());
    assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    assertEquals(500, DataFiles.read(a).rows());
  }

  @Test
  void generateAtItsLargestStdMakesDataThatFitAccepts() {
    generateAtTheLimitAndFit("java");
  }

  @Test
  void generateAtItsLargestStdMakesDataThatFitAcceptsOnOpenCl() {
    // The device sums squared distances in float32 within a work-group, so the limit must hold
    // for their sum over the rows, not just for one row's.
    generateAtTheLimitAndFit(OpenClTestSupport.requireDevice().id());
  }

  private void generateAtTheLimitAndFit(String device) {
    int n = 3000;
    for (int d : new int[] {1, 8}) {
      // The largest --std generate takes; a little more is refused, naming the limit.
      double max = Numerics.maxSpread(d, n) / 4;
      Path wide = dir.resolve("wide" + d + ".npy");
      CliRun g = CliRun.of("generate", "--n", String.valueOf(n), "--d", String.valueOf(d), "-k", "2", "--seed", "5",
          "--std", String.valueOf(max), "--out", wide.toString());
      assertEquals(0, g.status(), g.err());
      for (String algo : new String[] {"kmeans", "gmm"}) {
        CliRun f = CliRun.of("fit", wide.toString(), "-k", "2", "--algo", algo, "--device", device);
        assertEquals(0, f.status(), "d = " + d + ", " + algo + " on " + device + ": " + f.err());
      }
      CliRun tooWide = CliRun.of("generate", "--n", String.valueOf(n), "--d", String.valueOf(d), "-k", "2",
          "--std", String.valueOf(max * 1.01), "--out", dir.resolve("too-wide.npy").toString());
      assertEquals(2, tooWide.status());
      assertTrue(tooWide.err().startsWith("clmix: error: --std: "), tooWide.err());
      assertFalse(Files.exists(dir.resolve("too-wide.npy")));
    }
  }

  @Test
  void devicesListsTheJavaEngineAndWhatAutoPicks() throws IOException {
    CliRun r = CliRun.of("devices", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = JSON.readTree(r.lastLine());
    assertTrue(j.has("auto"));
    boolean java = false;
    for (JsonNode d : j.get("devices")) {
      java |= d.get("id").asText().equals("java");
    }
    assertTrue(java, "the Java engine is listed");
  }

  @Test
  void aBadParameterIsExitTwoWithOneLine() {
    CliRun r = CliRun.of("fit", data.toString(), "-k", "0", "--device", "java");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("clmix: error: "), r.err());
    assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
    assertTrue(r.err().contains("k") && r.err().contains("0"), r.err());
  }

  @Test
  void aNamedDeviceThatDoesNotExistIsExitTwoNamingIt() {
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "opencl:9:9");
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("clmix: error: --device opencl:9:9"), r.err());
  }
}
