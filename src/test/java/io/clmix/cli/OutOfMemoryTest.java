package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that runs out of heap says so in one line, with the heap's size, how to raise it
 * and where the heap goes (a text data file is read onto it), and exit status 2: here a 23 MB
 * CSV fitted in a JVM of its own with a 24 MiB heap.
 */
class OutOfMemoryTest {
  @TempDir
  Path dir;

  @Test
  void aTextFileLargerThanTheHeapGivesOneLine() throws Exception {
    Path csv = dir.resolve("big.csv");
    Random rnd = new Random(1);
    try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.US_ASCII)) {
      for (int i = 0; i < 600_000; i++) {
        w.write(String.format(Locale.ROOT, "%.6f,%.6f,%.6f,%.6f%n", rnd.nextGaussian(), rnd.nextGaussian(),
            rnd.nextGaussian(), rnd.nextGaussian()));
      }
    }
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xmx24m", "-cp", System.getProperty("java.class.path"),
        "io.clmix.cli.Main", "fit", csv.toString(), "-k", "3", "--device", "java")).start();
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n").strip();
    assertEquals(2, p.waitFor(), err);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("clmix: error: out of memory: the command needs more than the JVM's "), err);
    assertTrue(err.contains("CLMIX_JAVA_OPTS=-Xmx<size>") && err.contains("text data files are read onto the heap"),
        err);
  }
}
