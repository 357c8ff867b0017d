package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.opencl.OpenClTestSupport;

/** Rows of weight 0 far from the others, on the OpenCL device (skipped where there is none). */
class OpenClZeroWeightCentringTest extends ZeroWeightCentringContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClTestSupport.requireEngine();
  }
}
