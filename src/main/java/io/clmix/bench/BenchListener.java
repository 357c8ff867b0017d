package io.clmix.bench;

/**
 * Observes a benchmark as it runs, for progress output. Called on the benchmark's thread; must
 * be quick and must not throw. Every device makes {@code repeats + 1} runs: run 0 is the
 * warm-up.
 */
public interface BenchListener {
  /** A listener that ignores everything. */
  BenchListener NONE = new BenchListener() {};

  /** Device {@code index} (0-based) of {@code count} starts. */
  default void deviceStarted(String device, int index, int count) {}

  /** Run {@code run} (0 = warm-up) of {@code runs} on {@code device} finished. */
  default void runDone(String device, int run, int runs) {}

  /**
   * A device finished.
   *
   * @param secondsPerIteration the median seconds per iteration, NaN when it failed
   * @param error why it failed, or null
   */
  default void deviceDone(String device, double secondsPerIteration, String error) {}
}
