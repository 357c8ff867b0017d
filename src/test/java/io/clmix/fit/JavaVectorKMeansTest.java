package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/**
 * K-means against scikit-learn on the Java engine with its vector kernels for every pass and
 * k-means++ step: the fixtures are small, and by default they run the plain loops
 * ({@code DistanceKernels.SMALL_PASS}).
 */
class JavaVectorKMeansTest extends KMeansContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2, true, false);
  }
}
