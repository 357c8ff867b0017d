package io.clmix.fit;

import io.clmix.engine.DataSession;
import io.clmix.engine.SufficientStats;
import java.util.List;

/**
 * One run of EM from given parameters (the state of one restart). Mirrors scikit-learn's
 * {@code BaseMixture.fit_predict} loop: E-step with the current parameters, M-step, and stop
 * when the per-sample lower bound (the weighted mean log-likelihood of that E-step) changes by
 * less than tol.
 */
final class EmRun {
  private final DataSession session;
  private final GaussianMixtureOptions options;
  private final double totalWeight;
  /** The data's mean sample weight, the unit of {@link MStep#EMPTY_GUARD}. */
  private final double meanWeight;
  private final int runIndex;
  private final FitListener listener;
  private final List<IterationStats> log;

  /** The run's final parameters, the lower bound of its last E-step, iterations, convergence. */
  record Outcome(GmmParams params, double lowerBound, int iterations, boolean converged) {}

  EmRun(DataSession session, GaussianMixtureOptions options, int runIndex, FitListener listener,
      List<IterationStats> log) {
    this.session = session;
    this.options = options;
    this.totalWeight = session.data().totalWeight();
    this.meanWeight = MStep.meanWeight(session.data());
    this.runIndex = runIndex;
    this.listener = listener;
    this.log = log;
  }

  Outcome run(GmmParams start) {
    GmmParams params = start;
    double lowerBound = Double.NEGATIVE_INFINITY;
    boolean converged = false;
    int iter = 0;
    while (iter < options.maxIter()) {
      long t0 = System.nanoTime();
      double previous = lowerBound;
      SufficientStats st = session.expect(params.toMixtureParams());
      if (!Double.isFinite(st.objective())) {
        throw Numerics.notFinite("the log-likelihood", st.objective());
      }
      params = MStep.update(st, params.means, options.covarianceType(), options.regCovar(), meanWeight);
      lowerBound = st.objective() / totalWeight;
      iter++;
      double change = lowerBound - previous;
      IterationStats stats = new IterationStats(runIndex, iter, lowerBound, change, 0, 0,
          (System.nanoTime() - t0) / 1e9);
      log.add(stats);
      listener.iterationDone(stats);
      if (Math.abs(change) < options.tol()) {
        converged = true;
        break;
      }
    }
    return new Outcome(params, lowerBound, iter, converged);
  }
}
