package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.OpenClTestSupport;

/**
 * Numerical stress on the OpenCL device, guarded as auto mode guards it: K-means must run on
 * the device (the contract checks that nothing fell back); a mixture pass that failed on the
 * device would continue on the Java engine (none does on PoCL: the suite also passes on the raw
 * engine).
 */
class OpenClNumericalStressTest extends NumericalStressContractTest {
  @Override
  protected Engine createEngine() {
    return FallbackEngine.withBackup(OpenClTestSupport.requireEngine(), () -> new JavaEngine(2));
  }
}
