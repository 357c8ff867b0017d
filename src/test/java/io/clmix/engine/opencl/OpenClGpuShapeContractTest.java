package io.clmix.engine.opencl;

import io.clmix.engine.Engine;
import io.clmix.engine.EngineContractTest;

/**
 * The engine contract with the GPU defaults (register-tiled Lloyd kernel, mixture kernels with
 * one point per work-item and staged parameters) on the test device described as a GPU with
 * 48 KB of local memory, so CI on PoCL runs the kernels and plans a GPU gets.
 */
class OpenClGpuShapeContractTest extends EngineContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClEngine.create(OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10));
  }
}
