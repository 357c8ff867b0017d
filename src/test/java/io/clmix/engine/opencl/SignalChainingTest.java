package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The test JVMs run with HotSpot's signal-chaining library preloaded (pom.xml, surefire's
 * LD_PRELOAD), as {@code ./clmix} runs the tool: PoCL replaces the JVM's SIGSEGV handler when it
 * loads, and without chaining a JVM that later reaches an armed safepoint poll dies (exit 139).
 * This happened twice in one day of test runs before the preload.
 */
class SignalChainingTest {
  @Test
  void theTestJvmChainsSignalsThroughLibjsig() throws IOException {
    Path jsig = Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    Path maps = Path.of("/proc/self/maps");
    assumeTrue(Files.exists(jsig) && Files.isReadable(maps), "not a Linux HotSpot JVM");
    assertTrue(Files.readString(maps).contains("libjsig.so"),
        "libjsig.so is not loaded: set LD_PRELOAD=" + jsig + " for JVMs that use OpenCL");
  }
}
