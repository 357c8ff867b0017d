package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.opencl.OpenClEngine;
import io.clmix.engine.opencl.OpenClTestSupport;

/**
 * Gaussian mixtures against scikit-learn with the GPU defaults (one point per work-item, two
 * per work-item jointly, staged parameter tiles, masked statistics jobs) on the test device
 * described as a GPU with 48 KB of local memory: the GPU kernels' numerics at the level of fits.
 */
class OpenClGpuShapeGaussianMixtureTest extends GaussianMixtureContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClEngine.create(OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10));
  }

  @Override
  protected double lowerBoundTolerance() {
    return 1e-4;
  }
}
