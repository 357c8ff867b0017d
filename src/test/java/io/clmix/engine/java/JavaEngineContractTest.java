package io.clmix.engine.java;

import io.clmix.engine.Engine;
import io.clmix.engine.EngineContractTest;

/** The engine contract on the Java engine, with three threads so slabs really run in parallel. */
class JavaEngineContractTest extends EngineContractTest {
  @Override
  protected Engine createEngine() {
    return new JavaEngine(3);
  }
}
