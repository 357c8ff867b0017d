package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;
import org.junit.jupiter.api.Test;

/**
 * The register-tiled Lloyd kernel's pruned form ({@code KG_PRUNE}, the split variant: the GPU
 * default) against its unpruned form, in the GPU's default shape on a pretend GPU: the same
 * bits, labels and fits. The contract's data make tiles where every row keeps its label, tiles
 * where a few rows are scored one per work-item, and tiles that take the whole scoring.
 */
class OpenClGemmPruningTest extends PruningContractTest {
  @Override
  protected Engine createEngine(boolean pruning) {
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
    return OpenClEngine.create(gpu, KernelConfig.defaultsFor(gpu).withPruning(pruning));
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    OpenClSession s = (OpenClSession) session;
    assertTrue(s.pruning() == OpenClTestSupport.requireDevice().fp64(), what + ": pruning wherever the device has fp64");
    assertTrue(!s.pruning() || s.prunedGemmPasses() > 0, what + ": the pruned register-tiled kernel ran");
    assertEquals(0, s.prunedPasses(), what + ": not the pruned scan kernel");
  }

  /**
   * k = 320 at d = 32: the centres no longer fit local memory with the tile, so each scoring
   * (and each row's bound test) streams them through it in tiles, and the exact distances read
   * the centres from global memory.
   */
  @Test
  void centresInTilesGiveTheSameBits() {
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
    KernelConfig c = KernelConfig.defaultsFor(gpu).withPruning(true).forData(32, gpu);
    int k = 320;
    LocalPlan plan = LocalPlan.forGemm(gpu, c, k, 32, false, true);
    assertTrue(plan != null && plan.tileK() < CentreBuffers.padded(k, c.paddingStep()),
        "the centres are scored in tiles: " + plan);
    Dataset data = Blobs.of(6_000, 32, 40, 5).generate(2_000);
    lockstep(data, startRows(data, k, 3), 8, "k=320, centres in tiles");
  }
}
