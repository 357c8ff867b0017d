package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.engine.opencl.TuningCache.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuning cache on its own: plain device records, no OpenCL needed. */
class TuningCacheTest {
  @TempDir
  Path dir;

  static ClDeviceInfo device(String name, String driver, String type) {
    return new ClDeviceInfo(0, 0, "Some Platform", name, "Some Vendor", type, 8, 8L << 30, 2L << 30, 48 << 10, true,
        1024, 1500, "OpenCL 3.0", driver);
  }

  private final ClDeviceInfo gpu = device("Big GPU 9000", "555.1", "gpu");

  private TuningCache cache() {
    return new TuningCache(dir, true, "1.2.3");
  }

  @Test
  void aStoredTuningIsUsedAndAppliedToTheDefaults() {
    TuningCache c = cache();
    assertEquals(Status.NONE, c.lookup(gpu).status());
    Path file = c.store(gpu, c.newRecord(gpu, "tiles=4,kg=8"));
    assertTrue(Files.isRegularFile(file));
    assertTrue(file.startsWith(dir.resolve("tuning")), file.toString());
    TuningCache.Lookup l = c.lookup(gpu);
    assertEquals(Status.USED, l.status());
    assertEquals("tiles=4,kg=8", l.spec());
    assertEquals(file, l.file());
    KernelConfig defaults = KernelConfig.defaultsFor(gpu);
    assertEquals(defaults.withOverrides("tiles=4,kg=8"), l.apply(defaults));
    assertNotEquals(defaults, l.apply(defaults));
    assertTrue(l.describe().contains("tiles=4,kg=8"), l.describe());
  }

  @Test
  void anEmptyTuningMeansTheDefaultsWereFastest() {
    TuningCache c = cache();
    c.store(gpu, c.newRecord(gpu, ""));
    TuningCache.Lookup l = c.lookup(gpu);
    assertEquals(Status.USED, l.status());
    assertEquals(KernelConfig.defaultsFor(gpu), l.apply(KernelConfig.defaultsFor(gpu)));
    assertTrue(l.describe().contains("defaults were fastest"), l.describe());
  }

  @Test
  void eachDeviceAndDriverHasItsOwnFile() {
    ClDeviceInfo newerDriver = device("Big GPU 9000", "560.0", "gpu");
    ClDeviceInfo other = device("Small GPU", "555.1", "gpu");
    assertNotEquals(cache().fileFor(gpu), cache().fileFor(newerDriver));
    assertNotEquals(cache().fileFor(gpu), cache().fileFor(other));
    cache().store(gpu, cache().newRecord(gpu, "tiles=4"));
    assertEquals(Status.NONE, cache().lookup(newerDriver).status(), "a driver update needs its own tuning");
    assertTrue(cache().fileFor(gpu).getFileName().toString().startsWith("big-gpu-9000-"));
  }

  @Test
  void aTuningOfAnotherVersionOrOtherKernelsIsStale() throws IOException {
    TuningCache c = cache();
    c.store(gpu, c.newRecord(gpu, "tiles=4"));
    TuningCache.Lookup other = new TuningCache(dir, true, "1.2.4").lookup(gpu);
    assertEquals(Status.STALE, other.status());
    assertNull(other.spec());
    assertEquals(KernelConfig.defaultsFor(gpu), other.apply(KernelConfig.defaultsFor(gpu)));

    ObjectNode record = c.newRecord(gpu, "tiles=4");
    assertEquals(TuningCache.kernelFingerprint(), record.get("kernels").asText());
    record.put("kernels", "0123456789abcdef0123456789abcdef");
    c.store(gpu, record);
    TuningCache.Lookup l = c.lookup(gpu);
    assertEquals(Status.STALE, l.status());
    assertTrue(l.detail().contains("kernel"), l.detail());
  }

  @Test
  void aFileForAnotherDeviceIdentityIsStale() {
    TuningCache c = cache();
    ObjectNode record = c.newRecord(gpu, "tiles=4");
    record.put("device", "Some Platform | Other | Some Vendor | OpenCL 3.0 | 555.1");
    c.store(gpu, record);
    assertEquals(Status.STALE, c.lookup(gpu).status());
  }

  @Test
  void brokenFilesAreReportedAndIgnoredNeverThrown() throws IOException {
    TuningCache c = cache();
    Path file = c.fileFor(gpu);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{ not json");
    assertEquals(Status.UNREADABLE, c.lookup(gpu).status());
    Files.writeString(file, "[1, 2]");
    assertEquals(Status.UNREADABLE, c.lookup(gpu).status());
    // A tunable that no longer exists must not reach an engine.
    c.store(gpu, c.newRecord(gpu, "warp=9"));
    TuningCache.Lookup l = c.lookup(gpu);
    assertEquals(Status.UNREADABLE, l.status());
    assertTrue(l.detail().contains("warp=9"), l.detail());
    assertEquals(KernelConfig.defaultsFor(gpu), l.apply(KernelConfig.defaultsFor(gpu)));
  }

  @Test
  void turnedOffItUsesNothing() {
    cache().store(gpu, cache().newRecord(gpu, "tiles=4"));
    TuningCache.Lookup l = new TuningCache(dir, false, "1.2.3").lookup(gpu);
    assertEquals(Status.OFF, l.status());
    assertEquals(KernelConfig.defaultsFor(gpu), l.apply(KernelConfig.defaultsFor(gpu)));
    // `clmix devices` prints it after "kernels ", as it does "not tuned (...)".
    assertEquals("not tuned: tunings are off (-D" + TuningCache.USE_PROPERTY + "=off)", l.describe());
  }

  @Test
  void removeDeletesTheDevicesTuningOnly() {
    ClDeviceInfo other = device("Small GPU", "555.1", "gpu");
    TuningCache c = cache();
    c.store(gpu, c.newRecord(gpu, "tiles=4"));
    c.store(other, c.newRecord(other, "kg=8"));
    assertTrue(c.remove(gpu));
    assertFalse(c.remove(gpu));
    assertEquals(Status.NONE, c.lookup(gpu).status());
    assertEquals(Status.USED, c.lookup(other).status());
  }

  @Test
  void theEnvironmentNamesTheDirectoryAndTheSwitch() {
    String dirBefore = System.getProperty(TuningCache.DIR_PROPERTY);
    String useBefore = System.getProperty(TuningCache.USE_PROPERTY);
    try {
      System.setProperty(TuningCache.DIR_PROPERTY, dir.toString());
      System.clearProperty(TuningCache.USE_PROPERTY);
      TuningCache env = TuningCache.fromEnvironment();
      assertTrue(env.enabled());
      assertEquals(dir.resolve("tuning"), env.fileFor(gpu).getParent());
      System.setProperty(TuningCache.USE_PROPERTY, "off");
      assertFalse(TuningCache.fromEnvironment().enabled());
      System.setProperty(TuningCache.USE_PROPERTY, "maybe");
      io.clmix.data.InputException e = org.junit.jupiter.api.Assertions.assertThrows(io.clmix.data.InputException.class,
          TuningCache::fromEnvironment);
      assertEquals("-Dclmix.opencl.tuning: 'maybe' is not allowed; expected on or off", e.getMessage());
    } finally {
      restore(TuningCache.DIR_PROPERTY, dirBefore);
      restore(TuningCache.USE_PROPERTY, useBefore);
    }
  }

  static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }
}
