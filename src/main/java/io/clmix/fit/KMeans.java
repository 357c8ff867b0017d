package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineSelector;
import io.clmix.model.KMeansModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * K-means clustering by Lloyd's algorithm, on any {@link Engine}. Immutable: each setter
 * returns a new estimator, and checks its value at once: one out of range is an
 * {@link InputException} naming the parameter and what it accepts ({@link KMeansOptions}).
 *
 * <pre>{@code
 * KMeansResult r = KMeans.k(8).seed(1).nInit(4).fit(data);
 * int[] labels = r.labels().toArray();
 * double[][] centres = r.model().clusterCenters();
 * }</pre>
 *
 * <p>K-means is the Gaussian mixture whose components have equal weights, share one identity
 * covariance, and whose responsibilities are hard: assigning each point to its nearest centre maximises that model's
 * likelihood, and moving each centre to its points' mean is the M-step. Both therefore run on
 * the same engine seam ({@link DataSession}); see {@code docs/math.md}.
 *
 * <p>Data that hold fewer distinct points (of positive weight) than k give a model some of
 * whose centres coincide, as scikit-learn's do (it warns); {@link KMeansModel#distinctCenters()}
 * says how many clusters are really there.
 *
 * <p>All randomness flows from {@link #seed(long)}: restart r draws from the r-th generator split
 * off a {@link SplittableRandom} seeded with it, so the same seed on the same engine gives the
 * same result.
 *
 * <p>References: S. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2),
 * 1982; D. Arthur and S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA
 * 2007; scikit-learn's {@code KMeans} (Pedregosa et al., JMLR 12, 2011), whose parameter names,
 * defaults and convergence rules this class follows.
 */
public final class KMeans {
  private final KMeansOptions options;
  private final FitListener listener;
  private final boolean keepLabels;

  private KMeans(KMeansOptions options, FitListener listener) {
    this(options, listener, true);
  }

  private KMeans(KMeansOptions options, FitListener listener, boolean keepLabels) {
    this.options = options;
    this.listener = listener;
    this.keepLabels = keepLabels;
  }

  /**
   * An estimator for {@code k} clusters with every other option at its default.
   *
   * @throws InputException when {@code k} is below 1
   */
  public static KMeans k(int k) {
    return new KMeans(KMeansOptions.defaults(k), FitListener.NONE);
  }

  /** An estimator with the given options. */
  public static KMeans with(KMeansOptions options) {
    return new KMeans(InputException.required(options, "options", "the estimator's options"), FitListener.NONE);
  }

  public KMeansOptions options() {
    return options;
  }

  public KMeans init(KMeansInit init) {
    return new KMeans(options.withInit(init), listener, keepLabels);
  }

  public KMeans nInit(int nInit) {
    return new KMeans(options.withNInit(nInit), listener, keepLabels);
  }

  public KMeans maxIter(int maxIter) {
    return new KMeans(options.withMaxIter(maxIter), listener, keepLabels);
  }

  public KMeans tol(double tol) {
    return new KMeans(options.withTol(tol), listener, keepLabels);
  }

  public KMeans seed(long seed) {
    return new KMeans(options.withSeed(seed), listener, keepLabels);
  }

  /** Observe iterations as they happen (progress bars, logs). */
  public KMeans listener(FitListener listener) {
    return new KMeans(options, listener == null ? FitListener.NONE : listener, keepLabels);
  }

  /**
   * Whether fits keep the labels of the training rows (the default). Without them a fit needs no
   * host memory per row on an OpenCL engine (a device holds its labels itself, unless the data
   * stream through it and their per-row state does not fit beside them); the labels of a
   * large data set can then be streamed into a file by {@code model().transform}, as
   * {@code clmix fit --labels-out} does. {@link KMeansResult#labels()} then throws.
   */
  public KMeans keepLabels(boolean keep) {
    return new KMeans(options, listener, keep);
  }

  /**
   * Fits on the automatically chosen engine (an OpenCL GPU when there is one, else the Java
   * engine), created and closed for this fit; the report says which, and why if it fell back.
   *
   * @return the best run's model, the labels of the rows (unless {@link #keepLabels}(false)) and the report
   * @throws InputException (an {@link IllegalArgumentException}) for null arguments, fewer rows than
   *     {@code k}, initial values that do not fit the data, or data whose spread float32 cannot hold
   */
  public KMeansResult fit(Dataset data) {
    try (EngineSelector.Selection sel = EngineSelector.select("auto")) {
      KMeansResult r = fit(data, sel.engine());
      return sel.fallback() == null ? r : r.withReport(r.report().withFallback(sel.fallback()));
    }
  }

