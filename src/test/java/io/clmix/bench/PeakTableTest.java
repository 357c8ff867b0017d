package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import io.clmix.engine.EngineInfo;
import org.junit.jupiter.api.Test;

class PeakTableTest {
  private static final HostInfo DEV_VM = new HostInfo("AMD EPYC", 2, 24L << 30, "Linux", "JVM", 6L << 30);
  private static final HostInfo OTHER = new HostInfo("Intel(R) Xeon(R) Platinum 8480+", 16, 128L << 30, "Linux", "JVM", 32L << 30);

  private static EngineInfo gpu(String name) {
    return new EngineInfo("opencl:0:0", name, "gpu");
  }

  @Test
  void knownGpusByName() {
    PeakTable t = PeakTable.known();
    assertEquals(67_000, t.peakOf(gpu("NVIDIA H200"), OTHER).gflops());
    assertEquals(4_800, t.peakOf(gpu("NVIDIA H200"), OTHER).gbs());
    assertEquals(3_350, t.peakOf(gpu("NVIDIA H100 80GB HBM3"), OTHER).gbs());
    assertEquals(2_000, t.peakOf(gpu("NVIDIA H100 PCIe"), OTHER).gbs());
  }

  @Test
  void theDevelopmentVmIsKnownForTheJavaEngineAndOpenClCpuDevices() {
    PeakTable t = PeakTable.known();
    assertEquals(191, t.peakOf(new EngineInfo("java", "Java engine, 2 threads", "java"), DEV_VM).gflops());
    assertEquals(191, t.peakOf(new EngineInfo("opencl:0:0", "pthread-haswell-AMD EPYC", "cpu"), DEV_VM).gflops());
    assertTrue(Double.isNaN(t.peakOf(new EngineInfo("java", "Java engine", "java"), DEV_VM).gbs()));
  }

  @Test
  void severalGpusAddTheirPeaksAndTheHostCountsOnce() {
    PeakTable t = PeakTable.known();
    EngineInfo pair = new EngineInfo("opencl:0:0,opencl:0:1", "2 devices: NVIDIA H100 80GB HBM3 + NVIDIA H100 80GB HBM3",
        "gpu");
    PeakTable.Peak two = t.peakOf(pair, java.util.List.of(gpu("NVIDIA H100 80GB HBM3"), gpu("NVIDIA H100 80GB HBM3")),
        OTHER);
    assertEquals(134_000, two.gflops(), "two H100s");
    assertEquals(6_700, two.gbs());
    assertTrue(two.source().startsWith("2 devices: NVIDIA H100 SXM datasheet"), two.source());
    assertEquals(67_000, t.peakOf(pair, OTHER).gflops(), "the name alone would give one H100's");
    EngineInfo cpus = new EngineInfo("opencl:0:0,java", "2 devices", "cpu");
    PeakTable.Peak host = t.peakOf(cpus, java.util.List.of(new EngineInfo("opencl:0:0", "pthread-AMD EPYC", "cpu"),
        new EngineInfo("java", "Java engine, 2 threads", "java")), DEV_VM);
    assertEquals(191, host.gflops(), "PoCL and the Java engine share the host's cores");
    PeakTable.Peak mixed = t.peakOf(cpus, java.util.List.of(gpu("NVIDIA H200"), new EngineInfo("java", "Java", "java")),
        DEV_VM);
    assertEquals(67_191, mixed.gflops(), "a GPU and the host");
    assertTrue(Double.isNaN(mixed.gbs()), "unknown where a part's is");
    PeakTable given = PeakTable.withOverrides("100", null);
    assertEquals(200, given.peakOf(pair, java.util.List.of(gpu("a"), gpu("b")), OTHER).gflops(),
        "a number for every device applies to each GPU");
  }

  @Test
  void unknownDevicesHaveNoPeak() {
    PeakTable t = PeakTable.known();
    assertTrue(Double.isNaN(t.peakOf(new EngineInfo("java", "Java engine", "java"), OTHER).gflops()));
    assertTrue(Double.isNaN(t.peakOf(gpu("Some GPU"), OTHER).gflops()));
    assertEquals("unknown", t.peakOf(gpu("Some GPU"), OTHER).source());
  }

  @Test
  void overridesForAllDevicesOrByDevice() {
    PeakTable all = PeakTable.withOverrides("100", null);
    assertEquals(100, all.peakOf(gpu("Some GPU"), OTHER).gflops());
    assertTrue(Double.isNaN(all.peakOf(gpu("Some GPU"), OTHER).gbs()));

    PeakTable byDevice = PeakTable.withOverrides("java=50,opencl:0:0=2000", "opencl:0:0=900");
    assertEquals(50, byDevice.peakOf(new EngineInfo("java", "Java engine", "java"), OTHER).gflops());
    PeakTable.Peak p = byDevice.peakOf(gpu("NVIDIA H200"), OTHER);
    assertEquals(2000, p.gflops());
    assertEquals(900, p.gbs());
    assertTrue(p.source().contains("overridden"));
  }

  @Test
  void badOverridesNameTheOption() {
    InputException e = assertThrows(InputException.class, () -> PeakTable.withOverrides("fast", null));
    assertTrue(e.getMessage().startsWith("--peak-gflops: 'fast' is not allowed"), e.getMessage());
    assertThrows(InputException.class, () -> PeakTable.withOverrides(null, "java=-1"));
    assertThrows(InputException.class, () -> PeakTable.withOverrides(null, "=5"));
  }
}
