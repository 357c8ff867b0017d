package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/** K-means as classification EM, on the Java engine. */
class JavaClassificationEmTest extends ClassificationEmContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2);
  }
}
