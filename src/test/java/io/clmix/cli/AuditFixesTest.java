package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.EngineException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.OpenCl;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.engine.opencl.TuningCache;
import io.clmix.fit.GaussianMixture;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command-line defects an audit found, each pinned: the one error line keeps whatever it quotes
 * (control characters escaped, not cut), enumerated options take any letter case, generate bounds
 * --k by --n and names --k when its centres fill the heap, and a bench that measured nothing
 * because every device failed ends with status 1; and the leftovers of a second audit: --n-init
 * bounded alike in fit and select, --k named alike by every command, tune's device errors that
 * name what the user asked for and its refusal to keep a tuning measured on a toy workload,
 * --reg-covar bounded by float32's range, and a covariance singular to float32 rounding refused.
 * The documented messages themselves are rows of docs/errors.md ({@link ErrorCatalogTest}).
 */
class AuditFixesTest {

  // ------------------------------------------------------------------ select

  @Test
  void selectWritesNothingOnStdoutWhenItsDeviceCannotBeOpened(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("d.csv");
    Files.writeString(file, "1,2\n3,4\n5,6\n7,9\n", StandardCharsets.UTF_8);
    CliRun r = CliRun.of("select", file.toString(), "-k", "1..2", "--device", "opencl:9:9", "--json");
    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out(), "stdout stays empty, so --json output is never spoiled by a header");
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("clmix: error: --device"), r.err());
  }

  // ------------------------------------------------------------------ one line, complete

  @Test
  void aFileNameWithALineBreakStaysOnTheErrorLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c\nd.csv");
    Files.writeString(file, "1,2\nx,4\n", StandardCharsets.UTF_8);
    CliRun r = CliRun.of("fit", file.toString(), "-k", "2", "--device", "java", "--header", "no");
    assertEquals(2, r.status(), r.err());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), "one line: " + r.err());
    assertEquals("clmix: error: " + dir + "/c\\nd.csv, line 2, column 1: value 'x' is not a number", lines.get(0));
  }

  @Test
  void aFileNameWithOtherControlCharactersStaysOnTheErrorLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("a\rb\tc\u0001.csv");
    Files.writeString(file, "1,2\n3,y\n", StandardCharsets.UTF_8);
    CliRun r = CliRun.of("fit", file.toString(), "-k", "2", "--device", "java");
    assertEquals(2, r.status(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertEquals("clmix: error: " + dir + "/a\\rb\\tc\\x01.csv, line 2, column 2: value 'y' is not a number",
        r.err().strip());
  }

  @Test
  void oneLineEscapesEveryControlCharacterAndKeepsTheRest() {
    assertEquals("a\\nb\\rc\\td\\x01e\\x7ff\\x85g\\u2028h", ErrorHandler.oneLine("a\nb\rc\td\u0001e\u007ff\u0085g\u2028h"));
    // Backslashes and the readers' own escapes are left alone (escaping them again would garble them).
    assertEquals("x.npy: not a NumPy .npy file (it does not start with \\x93NUMPY)",
        ErrorHandler.oneLine("x.npy: not a NumPy .npy file (it does not start with \\x93NUMPY)"));
    assertEquals("é ü ✓ 日本", ErrorHandler.oneLine("é ü ✓ 日本"));
  }

  @Test
  void aDevicesBuildLogIsStillCutAndTheRestEscaped() {
    EngineException build = new EngineException(EngineException.Kind.BUILD,
        "clBuildProgram(lloyd) failed: CL_BUILD_PROGRAM_FAILURE\noptions: -DX=1\nbuild log:\nerror: x");
    InputException named = new InputException("--device opencl:0:0 (a\nb) failed: " + build.getMessage(), build);
    assertEquals("--device opencl:0:0 (a\\nb) failed: clBuildProgram(lloyd) failed: CL_BUILD_PROGRAM_FAILURE ...",
        ErrorHandler.message(named));
    assertEquals("clBuildProgram(lloyd) failed: CL_BUILD_PROGRAM_FAILURE ...", ErrorHandler.message(build));
    assertEquals("opencl:0:0 failed: x ...", ErrorHandler.firstLine("opencl:0:0 failed: x\nbuild log:\ny"));
  }

  // ------------------------------------------------------------------ letter case

  @Test
  void algoAndInitMethodsTakeAnyCaseAsCovarianceDoes(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("d.csv");
    Files.writeString(data, "1,2\n1.5,2\n8,9\n8.5,9\n");
    for (String[] options : new String[][] {
        {"--algo", "GMM", "--covariance", "FULL"}, {"--algo", "Gmm", "--init", "K-MEANS++"},
        {"--algo", "KMeans", "--init", "Random"}, {"--algo", "kmeans", "--init", "KMEANS++"},
        {"--algo", "gmm", "--init", "Random_From_Data", "--covariance", "Diag"}}) {
      String[] args = new String[options.length + 9];
      System.arraycopy(new String[] {"fit", data.toString(), "-k", "2", "--device", "java", "--header", "NO", "--json"},
          0, args, 0, 9);
      System.arraycopy(options, 0, args, 9, options.length);
      CliRun r = CliRun.of(args);
      String context = String.join(" ", options);
      assertEquals(0, r.status(), context + ": " + r.err());
      String algo = options[1].toLowerCase(java.util.Locale.ROOT);
      assertTrue(r.lastLine().contains("\"algo\":\"" + algo + "\""), context + ": " + r.lastLine());
    }
    CliRun bad = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--algo", "DBSCAN");
    assertEquals(2, bad.status());
    assertEquals("clmix: error: --algo: 'DBSCAN' is not allowed; expected kmeans or gmm", bad.err().strip());
  }

  @Test
  void aMethodNameWinsOverAFileOfThatNameForBothAlgorithms() {
    // "random" (any case) is the method whether or not a file of that name exists; ./random reads the file.
    assertTrue(FitCommand.isMethod("Random", true));
    assertTrue(FitCommand.isMethod("RANDOM", false));
    assertTrue(FitCommand.isMethod("K-Means++", false));
    assertTrue(FitCommand.isMethod("Random-From-Data", true));
    assertFalse(FitCommand.isMethod("random-from-data", false), "a mixture's method only");
    assertFalse(FitCommand.isMethod("./random", true));
    assertEquals("gmm", FitCommand.algoOption(" GMM "));
  }

  // ------------------------------------------------------------------ generate

  @Test
  void generateRefusesMoreClustersThanRowsNamingK(@TempDir Path dir) {
    Path out = dir.resolve("g.npy");
    CliRun r = CliRun.of("generate", "--n", "10", "--d", "2", "-k", "11", "--out", out.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --k: 11 is not allowed; expected an integer from 1 to --n (10): every cluster needs a row",
        r.err().strip());
    assertFalse(Files.exists(out));
    assertEquals(0, CliRun.of("generate", "--n", "10", "--d", "2", "-k", "10", "--out", out.toString()).status(),
        "-k = --n is allowed");
  }

  @Test
  void generateNamesKWhenItsCentresFillTheHeap(@TempDir Path dir) throws Exception {
    // A small heap of its own: 2M rows of 2 columns (24 MB) beside 2M centres (32 MB) do not fit 64 MiB.
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xmx64m", "-cp", System.getProperty("java.class.path"),
        "io.clmix.cli.Main", "generate", "--n", "2000000", "--d", "2", "-k", "2000000", "--out",
        dir.resolve("g.npy").toString())).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    List<String> err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING")).toList();
    assertEquals(2, p.waitFor(), String.join("\n", err));
    assertEquals(1, err.size(), String.join("\n", err));
    assertTrue(err.get(0).startsWith("clmix: error: --k 2000000 x --d 2: 0.0560 GB of centres and rows do not fit"
        + " this JVM's ") && err.get(0).contains("ask for fewer clusters"), err.get(0));
    assertFalse(Files.exists(dir.resolve("g.npy")));
  }

  // ------------------------------------------------------------------ bench

  @Test
  void benchBoundsItersAndRepeatsBeforeAnythingRuns(@TempDir Path dir) {
    Path data = dir.resolve("data.npy");
    String[][] cases = {
        {"--iters", "2000000000", "--iters: 2000000000 is not allowed; expected an integer from 1 to 100000"},
        {"--iters", "100001", "--iters: 100001 is not allowed; expected an integer from 1 to 100000"},
        {"--repeats", "101", "--repeats: 101 is not allowed; expected an integer from 1 to 100"},
        {"--repeats", "0", "--repeats: 0 is not allowed; expected an integer from 1 to 100"}};
    for (String[] c : cases) {
      CliRun r = CliRun.of("bench", "--n", "100", "--d", "2", "-k", "2", "--devices", "java", c[0], c[1],
          "--save-data", data.toString());
      assertEquals(2, r.status(), c[0] + " " + c[1] + ": " + r.err());
      assertEquals("clmix: error: " + c[2], r.err().strip());
      assertTrue(r.out().isEmpty(), "nothing runs: " + r.out());
      assertFalse(Files.exists(data), "nothing is generated");
    }
  }

  @Test
  void benchEndsWithStatusOneWhenEveryDeviceFailed(@TempDir Path dir) {
    Assumptions.assumeTrue(noOpenClGpu(), "an OpenCL GPU is present: --devices gpus would run");
    Path json = dir.resolve("b.json");
    CliRun r = CliRun.of("bench", "--n", "100", "--d", "2", "-k", "2", "--devices", "gpus", "--iters", "1",
        "--repeats", "1", "--warmup", "0", "--quiet", "--json", json.toString());
    assertEquals(1, r.status(), r.err());
    assertTrue(r.out().contains("failed:"), "the table says why: " + r.out());
    List<String> lines = r.err().lines().toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.get(0).startsWith("clmix: error: the device failed, so nothing was measured (opencl: ")
        && lines.get(0).endsWith("); see the table"), lines.get(0));
    assertFalse(Files.exists(json), "a failed run writes no file");
  }

  @Test
  void benchSucceedsWhenOneDeviceRan() {
    // java runs; an OpenCL device, if any, may fail or not: either way a device measured something.
    CliRun r = CliRun.of("bench", "--n", "100", "--d", "2", "-k", "2", "--devices", "java", "--iters", "1",
        "--repeats", "1", "--warmup", "0", "--quiet");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
  }

  // ------------------------------------------------------------------ second audit

  private static Path goodCsv(Path dir) throws Exception {
    return Files.writeString(dir.resolve("good.csv"), "1,2\n3,4\n5,6\n7,9\n", StandardCharsets.UTF_8);
  }

  private static void oneLineError(CliRun r, String expected, String context) {
    assertEquals(2, r.status(), context + ": " + r.err());
    assertEquals(List.of(expected), r.err().lines().toList(), context);
  }

  @Test
  void nInitHasTheSameRangeInFitAndSelect(@TempDir Path dir) throws Exception {
    Path data = goodCsv(dir);
    for (String n : new String[] {"0", "1001", "2000000000"}) {
      String expected = "clmix: error: --n-init: " + n + " is not allowed; expected an integer from 1 to 1000";
      for (String algo : new String[] {"kmeans", "gmm"}) {
        oneLineError(CliRun.of("fit", data.toString(), "-k", "2", "--algo", algo, "--n-init", n, "--device", "java"),
            expected, "fit --algo " + algo + " --n-init " + n);
      }
      oneLineError(CliRun.of("select", data.toString(), "-k", "1,2", "--n-init", n, "--device", "java"), expected,
          "select --n-init " + n);
    }
    // The bounds themselves are allowed (a thousand restarts are not run here: the options are built).
    assertDoesNotThrow(() -> new EstimatorOptions(1, null, null, null, 0));
    assertDoesNotThrow(() -> new EstimatorOptions(EstimatorOptions.MAX_N_INIT, null, null, null, 0));
    assertEquals(1000, EstimatorOptions.MAX_N_INIT);
  }

  @Test
  void everyCommandNamesKAsItsLongOption(@TempDir Path dir) throws Exception {
    // Every command declares -k and --k; messages name --k, as fit and picocli's own ones do.
    Path data = goodCsv(dir);
    String[][] commands = {
        {"fit", data.toString(), "-k", "0", "--device", "java"},
        {"fit", data.toString(), "--algo", "gmm", "-k", "0", "--device", "java"},
        {"select", data.toString(), "-k", "0", "--device", "java"},
        {"select", data.toString(), "-k", "1..9", "--device", "java"},
        {"tune", "-k", "0", "--quiet"},
        {"generate", "--n", "10", "--d", "2", "-k", "0", "--out", dir.resolve("g.npy").toString()},
        {"generate", "--n", "10", "--d", "2", "-k", "11", "--out", dir.resolve("g.npy").toString()},
        {"bench", "--n", "10", "--d", "2", "-k", "0", "--devices", "java"},
        {"bench", "--n", "10", "--d", "2", "-k", "11", "--devices", "java"}};
    for (String[] c : commands) {
      CliRun r = CliRun.of(c);
      String context = String.join(" ", c);
      assertEquals(2, r.status(), context + ": " + r.err());
      assertEquals(1, r.err().lines().count(), context + ": " + r.err());
      assertTrue(r.err().startsWith("clmix: error: --k: "), context + ": " + r.err());
    }
    assertFalse(Files.exists(dir.resolve("g.npy")));
  }

  @Test
  void tuneNamesTheDeviceAskedForAndSpeaksOfJavaOnlyWhenJavaWasAskedFor() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    // A device index that does not exist: the words and the list every other command gives.
    CliRun missing = CliRun.of("tune", "--device", "opencl:9:9", "--quiet");
    InputException selector = assertThrows(InputException.class,
        () -> io.clmix.engine.EngineSelector.select("opencl:9:9"));
    assertEquals(2, missing.status(), missing.err());
    assertEquals(1, missing.err().lines().count(), missing.err());
    assertTrue(missing.err().startsWith("clmix: error: --device opencl:9:9: no such OpenCL device; available: ")
        && missing.err().contains(device.id()), missing.err());
    assertEquals("clmix: error: " + selector.getMessage(), missing.err().strip(),
        "tune says of a missing device what --device says everywhere");
    assertFalse(missing.err().contains("Java"), missing.err());
    CliRun malformed = CliRun.of("tune", "--device", "opencl:x", "--quiet");
    assertEquals("clmix: error: --device: 'opencl:x' is not allowed; expected opencl:P:D with P and D as clmix"
        + " devices prints them", malformed.err().strip());
    CliRun unknown = CliRun.of("tune", "--device", "gpu", "--quiet");
    assertEquals(2, unknown.status(), unknown.err());
    assertTrue(unknown.err().startsWith("clmix: error: --device: 'gpu' is not allowed; expected all, opencl or one"
        + " of ") && !unknown.err().contains("Java"), unknown.err());
    CliRun java = CliRun.of("tune", "--device", "java:2", "--quiet");
    assertTrue(java.err().strip().endsWith("(the Java engine has no kernels to tune)"), java.err());
  }

  @Test
  void tuneRefusesToKeepATuningMeasuredOnAToyWorkload(@TempDir Path dir) {
    String before = System.getProperty(TuningCache.DIR_PROPERTY);
    System.setProperty(TuningCache.DIR_PROPERTY, dir.toString());
    try {
      for (String scale : new String[] {"1e-9", "0.001", "0.0099"}) {
        CliRun r = CliRun.of("tune", "--scale", scale, "--quiet");
        assertEquals(2, r.status(), scale + ": " + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("clmix: error: --scale: " + Double.parseDouble(scale) + " is not allowed;"
            + " expected a number in [0.01, 100] for a tuning to keep") && r.err().contains("--dry-run"), r.err());
        assertEquals("", r.out(), "nothing measured");
      }
      assertFalse(Files.exists(dir.resolve("tuning")), "no tuning written, no cache folder made");
    } finally {
      if (before == null) {
        System.clearProperty(TuningCache.DIR_PROPERTY);
      } else {
        System.setProperty(TuningCache.DIR_PROPERTY, before);
      }
    }
  }

  @Test
  void regCovarBeyondFloat32IsRefusedUpFrontNotAdvisedToGrow(@TempDir Path dir) throws Exception {
    Path data = goodCsv(dir);
    String expected = "clmix: error: --reg-covar: 1.0E308 is not allowed; expected a number from 0 to 3.4e38";
    // Spherical covariances overflowed to infinity and were told to "increase regCovar".
    oneLineError(CliRun.of("fit", data.toString(), "-k", "2", "--algo", "gmm", "--covariance", "spherical",
        "--reg-covar", "1e308", "--device", "java"), expected, "fit");
    oneLineError(CliRun.of("select", data.toString(), "-k", "1,2", "--reg-covar", "1e308", "--device", "java"),
        expected, "select");
    InputException e = assertThrows(InputException.class, () -> GaussianMixture.k(1).regCovar(1e308));
    assertEquals("regCovar: 1.0E308 is not allowed; expected a number from 0 to 3.4e38", e.getMessage());
    assertDoesNotThrow(() -> GaussianMixture.k(1).regCovar(Float.MAX_VALUE));
    CliRun largest = CliRun.of("fit", data.toString(), "-k", "1", "--algo", "gmm", "--covariance", "spherical",
        "--reg-covar", "3.4e38", "--device", "java");
    assertEquals(0, largest.status(), largest.err());
  }

  @Test
  void aColumnThatIsTheOthersSumToFloat32RoundingStopsTheFitButNotAModel() {
    // Column 3 = column 1 + column 2, but for float32's rounding of the data (about 1e-7 of a
    // unit): a share of its variance near 1e-14, above double's rounding (which the check caught
    // before) and below the fit's limit.
    java.util.Random random = new java.util.Random(7);
    double[][] rows = new double[600][];
    for (int i = 0; i < rows.length; i++) {
      double x = 5 * (i % 3) + random.nextGaussian();
      double y = random.nextGaussian();
      rows[i] = new double[] {x, y, x + y};
    }
    Dataset data = Dataset.of(rows);
    try (JavaEngine engine = JavaEngine.create()) {
      for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED}) {
        InputException e = assertThrows(InputException.class,
            () -> GaussianMixture.k(3).covariance(type).regCovar(0).seed(1).fit(data, engine), type.id());
        assertTrue(e.getMessage().contains("is singular to float32 rounding: column 3 is a linear combination of the"
            + " columns before it but for ") && e.getMessage().endsWith("increase regCovar (--reg-covar), drop a"
            + " redundant column, or choose diag or spherical covariances"), e.getMessage());
        // The default regCovar keeps the column's share far above the limit: the fit runs.
        assertDoesNotThrow(() -> GaussianMixture.k(3).covariance(type).seed(1).fit(data, engine), type.id());
      }
      // Diagonal covariances ignore the collinearity.
      assertDoesNotThrow(() -> GaussianMixture.k(3).covariance(CovarianceType.DIAG).regCovar(0).seed(1)
          .fit(data, engine));
    }
    // A model (scikit-learn's, say) is checked against double precision only: a share of 1e-12 loads.
    double[] cov = {1, 1, 1, 1 + 1e-12};
    assertDoesNotThrow(() -> new GaussianMixtureModel(CovarianceType.FULL, new double[] {1}, new double[][] {{0, 0}},
        cov, true, 1, -1));
  }

  private static boolean noOpenClGpu() {
    try {
      return OpenCl.devices().stream().noneMatch(d -> d.isGpu());
    } catch (EngineException | LinkageError e) {
      return true; // no OpenCL at all: gpus is a failed row too
    }
  }
}
