package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output written to standard output ({@code -}) owns it, so it can be piped as it is: the
 * command's report for people goes to stderr, and {@code --json}, which would print there too,
 * is refused. The commands run in a JVM of their own, since {@code -} is the process's standard
 * output, which {@link CliRun} cannot capture.
 */
class StandardOutputTest {
  @TempDir
  Path dir;
  Path data;

  @BeforeEach
  void generate() {
    data = dir.resolve("d.npy");
    CliRun g = CliRun.of("generate", "--n", "200", "--d", "3", "-k", "2", "--seed", "5", "--out", data.toString());
    assertEquals(0, g.status(), g.err());
  }

  @Test
  void labelsOnStdoutAreAloneThere() throws Exception {
    Result r = run("fit", data.toString(), "-k", "2", "--device", "java", "--labels-out", "-");
    assertEquals(0, r.status, r.err);
    List<String> lines = r.out.strip().lines().toList();
    assertEquals(200, lines.size(), "one label per row and nothing else: " + r.out);
    for (String line : lines) {
      assertTrue(line.equals("0") || line.equals("1"), "a label: '" + line + "'");
    }
    assertTrue(r.err.contains("K-means, k = 2"), "the summary goes to stderr: " + r.err);
  }

  @Test
  void aModelOnStdoutParsesAsItIs() throws Exception {
    Result r = run("fit", data.toString(), "--algo", "gmm", "-k", "2", "--device", "java", "--model-out", "-");
    assertEquals(0, r.status, r.err);
    JsonNode model = new ObjectMapper().readTree(r.out); // the whole of stdout
    assertEquals("clmix-model", model.get("format").asText());
    assertTrue(r.err.contains("Gaussian mixture, k = 2"), "the summary goes to stderr: " + r.err);
  }

  @Test
  void generatedLabelsOnStdoutAreAloneThere() throws Exception {
    Result r = run("generate", "--n", "50", "--d", "2", "-k", "3", "--out", dir.resolve("g.npy").toString(),
        "--labels-out", "-");
    assertEquals(0, r.status, r.err);
    assertEquals(50, r.out.strip().lines().count(), r.out);
    assertTrue(r.err.startsWith("wrote 50 x 2 rows"), r.err);
  }

  @Test
  void jsonBesideAnOutputOnStdoutIsRefused() {
    CliRun fit = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", "-", "--json");
    assertEquals(2, fit.status(), fit.err());
    assertEquals("clmix: error: --json: prints to standard output, which --model-out takes; write --model-out to a"
        + " file, or leave out --json", fit.err().strip());
    CliRun select = CliRun.of("select", data.toString(), "-k", "1..2", "--model-out", "/dev/stdout", "--json");
    assertEquals(2, select.status(), select.err());
    assertTrue(select.err().startsWith("clmix: error: --json: prints to standard output, which --model-out takes"),
        select.err());
    assertTrue(fit.out().isEmpty() && select.out().isEmpty(), "nothing runs");
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true",
        "-cp", System.getProperty("java.class.path"), "io.clmix.cli.Main"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    // stderr is small; read stdout first, then stderr.
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    err = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
    return new Result(p.waitFor(), out, err);
  }
}
