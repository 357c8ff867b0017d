package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/** Numerical stress on the Java engine. */
class JavaNumericalStressTest extends NumericalStressContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2);
  }
}
