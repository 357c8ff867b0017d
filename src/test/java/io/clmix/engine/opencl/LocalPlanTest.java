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
   * where the fused kernel's do not; its km_accumulate needs labels and places of the group's
   * rows, masks and first places per cluster and 32 rows, and the clusters' starts: for chunks
   * of 1024 rows, 48 KB hold them up to k = 153, in smaller chunks (down to 256 rows) up to 677.
   */
  @Test
  void theSplitVariantPlansCentresWithoutStatisticsAndItsAccumulationInChunksThatFit() {
    ClDeviceInfo gpu = device(48 << 10);
    KernelConfig fused = KernelConfig.defaultsFor(gpu).withKmAccumulation(false, KernelConfig.ACC_UNROLL);
    KernelConfig split = fused.withKmAccumulation(true, KernelConfig.ACC_UNROLL);
    // d = 32, k = 160 (192 padded): beside the fused kernel's tile and masks (24.5 KB), its
    // statistics (21.3 KB) leave no room for a step of centres, so they go to global memory and
    // the centres come in tiles; the split kernel's tile (21 KB) leaves room for all 192 (24.8 KB).
    LocalPlan f = LocalPlan.forGemm(gpu, fused, 160, 32, true);
    LocalPlan s = LocalPlan.forGemm(gpu, split, 160, 32, false);
    assertEquals(new LocalPlan(128, false), f, "fused: statistics global, centres in tiles");
    assertEquals(new LocalPlan(192, false), s, "split: every centre local, no statistics");
    // Masks and places: one word per 32 rows and cluster, the row stride made odd (33, 17, 5).
    assertEquals(8192 + 8L * 64 * 33 + 4 * 65, LocalPlan.accumulateBytes(64, 1024), "k = 64: 25.3 KB");
    assertEquals(4096 + 8L * 64 * 17 + 4 * 65, LocalPlan.accumulateBytes(64, 512), "half the rows");
    assertEquals(8L * 100 + 8L * 3 * 5 + 4 * 4, LocalPlan.accumulateBytes(3, 100), "a part word");
    assertEquals(8L * 96 + 8L * 3 * 3 + 4 * 4, LocalPlan.accumulateBytes(3, 96), "an odd number of words stays");
    assertEquals(1024, LocalPlan.accumulateChunk(gpu, 64, 1024), "the group's rows at once");
    assertEquals(100, LocalPlan.accumulateChunk(gpu, 64, 100), "a small group at once");
    assertEquals(1024, LocalPlan.accumulateChunk(gpu, 64, 4096), "groups doubled for n: chunks of 1024");
    assertEquals(1024, LocalPlan.accumulateChunk(gpu, 149, 1024), "48 128 bytes fit 48 KB less the margin");
    assertEquals(512, LocalPlan.accumulateChunk(gpu, 150, 1024), "48 396 bytes do not: chunks of 512");
    assertEquals(256, LocalPlan.accumulateChunk(gpu, 606, 1024), "48 108 bytes in chunks of 256");
    assertEquals(0, LocalPlan.accumulateChunk(gpu, 607, 1024), "not even 256 rows: the fused kernel");
  }

  /**
   * Rows too wide for the GPU default's tile of 128 points and step of 64 centres in 48 KB get a
   * narrower register-tiled shape instead of the scan kernel: d = 64 two points per work-item,
   * d = 96 two points and 8 centres per step, d = 128 eight work-items per point and 8 centres per
   * step; d = 256 fits no shape and keeps
   * the configured one (the scan kernel runs). A shape that fits is kept, and CPUs are untouched.
   */
  @Test
  void wideRowsNarrowTheRegisterTiledShapeUntilItFits() {
    ClDeviceInfo gpu = device(48 << 10);
    KernelConfig defaults = KernelConfig.defaultsFor(gpu);
    int[][] expected = {{32, 4, 4, 2}, {48, 4, 4, 2}, {64, 4, 2, 2}, {96, 4, 2, 1}, {128, 8, 1, 1}, {256, 4, 4, 2}};
    for (int[] e : expected) {
      KernelConfig c = defaults.forData(e[0], gpu);
      String what = "d=" + e[0] + ": " + c;
      assertEquals(e[1], c.kmGroups(), what);
      assertEquals(e[2], c.pointsPerItem(), what);
      assertEquals(e[3], c.centreVecs(), what);
      assertEquals(e[0] != 256, LocalPlan.gemmFits(gpu, c, e[0]), what);
      assertEquals(c, c.forData(e[0], gpu), what + ": resolving twice changes nothing");
    }
    assertFalse(LocalPlan.gemmFits(gpu, defaults, 64), "the default shape does not fit d = 64");
    KernelConfig fused = defaults.withKmAccumulation(false, KernelConfig.ACC_UNROLL);
    assertTrue(LocalPlan.gemmFits(gpu, fused.forData(128, gpu), 128), "the fused variant gets a shape that fits too");
    KernelConfig cpu = new KernelConfig(1, 2, 4, 512, 0, 0, 8);
    assertEquals(0, cpu.forData(128, gpu).kmGroups(), "no register-tiled kernel, nothing to narrow");
  }
}
