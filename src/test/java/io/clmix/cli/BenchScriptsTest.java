package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code clmix bench} command lines that {@code bench/compare.sh} builds are ones the CLI
 * accepts. The script runs as written, in a copy of the tree where {@code ./clmix} and the
 * Python interpreter are stubs that record their arguments; each recorded {@code clmix} command
 * is then run in-process at the tiny sizes the environment asked for.
 */
class BenchScriptsTest {
  private static final String END = "--end-of-command--";

  @Test
  void compareShBuildsBenchCommandsTheCliAccepts(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(root.resolve("bench/peers"));
    Files.copy(Path.of("bench/compare.sh"), root.resolve("bench/compare.sh"));
    Path log = root.resolve("clmix.log");
    executable(root.resolve("clmix"), "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '" + log
        + "'\necho " + END + " >> '" + log + "'\n");
    // scikit-learn check, SGEMM probe, peers and the table: all succeed and print a rate.
    Path py = executable(root.resolve("python"), "#!/bin/bash\necho 100.0\n");
    Path out = root.resolve("out");

    ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bench/compare.sh").toString());
    pb.environment().putAll(Map.ofEntries(
        Map.entry("KM_N", "60"), Map.entry("KM_D", "2"), Map.entry("KM_K", "2"),
        Map.entry("GF_N", "60"), Map.entry("GF_D", "2"), Map.entry("GF_K", "2"),
        Map.entry("GD_N", "60"), Map.entry("GD_D", "2"), Map.entry("GD_K", "2"),
        Map.entry("ITERS", "2"), Map.entry("REPEATS", "1"), Map.entry("DEVICES", "java"),
        Map.entry("SMILE", "0"), Map.entry("PYTHON", py.toString()),
        Map.entry("OUT_DIR", out.toString())));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), printed);

    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.equals(END)) {
        commands.add(current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    assertEquals(3, commands.size(), "one clmix bench per workload: " + commands);
    for (List<String> args : commands) {
      assertEquals("bench", args.get(0));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, r.status(), String.join(" ", args) + " -> " + r.err());
    }
    assertTrue(Files.exists(out.resolve("kmeans.clmix.json")));
    assertTrue(Files.exists(out.resolve("gmm-diag.start.json")));
  }

  private static Path executable(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
