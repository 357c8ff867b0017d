package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clmix devices} where OpenCL finds no platform (the ICD loader pointed at an empty
 * folder, in a child process): it lists the Java engine and says once why OpenCL is missing.
 */
class DevicesWithoutOpenClTest {
  @TempDir
  Path noVendors;

  @Test
  void theReasonIsSaidOnce() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "io.clmix.cli.Main",
        "devices"));
    pb.environment().put("OCL_ICD_VENDORS", noVendors.toString());
    pb.environment().remove("OCL_ICD_FILENAMES"); // loaders add the drivers named there anyway
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("OpenCL: not available: ")), out);
    assertFalse(out.contains("OpenCL is not available"), "said twice: " + out);
    assertTrue(out.contains("java"), "the Java engine is listed: " + out);
  }
}
