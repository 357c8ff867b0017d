package io.clmix.engine.opencl;

import io.clmix.engine.Engine;
import io.clmix.engine.EngineContractTest;

/**
 * The engine contract on OpenCL with a memory budget (40 KB) smaller than every data set of
 * the suite, so each session streams its rows, and most keep their per-row state on the host.
 */
class OpenClStreamingContractTest extends EngineContractTest {
  @Override
  protected Engine createEngine() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    return OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(40_000));
  }
}
