package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import org.junit.jupiter.api.Test;

/** Local-memory planning on made-up devices (no device needed). */
class LocalPlanTest {
  private static ClDeviceInfo device(long localBytes) {
    return new ClDeviceInfo(0, 0, "test", "test device", "nobody", "gpu", 1, 1L << 30, 1L << 28, localBytes, true,
        256, 1000, "OpenCL 1.2", "0");
  }

  /** A made-up GPU with {@code localBytes} of local memory (for other tests' plans). */
  static ClDeviceInfo gpu(long localBytes) {
    return device(localBytes);
  }

  private static final KernelConfig CONFIG = new KernelConfig(64, 1, 2, 4, 0, 0, 8);

  @Test
  void smallProblemsKeepEverythingLocal() {
    LocalPlan p = LocalPlan.forAssign(device(48 << 10), CONFIG, 10, 4);
    assertEquals(16, p.tileK(), "k padded to the centre step");
    assertTrue(p.accLocal());
  }

  @Test
  void largeKTilesTheCentresAndMovesStatisticsToGlobalMemory() {
    LocalPlan p = LocalPlan.forAssign(device(48 << 10), CONFIG, 1000, 32);
    assertFalse(p.accLocal());
    assertEquals(0, p.tileK() % 16);
    assertTrue(p.tileK() < 1008);
    assertTrue(4L * p.tileK() * 33 + 3 * 4 * 64 <= 48 << 10, "the tile fits");
  }

  @Test
  void tooManyColumnsForLocalMemoryAreTooWideForTheDevice() {
    // Not ALLOCATION, which would have the data streamed: every chunk has the 1000 columns.
    EngineException e = assertThrows(EngineException.class, () -> LocalPlan.forPointwise(device(16 << 10), CONFIG, 4, 1000));
    assertEquals(EngineException.Kind.LOCAL_MEMORY, e.kind());
    assertEquals("K-means on 1000 columns needs 65088 bytes of local memory per work-group; the device has 16384 bytes"
        + " (16 KiB)", e.getMessage(), "16 centres of 1001 floats and the compiler's 1024 bytes");
    EngineException assign = assertThrows(EngineException.class, () -> LocalPlan.forAssign(device(16 << 10), CONFIG, 4, 1000));
    assertEquals(EngineException.Kind.LOCAL_MEMORY, assign.kind());
    assertEquals("K-means on 1000 columns needs 65856 bytes of local memory per work-group; the device has 16384 bytes"
        + " (16 KiB)", assign.getMessage(), "and the tile's three arrays of 64 rows");
  }

  @Test
  void wideDataOnASmallLocalMemoryScoresFewerCentresPerStep() {
    ClDeviceInfo gpu = device(48 << 10);
    KernelConfig wide = KernelConfig.defaultsFor(gpu).forData(784, gpu);
    assertEquals(1, wide.centreVecs(), "8 centres of 784 columns per step");
    assertEquals(128, wide.accThreads(), "columns shared by the whole group");
    LocalPlan p = LocalPlan.forAssign(gpu, wide, 10, 784);
    assertEquals(8, p.tileK());
    assertFalse(p.accLocal());
    KernelConfig narrow = KernelConfig.defaultsFor(gpu).forData(5, gpu);
    assertEquals(2, narrow.centreVecs());
    assertEquals(32, narrow.accThreads());
    assertEquals("-D ACC_THREADS=32 -D CENTRE_VECS=2 -D DIM=5 -D HAVE_FP64 -D MAX_TRIALS=8 -D POINTS_PER_ITEM=1 -D WG_SIZE=128",
        KernelConfig.defaultsFor(gpu).defines(5, gpu).options());
  }

  /**
   * The split Lloyd variant's km_assign_gemm has no masks and no statistics, so its centres fit
   * where the fused kernel's do not; its km_accumulate runs as many of the configured streams as
   * fit local memory and the kernel's largest group, none (the fused kernel then) when not one
   * does.
   */
  @Test
  void theSplitVariantPlansCentresWithoutStatisticsAndStreamsThatFit() {
    ClDeviceInfo gpu = device(48 << 10);
    KernelConfig fused = KernelConfig.defaultsFor(gpu);
    KernelConfig split = fused.withKmAccumulation(4, 4, false);
    // d = 32, k = 160 (192 padded): beside the fused kernel's tile and masks (24.5 KB), its
    // statistics (21.3 KB) leave no room for a step of centres, so they go to global memory and
    // the centres come in tiles; the split kernel's tile (21 KB) leaves room for all 192 (24.8 KB).
    LocalPlan f = LocalPlan.forGemm(gpu, fused, 160, 32, true);
    LocalPlan s = LocalPlan.forGemm(gpu, split, 160, 32, false);
    assertEquals(new LocalPlan(128, false), f, "fused: statistics global, centres in tiles");
    assertEquals(new LocalPlan(192, false), s, "split: every centre local, no statistics");
    // One stream of k = 64, d = 32 statistics is 8704 bytes; 48 KB less the margin holds 5.
    assertEquals(4, LocalPlan.accStreams(gpu, split, 64, 32, 1024));
    assertEquals(5, LocalPlan.accStreams(gpu, fused.withKmAccumulation(8, 4, false), 64, 32, 1024));
    assertEquals(1, LocalPlan.accStreams(gpu, split, 64, 32, 64), "34 work-items per stream, at most 64 per group");
    assertEquals(1, LocalPlan.accStreams(gpu, split, 300, 32, 1024), "40.8 KB: one stream");
    assertEquals(0, LocalPlan.accStreams(gpu, split, 400, 32, 1024), "54.4 KB: the fused kernel");
    assertEquals(2, LocalPlan.accStreams(gpu, split.withKmAccumulation(4, 4, true), 64, 32, 128),
        "padded: 64 work-items per stream");
  }
}
