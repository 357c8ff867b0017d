package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.KernelConfig;
import io.clmix.engine.opencl.OpenClEngine;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.engine.opencl.TuningCache;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clmix tune}: refusals, and a small tuning that later engines on the device pick up. */
class TuneCommandTest {
  @TempDir
  Path dir;
  private String before;

  @BeforeEach
  void ownCache() {
    before = System.getProperty(TuningCache.DIR_PROPERTY);
    System.setProperty(TuningCache.DIR_PROPERTY, dir.toString());
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(TuningCache.DIR_PROPERTY);
    } else {
      System.setProperty(TuningCache.DIR_PROPERTY, before);
    }
  }

  private static void refused(String[] options, String expected) {
    String[] args = new String[options.length + 2];
    args[0] = "tune";
    args[1] = "--quiet";
    System.arraycopy(options, 0, args, 2, options.length);
    CliRun r = CliRun.of(args);
    assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
    assertTrue(r.err().startsWith(expected), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void badParametersAreOneLineAndStatusTwoBeforeAnyDeviceIsLookedAt() {
    refused(new String[] {"--scale", "0"}, "clmix: error: --scale: 0.0 is not allowed; expected a number in (0, 100]");
    refused(new String[] {"--d", "0"}, "clmix: error: --d: 0 is not allowed; expected an integer >= 1");
    refused(new String[] {"-k", "0"}, "clmix: error: --k: 0 is not allowed; expected an integer >= 1");
    refused(new String[] {"--reset", "--force"},
        "clmix: error: --reset: measures nothing; it takes none of --force, --dry-run, --scale, --d and -k"
            + " (--force was given)");
    refused(new String[] {"--reset", "--scale", "5"},
        "clmix: error: --reset: measures nothing; it takes none of --force, --dry-run, --scale, --d and -k"
            + " (--scale was given)");
    assertFalse(Files.exists(dir.resolve("tuning")), "nothing was measured or written");
  }

  @Test
  void onlyOpenClDevicesCanBeTunedIntoAWritableCache() throws Exception {
    OpenClTestSupport.requireDevice();
    // A cache that cannot be written is found before minutes of measuring, not after.
    Path notAFolder = Files.writeString(dir.resolve("file"), "x");
    System.setProperty(TuningCache.DIR_PROPERTY, notAFolder.toString());
    refused(new String[] {"--scale", "0.01"}, "clmix: error: " + notAFolder.resolve("tuning")
        + ": cannot write kernel tunings here (");
    System.setProperty(TuningCache.DIR_PROPERTY, dir.toString());
    refused(new String[] {"--device", "java"}, "clmix: error: --device: 'java' is not allowed; expected all, opencl or one of ");
    refused(new String[] {"--device", "opencl:9:9"},
        "clmix: error: --device opencl:9:9: no such OpenCL device; available: ");
  }

  @Test
  void aDryRunPrintsEachCandidateAgainstTheDefaultsMeasuredBesideItAndKeepsNothing() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    CliRun r = CliRun.of("tune", "--device", device.id(), "--d", "4", "-k", "8", "--scale", "0.01", "--quiet",
        "--dry-run");
    assertEquals(0, r.status(), r.err());
    long candidates = 0;
    for (String line : r.out().lines().toList()) {
      if (line.startsWith("  kmeans ") || line.startsWith("  gmm ")) {
        boolean defaults = line.contains("(defaults)");
        assertTrue(defaults || line.contains("not chosen: ") || line.matches(
            ".* [0-9.]+x the time of the defaults measured beside it \\([0-9.]+\\)$"), line);
        candidates += defaults ? 0 : 1;
      }
    }
    assertTrue(candidates >= 2, r.out());
    assertTrue(r.out().contains("(dry run: not kept)"), r.out());
    assertFalse(Files.exists(TuningCache.fromEnvironment().fileFor(device)), "a dry run keeps no tuning");
  }

  @Test
  void aTuningIsKeptUsedByNewEnginesRefusedTwiceAndReset() throws Exception {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    // A stale tuning (another clmix) is replaced without --force: no engine uses it.
    TuningCache other = new TuningCache(dir, true, "0.0.1-other");
    other.store(device, other.newRecord(device, "tiles=4"));
    assertEquals(TuningCache.Status.STALE, TuningCache.fromEnvironment().lookup(device).status());
    CliRun r = CliRun.of("tune", "--device", device.id(), "--d", "4", "-k", "8", "--scale", "0.01", "--quiet", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode record = new ObjectMapper().readTree(r.lastLine());
    Path file = Path.of(record.get("file").asText());
    assertTrue(Files.isRegularFile(file), file.toString());
    assertTrue(record.get("trials").size() >= 4, record.toString());
    String spec = record.get("config").asText();

    // An engine made the usual way starts from the tuning.
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      assertEquals(TuningCache.Status.USED, engine.tuning().status());
      assertEquals(KernelConfig.defaultsFor(device).withOverrides(spec), engine.config());
    }
    CliRun devices = CliRun.of("devices");
    assertTrue(devices.out().contains("kernels tuned: "), devices.out());
    // A fit's JSON says which configuration its kernels had, so that two runs can be compared.
    Path data = dir.resolve("blobs.npy");
    io.clmix.data.DataFiles.write(data, io.clmix.data.Blobs.of(2000, 3, 3, 1).generate(),
        io.clmix.data.Precision.FLOAT32);
    CliRun fit = CliRun.of("fit", data.toString(), "-k", "3", "--device", device.id(), "--json", "--quiet");
    assertEquals(0, fit.status(), fit.err());
    assertEquals(spec.isEmpty() ? "tuned: the defaults" : "tuned: " + spec,
        new ObjectMapper().readTree(fit.lastLine()).get("kernels").asText());
    CliRun java = CliRun.of("fit", data.toString(), "-k", "3", "--device", "java", "--json", "--quiet");
    assertTrue(new ObjectMapper().readTree(java.lastLine()).get("kernels") == null, "the Java engine has no kernels");

    // Measuring again must be asked for, and the refusal comes before any measurement.
    CliRun again = CliRun.of("tune", "--device", device.id(), "--quiet");
    assertEquals(2, again.status());
    assertTrue(again.err().startsWith("clmix: error: " + file + ": " + device.id()), again.err());
    assertTrue(again.err().contains("pass --force"), again.err());

    CliRun reset = CliRun.of("tune", "--device", device.id(), "--reset");
    assertEquals(0, reset.status(), reset.err());
    assertTrue(reset.out().contains("tuning removed"), reset.out());
    assertFalse(Files.exists(file));
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      assertEquals(TuningCache.Status.NONE, engine.tuning().status());
      assertEquals(KernelConfig.defaultsFor(device), engine.config());
      assertEquals("defaults", engine.info().kernels());
    }
  }
}
