package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;

/**
 * The pruned Lloyd kernel in a GPU's shape (64 work-items per group sharing the list of rows
 * to scan through a local atomic counter, two points per work-item, statistics columns shared
 * by four work-items, small local memory) against the unpruned scan kernel of the same shape.
 */
class OpenClGpuShapePruningTest extends PruningContractTest {
  @Override
  protected Engine createEngine(boolean pruning) {
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
    return OpenClEngine.create(gpu, new KernelConfig(64, 2, 1, 3, 4, 0, 3).withPruning(pruning));
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    OpenClSession s = (OpenClSession) session;
    assertTrue(s.pruning() == OpenClTestSupport.requireDevice().fp64(), what + ": pruning wherever the device has fp64");
    assertTrue(!s.pruning() || s.prunedPasses() > 0, what + ": the pruned kernel ran");
  }
}
