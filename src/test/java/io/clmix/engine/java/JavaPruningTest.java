package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;

/** Pruned and unpruned Java engines give the same bits; on three threads and on one. */
class JavaPruningTest extends PruningContractTest {

  @Override
  protected Engine createEngine(boolean pruning) {
    // The pruned engine on three threads, the plain one on one: the partition, not the
    // thread count, fixes the bits.
    return new JavaEngine(pruning ? 3 : 1, pruning);
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    LloydPass pass = ((JavaSession) session).lloyd();
    assertTrue(pass.pruning(), what + ": the session prunes");
    assertTrue(pass.kept() > 0, what + ": the bounds kept some labels (" + pass.searched() + " searched)");
  }
}
