package io.clmix.bench;

import io.clmix.engine.DataSession;
import io.clmix.fit.FitListener;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.IterationStats;

/**
 * Exactly {@code iterations} EM iterations of {@link GaussianMixture} from the workload's start
 * ({@link Workload#mixtureOptions}): the library's own fit, with {@code tol = 0} so that it runs
 * {@code maxIter} iterations.
 *
 * <p>Iteration times come from the fit's own {@link IterationStats} (the E-step pass and the
 * M-step on the host); the fit's final E-step and labels pass are not timed.
 */
final class EmPasses implements Passes {
  private final GaussianMixture estimator;
  private final int iterations;

  EmPasses(Workload w) {
    this.iterations = w.spec().iterations();
    this.estimator = GaussianMixture.with(w.mixtureOptions(iterations));
  }

  @Override
  public RunResult run(DataSession session) {
    double[] seconds = new double[iterations];
    int[] count = {0};
    FitListener timer = new FitListener() {
      @Override
      public void iterationDone(IterationStats stats) {
        if (count[0] < seconds.length) {
          seconds[count[0]] = stats.seconds();
        }
        count[0]++;
      }
    };
    double lowerBound = estimator.listener(timer).fit(session).model().lowerBound();
    if (count[0] != iterations) {
      throw new IllegalStateException("the mixture ran " + count[0] + " iterations; the benchmark needs " + iterations);
    }
    return new RunResult(seconds, lowerBound);
  }
}
