package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/** K-means against scikit-learn on the Java engine. */
class JavaKMeansTest extends KMeansContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2);
  }
}
