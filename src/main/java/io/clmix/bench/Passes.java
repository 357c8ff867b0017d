package io.clmix.bench;

import io.clmix.engine.DataSession;

/** One run of a workload on a session: a fixed number of timed iterations from the fixed start. */
interface Passes {

  /**
   * What one run measured.
   *
   * @param iterationSeconds wall-clock seconds of each iteration (the pass and the host update)
   * @param objective the final inertia (K-means) or lower bound (mixture)
   */
  record RunResult(double[] iterationSeconds, double objective) {}

  /** Runs every iteration from the start on {@code session}. */
  RunResult run(DataSession session);
}
