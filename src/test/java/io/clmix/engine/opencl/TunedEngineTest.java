package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an engine made the usual way ({@link OpenClEngine#create(ClDeviceInfo)}) takes from the
 * device's tuning: the order defaults, tuning, property, and the defaults whenever the tuning
 * cannot be used.
 */
class TunedEngineTest {
  @TempDir
  Path dir;
  private String dirBefore;
  private String overridesBefore;
  private String useBefore;
  private ClDeviceInfo device;
  private TuningCache cache;

  @BeforeEach
  void ownCache() {
    device = OpenClTestSupport.requireDevice();
    dirBefore = System.getProperty(TuningCache.DIR_PROPERTY);
    overridesBefore = System.getProperty(KernelConfig.OVERRIDES_PROPERTY);
    useBefore = System.getProperty(TuningCache.USE_PROPERTY);
    System.setProperty(TuningCache.DIR_PROPERTY, dir.toString());
    System.clearProperty(KernelConfig.OVERRIDES_PROPERTY);
    System.clearProperty(TuningCache.USE_PROPERTY);
    cache = new TuningCache(dir, true, TuningCache.runningVersion());
  }

  @AfterEach
  void restore() {
    TuningCacheTest.restore(TuningCache.DIR_PROPERTY, dirBefore);
    TuningCacheTest.restore(KernelConfig.OVERRIDES_PROPERTY, overridesBefore);
    TuningCacheTest.restore(TuningCache.USE_PROPERTY, useBefore);
  }

  private KernelConfig defaults() {
    return KernelConfig.defaultsFor(device);
  }

  private String otherPpi() {
    return defaults().pointsPerItem() == 1 ? "2" : "1";
  }

  @Test
  void theTuningComesBetweenTheDefaultsAndTheProperty() {
    cache.store(device, cache.newRecord(device, "ppi=" + otherPpi()));
    try (OpenClEngine e = OpenClEngine.create(device)) {
      assertEquals(defaults().withOverrides("ppi=" + otherPpi()), e.config());
      assertEquals("tuned: ppi=" + otherPpi(), e.configOrigin());
    }
    System.setProperty(KernelConfig.OVERRIDES_PROPERTY, "ppi=4");
    try (OpenClEngine e = OpenClEngine.create(device)) {
      assertEquals(4, e.config().pointsPerItem(), "the property has the last word");
      assertEquals("tuned: ppi=" + otherPpi() + ", then -Dclmix.opencl.config=ppi=4", e.configOrigin());
    }
    System.setProperty(KernelConfig.OVERRIDES_PROPERTY, "cv=9");
    InputException bad = assertThrows(InputException.class, () -> OpenClEngine.create(device).close());
    assertTrue(bad.getMessage().startsWith("-Dclmix.opencl.config=cv=9: centreVecs: 9 is not allowed"), bad.getMessage());
    assertTrue(bad.getMessage().contains("on top of the device's tuning 'ppi=" + otherPpi() + "'"), bad.getMessage());
  }

  @Test
  void turnedOffTheEngineHasTheDefaults() {
    cache.store(device, cache.newRecord(device, "ppi=" + otherPpi()));
    System.setProperty(TuningCache.USE_PROPERTY, "off");
    try (OpenClEngine e = OpenClEngine.create(device)) {
      assertEquals(defaults(), e.config());
      assertEquals("defaults", e.configOrigin());
      assertEquals(TuningCache.Status.OFF, e.tuning().status());
    }
  }

  @Test
  void staleOrBrokenTuningsLeaveTheDefaults() {
    TuningCache older = new TuningCache(dir, true, "0.0.1-older");
    older.store(device, older.newRecord(device, "ppi=" + otherPpi()));
    try (OpenClEngine e = OpenClEngine.create(device)) {
      assertEquals(TuningCache.Status.STALE, e.tuning().status());
      assertEquals(defaults(), e.config());
      assertEquals("defaults", e.configOrigin());
    }
    cache.store(device, cache.newRecord(device, "warp=9"));
    try (OpenClEngine e = OpenClEngine.create(device)) {
      assertEquals(TuningCache.Status.UNREADABLE, e.tuning().status());
      assertTrue(e.tuning().detail().startsWith("its config 'warp=9' does not apply: 'warp=9' is not allowed"),
          e.tuning().detail());
      assertEquals(defaults(), e.config());
    }
  }

  @Test
  void aTuningThatNoLongerBuildsGivesWayToTheDefaults() {
    // Parses, but needs far more local memory than any device has for the mixture kernels.
    cache.store(device, cache.newRecord(device, "wg=1024,ppi=8,cv=4,gmmLanes=16,gmmVecs=16"));
    try (OpenClEngine e = OpenClEngine.create(device)) {
      assertEquals(TuningCache.Status.USED, e.tuning().status());
      assertEquals(defaults(), e.config());
      assertTrue(e.configOrigin().startsWith("defaults (the tuning 'wg=1024,ppi=8,cv=4,gmmLanes=16,gmmVecs=16' failed: "),
          e.configOrigin());
    }
  }
}
