package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;

/**
 * The split variant's pruned form (rows that fail listed across a group's tiles) with more
 * points per tile than work-items: groups of 64 work-items, two per group of four points, so
 * each work-item holds two points of every 128-point tile.
 */
class OpenClSplitGemmPruningTwoPointsTest extends PruningContractTest {
  @Override
  protected Engine createEngine(boolean pruning) {
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
    KernelConfig c = KernelConfig.defaultsFor(gpu).withOverrides("wg=64,ppi=4,kg=2,tiles=3,kacc=split");
    return OpenClEngine.create(gpu, c.withPruning(pruning));
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    OpenClSession s = (OpenClSession) session;
    assertTrue(!s.pruning() || s.prunedGemmPasses() > 0, what + ": the pruned register-tiled kernel ran");
    assertTrue(s.splitPasses() > 0, what + ": the split variant");
  }
}
