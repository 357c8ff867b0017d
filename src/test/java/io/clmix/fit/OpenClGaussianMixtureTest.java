package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.opencl.OpenClTestSupport;

/**
 * Gaussian mixtures against scikit-learn on the OpenCL device (float32 E-steps with double
 * partial sums across work-groups), skipped without a device unless {@code CLMIX_REQUIRE_OPENCL=1}.
 */
class OpenClGaussianMixtureTest extends GaussianMixtureContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClTestSupport.requireEngine();
  }

  @Override
  protected double lowerBoundTolerance() {
    return 1e-4;
  }
}
