package io.clmix.engine;

import io.clmix.engine.java.JavaEngine;
import java.util.List;

/** The engine contract on three Java engines sharing the data's chunks. */
class ShardedEngineContractTest extends EngineContractTest {
  @Override
  protected Engine createEngine() {
    return new ShardedEngine(List.of(new JavaEngine(1), new JavaEngine(2), new JavaEngine(1)));
  }
}
