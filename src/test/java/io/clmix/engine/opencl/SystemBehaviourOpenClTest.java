package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import io.clmix.engine.opencl.TuningCache.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenCL's side of the machine clmix runs on: java.io.tmpdir, and the tuning cache's folder. */
class SystemBehaviourOpenClTest {
  @TempDir
  Path dir;

  /** The start of what JOCL 2.0.5 says when it cannot copy its native library out of the jar. */
  private static final String UNPACK_FAILED = "Error while loading native library \"JOCL_2_0_5-linux-x86_64\"\n"
      + "Operating system name: Linux\nArchitecture         : amd64\nArchitecture bit size: 64\n"
      + "---(start of nested stack traces)---\n"
      + "Stack trace from the attempt to load the library as a file:\n"
      + "java.lang.UnsatisfiedLinkError: no JOCL_2_0_5-linux-x86_64 in java.library.path: /usr/lib\n"
      + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)\n"
      + "Stack trace from the attempt to load the library as a resource:\n"
      + "java.io.FileNotFoundException: /ro/libJOCL_2_0_5-linux-x86_64.so (Read-only file system)\n"
      + "\tat java.base/java.io.FileOutputStream.open0(Native Method)\n"
      + "---(end of nested stack traces)---\n";

  @Test
  void aTemporaryFolderJoclCannotWriteIsNamedNotAMissingLibOpenCl() {
    // A read-only /tmp (a container's read-only root) was reported as "libOpenCL.so could not
    // be loaded (install ocl-icd-opencl-dev ...)", which no installation fixes.
    EngineException e = OpenCl.unavailable(new UnsatisfiedLinkError(UNPACK_FAILED));
    assertEquals(EngineException.Kind.UNAVAILABLE, e.kind());
    assertEquals("OpenCL is not available: JOCL could not write its native library into java.io.tmpdir ("
        + System.getProperty("java.io.tmpdir") + "): /ro/libJOCL_2_0_5-linux-x86_64.so (Read-only file system); give"
        + " it a writable folder (CLMIX_JAVA_OPTS=-Djava.io.tmpdir=<folder> for ./clmix)", e.getMessage());
    // A copy that was written and would not load is the library's fault, as before.
    String linkFailed = UNPACK_FAILED.replace("java.io.FileNotFoundException: /ro/libJOCL_2_0_5-linux-x86_64.so"
        + " (Read-only file system)", "java.lang.UnsatisfiedLinkError: libOpenCL.so.1: cannot open shared object file");
    assertNull(OpenCl.unpackFailure(linkFailed));
    assertTrue(OpenCl.unavailable(new UnsatisfiedLinkError(linkFailed)).getMessage()
        .startsWith("OpenCL is not available: libOpenCL.so could not be loaded"));
    assertNull(OpenCl.unpackFailure(null));
  }

  @Test
  void aCacheFolderThatIsAFileHoldsNoTuningToRemove() throws IOException {
    // CLMIX_CACHE_DIR naming a file: 'clmix tune --reset' failed with "cannot remove the
    // tuning: ...: Not a directory", where a read-only folder said "had no tuning".
    Path file = Files.writeString(dir.resolve("afile"), "x");
    TuningCache c = new TuningCache(file, true, "1.2.3");
    ClDeviceInfo gpu = TuningCacheTest.device("Big GPU 9000", "555.1", "gpu");
    assertFalse(c.remove(gpu));
    assertEquals(Status.NONE, c.lookup(gpu).status());
  }

  @Test
  void aTuningFileThatIsNotTextSaysSo() throws IOException {
    TuningCache c = new TuningCache(dir, true, "1.2.3");
    ClDeviceInfo gpu = TuningCacheTest.device("Big GPU 9000", "555.1", "gpu");
    Path f = c.fileFor(gpu);
    Files.createDirectories(f.getParent());
    Files.write(f, new byte[] {0, (byte) 0xff, (byte) 0xfe, 'x'});
    TuningCache.Lookup l = c.lookup(gpu);
    assertEquals(Status.UNREADABLE, l.status());
    assertEquals("not tuned: not UTF-8 text (" + f + ")", l.describe()); // was "Input length = 1"
  }

  @Test
  void aNamedPipeWhereATuningBelongsDoesNotStopTheEngine() throws Exception {
    // Reading it waited for a writer forever, and every fit on the device with it.
    TuningCache c = new TuningCache(dir, true, "1.2.3");
    ClDeviceInfo gpu = TuningCacheTest.device("Big GPU 9000", "555.1", "gpu");
    Path f = c.fileFor(gpu);
    Files.createDirectories(f.getParent());
    Process mkfifo = new ProcessBuilder("mkfifo", f.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0 && Files.exists(f), "no mkfifo here");
    // A guard against the old hang, not a measurement: the lookup must return at all.
    TuningCache.Lookup l = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(60), () -> c.lookup(gpu));
    assertEquals(Status.UNREADABLE, l.status());
    assertEquals("not tuned: not a regular file (" + f + ")", l.describe());
  }

  @Test
  void pocLWithoutAKernelCacheIsToldWhatToDo() throws IOException, InterruptedException {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    org.junit.jupiter.api.Assumptions.assumeTrue(device.platformName().contains("Portable Computing Language"),
        "not PoCL");
    Path notAFolder = Files.writeString(dir.resolve("cache"), "a file where PoCL's cache folder would go");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), "io.clmix.cli.Main",
        "devices");
    pb.environment().remove("POCL_CACHE_DIR");
    pb.environment().put("XDG_CACHE_HOME", notAFolder.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    org.junit.jupiter.api.Assumptions.assumeTrue(out.contains("OpenCL: not available"),
        "this PoCL lists its device without a kernel cache");
    assertTrue(out.contains("POCL_CACHE_DIR=<a writable folder>"), out);
  }
}
