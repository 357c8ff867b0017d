package io.clmix.model;

import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;

/** Rows beyond float32's reach, on the Java engine. */
class JavaFiniteRowsTest extends FiniteRowsContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(1);
  }
}
