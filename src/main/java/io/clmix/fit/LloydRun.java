package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.SufficientStats;
import java.util.List;

/**
 * One run of Lloyd's algorithm from given centres: the state of a single restart (ELKI's
 * instance), kept apart from the immutable {@link KMeans} configuration.
 *
 * <p>The loop mirrors scikit-learn's {@code _kmeans_single_lloyd}: assign, update, stop when no
 * label changed (strict convergence) or when the squared centre shift is at most the absolute
 * tolerance; a final assignment makes labels and inertia consistent with the final centres.
 */
final class LloydRun {
  private final DataSession session;
  private final Dataset data;
  private final int k;
  private final int d;
  private final int maxIter;
  private final double absTol;
  private final int runIndex;
  private final FitListener listener;
  private final List<IterationStats> log;

  /** Outcome of a run: local centres, inertia against them, iterations, convergence. */
  record Outcome(double[][] centres, double inertia, int iterations, boolean converged) {}

  LloydRun(DataSession session, int k, int maxIter, double absTol, int runIndex, FitListener listener,
      List<IterationStats> log) {
    this.session = session;
    this.data = session.data();
    this.k = k;
    this.d = data.cols();
    this.maxIter = maxIter;
    this.absTol = absTol;
    this.runIndex = runIndex;
    this.listener = listener;
    this.log = log;
  }

  Outcome run(double[][] initial) {
    double[][] centres = initial;
    boolean converged = false;
    int iter = 0;
    while (iter < maxIter) {
      long t0 = System.nanoTime();
      Centroids sent = Centroids.of(centres);
      SufficientStats st = session.assign(sent);
      if (!Double.isFinite(st.objective())) {
        throw Numerics.notFinite("the inertia", st.objective());
      }
      CentreUpdate update = CentreUpdate.of(st, sent, session);
      double shift = shift(centres, update.centres());
      centres = update.centres();
      iter++;
      IterationStats stats = new IterationStats(runIndex, iter, st.objective(), shift, st.changed(),
          update.repairs(), (System.nanoTime() - t0) / 1e9);
      log.add(stats);
      listener.iterationDone(stats);
      // The first pass compares with whatever labels the session held before this run, so
      // only later passes can converge strictly (scikit-learn starts from labels of -1).
      if ((iter > 1 && st.changed() == 0) || shift <= absTol) {
        converged = true;
        break;
      }
    }
    // Labels and inertia for the final centres (scikit-learn reruns the E-step likewise).
    double inertia = session.assign(Centroids.of(centres)).objective();
    if (!Double.isFinite(inertia)) {
      throw Numerics.notFinite("the inertia", inertia);
    }
    return new Outcome(centres, inertia, iter, converged);
  }

  private double shift(double[][] a, double[][] b) {
    double s = 0;
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        double e = a[c][j] - b[c][j];
        s += e * e;
      }
    }
    return s;
  }
}
