package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;

/**
 * The pruned form of the fused register-tiled kernel ({@code KG_PRUNE} with {@code KG_FUSED}),
 * whose kept rows enter the tile's statistics from the bound test: the unpruned kernel's bits.
 * Groups of 64 work-items, two per group of four points: 128-point tiles, so each work-item
 * holds two of a tile's points in steps P and 4 (a `continue` there once made PoCL skip the
 * second).
 */
class OpenClFusedGemmPruningTest extends PruningContractTest {
  @Override
  protected Engine createEngine(boolean pruning) {
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
    KernelConfig c = KernelConfig.defaultsFor(gpu).withOverrides("wg=64,ppi=4,kg=2,tiles=3,kacc=fused");
    return OpenClEngine.create(gpu, c.withPruning(pruning));
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    OpenClSession s = (OpenClSession) session;
    assertTrue(!s.pruning() || s.prunedGemmPasses() > 0, what + ": the pruned register-tiled kernel ran");
    assertEquals(0, s.splitPasses(), what + ": the fused kernel");
  }
}
