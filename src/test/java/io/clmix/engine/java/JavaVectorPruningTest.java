package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PruningContractTest;

/**
 * Pruned and unpruned Java engines give the same bits with the vector kernels in every pass: the
 * contract's data are small, and by default their passes run the plain loops
 * ({@code DistanceKernels.SMALL_PASS}), so without this the vector search and its pruned path
 * would meet the contract nowhere.
 */
class JavaVectorPruningTest extends PruningContractTest {

  @Override
  protected Engine createEngine(boolean pruning) {
    return new JavaEngine(pruning ? 3 : 1, pruning, false);
  }

  @Override
  protected void checkPruned(DataSession session, String what) {
    LloydPass pass = ((JavaSession) session).lloyd();
    assertTrue(pass.pruning(), what + ": the session prunes");
    assertTrue(pass.vectorLoops(), what + ": the pass runs the vector kernels");
    assertTrue(pass.kept() > 0, what + ": the bounds kept some labels (" + pass.searched() + " searched)");
  }
}
