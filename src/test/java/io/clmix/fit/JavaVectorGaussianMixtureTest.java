package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/**
 * Gaussian mixtures against scikit-learn on the Java engine with its vector kernels for every
 * pass: the fixtures are small, and by default their passes run the plain double loops
 * ({@code GaussianPass.SMALL_PASS}), so without this the float screen and the double evaluation
 * of the kept pairs would meet the reference fixtures nowhere.
 */
class JavaVectorGaussianMixtureTest extends GaussianMixtureContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2, true, false);
  }

  @Override
  protected double lowerBoundTolerance() {
    return 1e-6;
  }
}
