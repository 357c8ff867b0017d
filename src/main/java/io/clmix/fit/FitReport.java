package io.clmix.fit;

import io.clmix.engine.EngineInfo;
import java.util.List;

/**
 * How a fit went: where it ran, what each iteration did, and how long it took.
 *
 * @param engine the engine the fit actually ran on (after any fallback)
 * @param fallback why the fit is not on the device that was asked for or preferred, or null
 * @param runs number of restarts (nInit)
 * @param bestRun the restart whose result was kept (0-based)
 * @param iterations every iteration of every run, in order
 * @param seconds wall-clock seconds of the fit alone (no JVM start, no file reading)
 */
public record FitReport(EngineInfo engine, String fallback, int runs, int bestRun, List<IterationStats> iterations,
    double seconds) {
  public FitReport {
    iterations = List.copyOf(iterations);
  }

  /** Total iterations over all runs. */
  public int totalIterations() {
    return iterations.size();
  }

  /** Fit seconds divided by the total number of iterations over all runs (0 when none). */
  public double secondsPerIteration() {
    return iterations.isEmpty() ? 0 : seconds / iterations.size();
  }

  /** The same report with a fallback reason attached (the engine choice happens outside the fit). */
  public FitReport withFallback(String reason) {
    return new FitReport(engine, reason, runs, bestRun, iterations, seconds);
  }
}
