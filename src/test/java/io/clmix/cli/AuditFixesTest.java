package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import io.clmix.engine.EngineException;
import io.clmix.engine.opencl.OpenCl;
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
 * -k by --n and names -k when its centres fill the heap, and a bench that measured nothing
 * because every device failed ends with status 1. The documented messages themselves are rows of
 * docs/errors.md ({@link ErrorCatalogTest}).
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
    assertEquals("clmix: error: -k: 11 is not allowed; expected an integer from 1 to --n (10): every cluster needs a row",
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
    assertTrue(err.get(0).startsWith("clmix: error: -k 2000000 x --d 2: 0.0560 GB of centres and rows do not fit"
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
        "--repeats", "1", "--quiet", "--json", json.toString());
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
        "--repeats", "1", "--quiet");
    assertEquals(0, r.status(), r.err());
    assertEquals("", r.err());
  }

  private static boolean noOpenClGpu() {
    try {
      return OpenCl.devices().stream().noneMatch(d -> d.isGpu());
    } catch (EngineException | LinkageError e) {
      return true; // no OpenCL at all: gpus is a failed row too
    }
  }
}
