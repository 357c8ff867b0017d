package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.Test;

/**
 * Local-memory plans of the mixture kernels on made-up devices (no device needed): which paths
 * the pretend-GPU cases of {@link OpenClMixtureTest} take, and what the issue's GPU workload
 * (d = 32, k = 64, full) gets on a GPU with 48 KB of local memory.
 */
class GmmPlanTest {
  private static ClDeviceInfo gpu(long localBytes) {
    return new ClDeviceInfo(0, 0, "test", "test gpu", "nobody", "gpu", 132, 80L << 30, 20L << 30, localBytes, true,
        1024, 1755, "OpenCL 3.0", "0");
  }

  private static GmmPass.Plan plan(long localBytes, int d, int k, CovarianceType type) {
    ClDeviceInfo device = gpu(localBytes);
    KernelConfig config = KernelConfig.defaultsFor(device).forData(d, device);
    return GmmPass.plan(device, config, new GmmLayout(d, k, type, config.gmmBlock(), false));
  }

  @Test
  void theTestCasesCoverEveryPath() {
    GmmPass.Plan all = plan(48 << 10, 5, 6, CovarianceType.FULL);
    assertTrue(all.tileLocal() && all.paramsLocal());
    assertEquals(6, all.kt(), "every component staged once per group");
    GmmPass.Plan tiles = plan(14 << 10, 5, 40, CovarianceType.FULL);
    assertTrue(tiles.tileLocal() && tiles.paramsLocal());
    assertTrue(tiles.kt() < 40, "components staged tile by tile");
    GmmPass.Plan global = plan(4608, 5, 6, CovarianceType.FULL);
    assertFalse(global.tileLocal(), "points from global memory");
    assertTrue(global.paramsLocal() && global.kt() < 6);
    GmmPass.Plan none = plan(3 << 10, 5, 6, CovarianceType.FULL);
    assertFalse(none.tileLocal() || none.paramsLocal(), "everything from global memory");
  }

  @Test
  void aCpuTileOfRowsTooWideForLocalMemoryIsALocalMemoryFailure() {
    // PoCL's CPU device has 512 KiB; the CPU shape stages 64 points (16 lanes x 4 vectors).
    ClDeviceInfo cpu = new ClDeviceInfo(0, 0, "test", "test cpu", "nobody", "cpu", 2, 8L << 30, 2L << 30, 512 << 10,
        true, 4096, 2445, "OpenCL 3.0", "0");
    KernelConfig config = KernelConfig.defaultsFor(cpu).forData(5000, cpu);
    EngineException e = assertThrows(EngineException.class,
        () -> GmmPass.plan(cpu, config, new GmmLayout(5000, 2, CovarianceType.DIAG, config.gmmBlock(), true)));
    assertEquals(EngineException.Kind.LOCAL_MEMORY, e.kind(), "streaming would not help");
    assertEquals("a Gaussian mixture on 5000 columns needs 1281288 bytes of local memory per work-group; the device has"
        + " 524288 bytes (512 KiB)", e.getMessage());
    KernelConfig narrow = KernelConfig.defaultsFor(cpu).forData(2040, cpu);
    assertTrue(GmmPass.plan(cpu, narrow, new GmmLayout(2040, 2, CovarianceType.DIAG, narrow.gmmBlock(), true))
        .tileLocal(), "2040 columns still fit, as docs/errors.md says");
  }

  @Test
  void theIssuesGpuWorkloadKeepsItsTileLocal() {
    GmmPass.Plan p = plan(48 << 10, 32, 64, CovarianceType.FULL);
    assertTrue(p.tileLocal(), "256 points of 32 columns in local memory");
    assertTrue(p.paramsLocal());
    assertEquals(2, p.kt(), "two full components (4.4 KB each) per parameter tile");
    GmmPass.Plan wide = plan(48 << 10, 64, 64, CovarianceType.FULL);
    assertFalse(wide.tileLocal(), "64 columns: points from global memory, local memory for parameters");
    assertEquals(2, wide.kt());
  }
}
