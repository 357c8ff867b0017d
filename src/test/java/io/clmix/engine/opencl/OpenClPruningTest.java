package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;

/** The pruned Lloyd kernel ({@code kmeans_pruned.cl}) against the scan kernel, CPU defaults. */
class OpenClPruningTest extends PruningContractTest {
  @Override
  protected Engine createEngine(boolean pruning) {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    return OpenClEngine.create(device, KernelConfig.defaultsFor(device).withPruning(pruning));
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    OpenClSession s = (OpenClSession) session;
    assertTrue(s.pruning() == OpenClTestSupport.requireDevice().fp64(), what + ": pruning wherever the device has fp64");
    assertTrue(!s.pruning() || s.prunedPasses() > 0, what + ": the pruned kernel ran");
  }
}
