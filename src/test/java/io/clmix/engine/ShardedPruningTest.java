package io.clmix.engine;

import io.clmix.engine.java.JavaEngine;
import java.util.List;

/** Pruning inside the shards of a sharded engine gives the bits of unpruned shards. */
class ShardedPruningTest extends PruningContractTest {
  @Override
  protected Engine createEngine(boolean pruning) {
    return new ShardedEngine(List.of(new JavaEngine(1, pruning), new JavaEngine(2, pruning), new JavaEngine(1, pruning)));
  }
}
