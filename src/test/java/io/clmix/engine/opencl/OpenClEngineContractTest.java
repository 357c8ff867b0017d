package io.clmix.engine.opencl;

import io.clmix.engine.Engine;
import io.clmix.engine.EngineContractTest;

/**
 * The engine contract on OpenCL, on the device {@link OpenClTestSupport} picks (skipped without
 * one unless {@code CLMIX_REQUIRE_OPENCL=1}).
 */
class OpenClEngineContractTest extends EngineContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClTestSupport.requireEngine();
  }
}
