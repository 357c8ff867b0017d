package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.data.DataFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clmix bench} end to end on the Java engine: the files it writes and its table; never a time. */
class BenchCommandTest {
  @Test
  void writesTheTableTheFilesAndTheExportedWorkload(@TempDir Path dir) throws Exception {
    System.setProperty("java.awt.headless", "true");
    CliRun r = CliRun.of("bench", "--algo", "gmm", "--covariance", "diag", "--n", "600", "--d", "3", "-k", "2",
        "--iters", "2", "--repeats", "1", "--warmup", "0.05", "--devices", "java", "--quiet",
        "--json", dir.resolve("b.json").toString(), "--csv", dir.resolve("b.csv").toString(),
        "--plot", dir.resolve("b.svg").toString(), "--save-data", dir.resolve("b.npy").toString(),
        "--save-start", dir.resolve("b.start.json").toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("clmix bench: gmm (diag) n=600 d=3 k=2, 2 iterations; median over 1 repeat after a "
        + "warm-up of 0.05 s"), r.out());

    JsonNode json = new ObjectMapper().readTree(dir.resolve("b.json").toFile());
    assertEquals(1, json.get("rows").size());
    assertEquals(0.05, json.get("spec").get("warmupSeconds").asDouble());
    assertEquals("ok", json.get("rows").get(0).get("status").asText());
    assertEquals(2, Files.readAllLines(dir.resolve("b.csv")).size());
    assertTrue(Files.readString(dir.resolve("b.svg")).contains("<svg"));
    assertEquals(600, DataFiles.read(dir.resolve("b.npy")).rows());
    JsonNode start = new ObjectMapper().readTree(dir.resolve("b.start.json").toFile());
    assertEquals(2, start.get("means").size());
  }

  @Test
  void badOptionsAreInputErrors() {
    CliRun algo = CliRun.of("bench", "--algo", "dbscan", "--n", "10", "--d", "2", "-k", "2");
    assertEquals(2, algo.status());
    assertTrue(algo.err().contains("--algo: 'dbscan' is not allowed"), algo.err());
    assertEquals(2, CliRun.of("bench", "--n", "10", "--d", "2", "-k", "2", "--peak-gbs", "lots").status());
    CliRun plot = CliRun.of("bench", "--n", "10", "--d", "2", "-k", "2", "--plot", "chart.gif");
    assertEquals(2, plot.status());
    assertEquals("clmix: error: --plot chart.gif: unknown chart type; expected a file ending in .svg or .png",
        plot.err().strip(), "the message names the option");
    assertTrue(plot.out().isEmpty(), "no benchmark runs before the options are checked");
  }

  @Test
  void savedDataOfAnUnknownTypeIsRefusedByItsOptionBeforeAnythingRuns(@TempDir Path dir) {
    Path data = dir.resolve("w.json");
    CliRun r = CliRun.of("bench", "--n", "1000", "--d", "2", "-k", "3", "--iters", "1", "--repeats", "1",
        "--devices", "java", "--save-data", data.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --save-data " + data + ": unknown file type; expected .npy, .csv, .tsv or .txt",
        r.err().strip(), "the message names the option, as --plot's does");
    assertTrue(r.out().isEmpty(), "nothing runs: " + r.out());
    assertFalse(Files.exists(data));
  }

  @Test
  void dataBeyondTheHeapAreRefusedBeforeTheyAreGenerated() {
    long start = System.nanoTime();
    CliRun r = CliRun.of("bench", "--n", "99999999999", "--d", "32", "-k", "2", "--devices", "java");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().startsWith("clmix: error: --n 99999999999 x --d 32: ")
        && r.err().contains(" GB of data do not fit this JVM's "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.out().isEmpty(), "nothing runs: " + r.out());
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused up front, not after filling the heap");
  }

  @Test
  void devicesThatCannotRunAndPeaksOfOtherDevicesStopItBeforeAnythingRuns(@TempDir Path dir) {
    Path data = dir.resolve("data.npy");
    for (String[] options : new String[][] {
        {"--devices", "java,foo"}, {"--devices", "java,"}, {"--devices", "java,opencl:9:9"},
        {"--devices", "java", "--peak-gflops", "foo=5"}, {"--devices", "java", "--peak-gbs", "opencl:0:0=900"}}) {
      String[] args = new String[options.length + 9];
      System.arraycopy(new String[] {"bench", "--n", "1000", "--d", "2", "-k", "3", "--save-data", data.toString()},
          0, args, 0, 9);
      System.arraycopy(options, 0, args, 9, options.length);
      CliRun r = CliRun.of(args);
      String context = String.join(" ", options);
      assertEquals(2, r.status(), context + ": " + r.err());
      assertEquals(1, r.err().lines().count(), context + ": " + r.err());
      assertTrue(r.err().startsWith("clmix: error: --devices") || r.err().startsWith("clmix: error: --peak-"),
          context + ": " + r.err());
      assertTrue(r.out().isEmpty(), context + ": nothing runs: " + r.out());
      assertFalse(Files.exists(data), context + ": nothing is generated");
    }
  }

  @Test
  void aReportOnStdoutIsAloneThere() throws Exception {
    JsonNode json = new ObjectMapper().readTree(benchInItsOwnJvm("--json", "-")); // the whole of stdout
    assertEquals("ok", json.get("rows").get(0).get("status").asText());
    JsonNode start = new ObjectMapper().readTree(benchInItsOwnJvm("--save-start", "-"));
    assertEquals(2, start.get("centres").size(), "the start file alone: " + start);
  }

  /** Runs a small bench with {@code outputs} in a JVM of its own; returns stdout, checks the table went to stderr. */
  private static byte[] benchInItsOwnJvm(String... outputs) throws Exception {
    // In a JVM of its own: "-" is the process's standard output, which CliRun cannot capture.
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "io.clmix.cli.Main",
        "bench", "--n", "300", "--d", "2", "-k", "2", "--iters", "1", "--repeats", "1", "--warmup", "0", "--devices", "java",
        "--quiet"));
    cmd.addAll(List.of(outputs));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), err);
    assertTrue(err.contains("s/iter"), "the table goes to stderr: " + err);
    return out;
  }
}
