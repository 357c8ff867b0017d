package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.opencl.OpenClTestSupport;

/** K-means as classification EM on the OpenCL device: hard E-steps against the Lloyd pass. */
class OpenClClassificationEmTest extends ClassificationEmContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClTestSupport.requireEngine();
  }

  /** Float32 statistics of two different passes: the centres agree to float resolution. */
  @Override
  protected double centreTolerance() {
    return 1e-5;
  }
}
