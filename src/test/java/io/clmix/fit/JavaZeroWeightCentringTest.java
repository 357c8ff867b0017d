package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/** Rows of weight 0 far from the others, on the Java engine. */
class JavaZeroWeightCentringTest extends ZeroWeightCentringContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2);
  }
}
