package io.clmix.model;

import io.clmix.engine.Engine;
import io.clmix.engine.opencl.OpenClTestSupport;

/** Rows beyond float32's reach, on the OpenCL device (skipped where there is none). */
class OpenClFiniteRowsTest extends FiniteRowsContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClTestSupport.requireEngine();
  }
}
