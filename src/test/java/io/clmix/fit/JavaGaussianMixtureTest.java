package io.clmix.fit;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/** Gaussian mixtures against scikit-learn on the Java engine (double-precision passes). */
class JavaGaussianMixtureTest extends GaussianMixtureContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(2);
  }

  @Override
  protected double lowerBoundTolerance() {
    return 1e-6;
  }
}
