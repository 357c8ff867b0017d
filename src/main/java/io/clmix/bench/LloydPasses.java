package io.clmix.bench;

import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.fit.CentreUpdate;

/**
 * Exactly {@code iterations} Lloyd iterations through the engine seam, with no convergence test:
 * {@link io.clmix.fit.KMeans} stops when no label changes, which would end a benchmark early on
 * well-separated blobs. Each iteration is one {@link DataSession#assign} pass and the library's
 * own centre update ({@link CentreUpdate}, empty clusters re-seeded as scikit-learn does), so
 * the centres follow the library's, and scikit-learn's, Lloyd iterations exactly.
 *
 * <p>The final inertia is that of the final centres, from one more (untimed) pass, as
 * scikit-learn's {@code inertia_} after {@code max_iter} iterations.
 */
final class LloydPasses implements Passes {
  private final double[][] start;
  private final int iterations;

  LloydPasses(double[][] start, int iterations) {
    this.start = start;
    this.iterations = iterations;
  }

  @Override
  public RunResult run(DataSession session) {
    double[][] centres = start;
    double[] seconds = new double[iterations];
    for (int it = 0; it < iterations; it++) {
      long t0 = System.nanoTime();
      Centroids sent = Centroids.of(centres);
      centres = CentreUpdate.of(session.assign(sent), sent, session).centres();
      seconds[it] = (System.nanoTime() - t0) / 1e9;
    }
    return new RunResult(seconds, session.assign(Centroids.of(centres)).objective());
  }
}