  /**
   * Fits on {@code engine}, uploading the data once for all restarts; the engine stays open.
   *
   * @return the best run's model, the labels of the rows (unless {@link #keepLabels}(false)) and the report
   * @throws InputException (an {@link IllegalArgumentException}) for null arguments, fewer rows than
   *     {@code k}, initial values that do not fit the data, data whose spread float32 cannot hold, or
   *     a device {@link EngineSelector#select named} that fails
   * @throws IllegalStateException when the engine is closed, before or during the fit
   */
  public KMeansResult fit(Dataset data, Engine engine) {
    validate(data);
    Engine.required(engine);
    try (DataSession session = engine.open(data)) {
      return fit(session);
    }
  }

  /**
   * Fits on data already resident in {@code session}, which stays open.
   *
   * @return as {@link #fit(Dataset, Engine)}
   * @throws InputException (an {@link IllegalArgumentException}) for null arguments, fewer rows than
   *     {@code k}, initial values that do not fit the data, data whose spread float32 cannot hold, or
   *     a device {@link EngineSelector#select named} that fails
   * @throws IllegalStateException when the session or its engine is closed, before or during the fit
   */
  public KMeansResult fit(DataSession session) {
    DataSession.required(session);
    long t0 = System.nanoTime();
    Runs runs = runs(session);
    if (keepLabels && runs.best() != runs.count() - 1) {
      // The session's labels belong to the last run; recompute them for the kept centres
      // (a whole pass, so only when the labels are kept).
      session.assign(io.clmix.engine.Centroids.of(runs.localCentres()));
    }
    // Labels are read before the report is made: reading them is a pass that may fall back too.
    // A copy, because the session's labels change with its next pass (another fit on it).
    Labels labels = keepLabels ? session.labels().copy() : null;
    double seconds = (System.nanoTime() - t0) / 1e9;
    FitReport report = new FitReport(session.engine(), session.fallbackReason(), runs.count(), runs.best(), runs.log(),
        seconds);
    return new KMeansResult(runs.model(), labels, report);
  }

  /**
   * The fitted model alone, without the labels (whose copy is n ints, and on a device a read
   * back): a Gaussian mixture's K-means start needs only the centres.
   */
  KMeansModel fitModel(DataSession session) {
    return runs(session).model();
  }

  /** The outcome of every start: the best one's model (global coordinates) and local centres. */
  private record Runs(KMeansModel model, double[][] localCentres, int best, int count, List<IterationStats> log) {}

  private Runs runs(DataSession session) {
    Dataset data = session.data();
    validate(data);
    int k = options.k();
    int runs = options.init() instanceof KMeansInit.Given ? 1 : options.nInit();
    double absTol = options.tol() * mean(data.weightedColumnVariance());
    SplittableRandom master = new SplittableRandom(options.seed());
    List<IterationStats> log = new ArrayList<>();
    LloydRun.Outcome best = null;
    int bestRun = -1;
    for (int r = 0; r < runs; r++) {
      SplittableRandom rng = master.split();
      listener.runStarted(r, runs);
      double[][] init = Seeding.centres(options.init(), session, k, rng);
      LloydRun.Outcome out = new LloydRun(session, k, options.maxIter(), absTol, r, listener, log).run(init);
      listener.runDone(r, out.inertia(), out.iterations(), out.converged());
      // Lower by more than rounding wins, so the earliest of equal runs is kept on every engine.
      if (best == null || Restarts.lowerInertia(out.inertia(), best.inertia())) {
        best = out;
        bestRun = r;
      }
    }
    double[][] global = new double[k][];
    for (int c = 0; c < k; c++) {
      global[c] = data.toGlobal(best.centres()[c]);
    }
    KMeansModel model = new KMeansModel(global, best.inertia(), best.iterations(), best.converged());
    return new Runs(model, best.centres(), bestRun, runs, log);
  }

  private void validate(Dataset data) {
    InputException.required(data, "data", "a data set");
    if (data.rows() < options.k()) {
      throw new InputException("k = " + options.k() + " clusters need at least " + options.k()
          + " rows; the data have " + data.rows());
    }
    if (options.init() instanceof KMeansInit.Given given && given.centres()[0].length != data.cols()) {
      throw new InputException("init: " + given.source() + " has centres of " + given.centres()[0].length
          + " values but the data have " + data.cols() + (data.cols() == 1 ? " column" : " columns"));
    }
    Numerics.checkScale(data);
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }
}
