package io.clmix.fit;

/**
 * Observes a fit as it runs: progress bars, logs, early inspection. Called on the fitting
 * thread; must be quick and must not throw.
 */
public interface FitListener {
  /** A listener that ignores everything. */
  FitListener NONE = new FitListener() {};

  /** Run {@code run} of {@code runs} starts (restarts, nInit). */
  default void runStarted(int run, int runs) {}

  /** An iteration finished. */
  default void iterationDone(IterationStats stats) {}

  /** Run {@code run} finished with this objective (inertia or lower bound). */
  default void runDone(int run, double objective, int iterations, boolean converged) {}
}
