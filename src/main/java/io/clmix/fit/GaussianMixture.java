package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineSelector;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Gaussian mixtures fitted by expectation-maximisation, on any {@link Engine}. Immutable:
 * each setter returns a new estimator, and checks its value at once: one out of range is an
 * {@link InputException} naming the parameter and what it accepts ({@link GaussianMixtureOptions}).
 *
 * <pre>{@code
 * GaussianMixtureResult r = GaussianMixture.k(3).covariance(CovarianceType.DIAG).nInit(4).fit(data);
 * double[][] proba = r.model().predictProba(data, engine);
 * }</pre>
 *
 * <p>The E-step (component log-densities through the precision Cholesky factors, log-sum-exp,
 * responsibility-weighted statistics) runs on the engine; the M-step (weights, means,
 * covariances, regCovar, Cholesky factors) runs here in double precision with EJML. Sample
 * weights give weighted EM, which scikit-learn's GaussianMixture lacks. All randomness flows
 * from {@link #seed(long)} as in {@link KMeans}.
 *
 * <p>K-means is the special case with hard responsibilities and one shared identity
 * covariance; {@code docs/math.md} derives it, and the default initialisation is one K-means
 * run followed by a classification E-step.
 *
 * <p>References: A. P. Dempster, N. M. Laird and D. B. Rubin, "Maximum likelihood from
 * incomplete data via the EM algorithm", JRSS B 39(1), 1977; C. M. Bishop, "Pattern Recognition
 * and Machine Learning", Springer 2006, chapter 9; scikit-learn's {@code GaussianMixture},
 * whose names, defaults and convergence rule this class follows.
 */
public final class GaussianMixture {
  private final GaussianMixtureOptions o;
  private final FitListener listener;
  private final boolean keepLabels;

  private GaussianMixture(GaussianMixtureOptions options, FitListener listener) {
    this(options, listener, true);
  }

  private GaussianMixture(GaussianMixtureOptions options, FitListener listener, boolean keepLabels) {
    this.o = options;
    this.listener = listener;
    this.keepLabels = keepLabels;
  }

  /** This estimator with other options, keeping its listener and {@link #keepLabels} setting. */
  private GaussianMixture copy(GaussianMixtureOptions options) {
    return new GaussianMixture(options, listener, keepLabels);
  }

  /**
   * An estimator for {@code k} components with every other option at its default.
   *
   * @throws InputException when {@code k} is below 1
   */
  public static GaussianMixture k(int k) {
    return new GaussianMixture(GaussianMixtureOptions.defaults(k), FitListener.NONE);
  }

  /** An estimator with the given options. */
  public static GaussianMixture with(GaussianMixtureOptions options) {
    return new GaussianMixture(InputException.required(options, "options", "the estimator's options"), FitListener.NONE);
  }

  public GaussianMixtureOptions options() {
    return o;
  }

  public GaussianMixture covariance(CovarianceType t) {
    return copy(new GaussianMixtureOptions(o.k(), t, o.tol(), o.regCovar(), o.maxIter(), o.nInit(), o.init(),
        o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  public GaussianMixture tol(double tol) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), tol, o.regCovar(), o.maxIter(), o.nInit(),
        o.init(), o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  public GaussianMixture regCovar(double regCovar) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), regCovar, o.maxIter(), o.nInit(),
        o.init(), o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  public GaussianMixture maxIter(int maxIter) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), maxIter, o.nInit(),
        o.init(), o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  public GaussianMixture nInit(int nInit) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), nInit,
        o.init(), o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  public GaussianMixture init(GmmInit init) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), o.nInit(),
        init, o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  /** Initial weights (k, summing to 1). */
  public GaussianMixture weightsInit(double[] weights) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), o.nInit(),
        o.init(), weights, o.meansInit(), o.precisionsInit(), o.warmStart(), o.seed()));
  }

  /** Initial means (k x d, in the data's own coordinates). */
  public GaussianMixture meansInit(double[][] means) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), o.nInit(),
        o.init(), o.weightsInit(), means, o.precisionsInit(), o.warmStart(), o.seed()));
  }

  /** Initial precision matrices, flat in the covariance type's layout. */
  public GaussianMixture precisionsInit(double[] precisions) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), o.nInit(),
        o.init(), o.weightsInit(), o.meansInit(), precisions, o.warmStart(), o.seed()));
  }

  /**
   * Continue from a fitted model's parameters (scikit-learn's warm_start), in one run; null for
   * none. The model must have this estimator's k and covariance type, so set
   * {@link #covariance} first.
   *
   * @throws InputException when the model's k or covariance type differs from this estimator's
   */
  public GaussianMixture warmStart(GaussianMixtureModel model) {
    if (model != null && (model.k() != o.k() || model.covarianceType() != o.covarianceType())) {
      // Said here rather than by the options, whose message cannot tell that the covariance a
      // caller means to set comes later in the chain: each setter checks the options it makes.
      String type = model.covarianceType().name();
      String fix = model.k() != o.k()
          ? "use GaussianMixture.k(" + model.k() + ")" + (model.covarianceType() != o.covarianceType()
              ? ".covariance(" + type + ")" : "")
          : "set covariance(" + type + ") before warmStart";
      throw new InputException("warmStart: the model has " + model.k() + " " + model.covarianceType().id()
          + " components but this estimator asks for " + o.k() + " " + o.covarianceType().id() + "; " + fix);
    }
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), o.nInit(),
        o.init(), o.weightsInit(), o.meansInit(), o.precisionsInit(), model, o.seed()));
  }

  public GaussianMixture seed(long seed) {
    return copy(new GaussianMixtureOptions(o.k(), o.covarianceType(), o.tol(), o.regCovar(), o.maxIter(), o.nInit(),
        o.init(), o.weightsInit(), o.meansInit(), o.precisionsInit(), o.warmStart(), seed));
  }

  /** Observe iterations as they happen. */
  public GaussianMixture listener(FitListener l) {
    return new GaussianMixture(o, l == null ? FitListener.NONE : l, keepLabels);
  }

  /**
   * Whether fits keep the labels of the training rows (the default; they cost a final labelling
   * pass and 4 bytes per row of heap). Without them {@link GaussianMixtureResult#labels()}
   * throws, and the labels of a large data set can be streamed into a file by
   * {@code model().pointwise}, as {@code clmix fit --labels-out} does.
   */
  public GaussianMixture keepLabels(boolean keep) {
    return new GaussianMixture(o, listener, keep);
  }

  /**
   * Fits on the automatically chosen engine (an OpenCL GPU when there is one, else Java),
   * created and closed for this fit; the report says which, and why if it fell back.
   *
   * @return the best run's model, the total log-likelihood under it, the labels of the rows
   *     (unless {@link #keepLabels}(false)) and the report
   * @throws InputException (an {@link IllegalArgumentException}) for null arguments, fewer rows than
   *     {@code k}, initial values that do not fit the data, data whose spread float32 cannot hold, or
   *     a covariance that is not positive definite even with {@code regCovar}
   */
  public GaussianMixtureResult fit(Dataset data) {
    try (EngineSelector.Selection sel = EngineSelector.select("auto")) {
      GaussianMixtureResult r = fit(data, sel.engine());
      return sel.fallback() == null ? r : r.withReport(r.report().withFallback(sel.fallback()));
    }
  }

  /**
   * Fits on {@code engine}, uploading the data once for all restarts; the engine stays open.
   *
   * @return as {@link #fit(Dataset)}
   * @throws InputException (an {@link IllegalArgumentException}) for null arguments, fewer rows than
   *     {@code k}, initial values that do not fit the data, data whose spread float32 cannot hold, a
   *     covariance that is not positive definite even with {@code regCovar}, or a
   *     device {@link EngineSelector#select named} that fails
   * @throws IllegalStateException when the engine is closed, before or during the fit
   */
  public GaussianMixtureResult fit(Dataset data, Engine engine) {
    validate(data);
    Engine.required(engine);
    try (DataSession session = engine.open(data)) {
      return fit(session);
    }
  }

  /**
   * Fits on data already resident in {@code session}, which stays open.
   *
   * @return as {@link #fit(Dataset)}
   * @throws InputException (an {@link IllegalArgumentException}) for null arguments, fewer rows than
   *     {@code k}, initial values that do not fit the data, data whose spread float32 cannot hold, a
   *     covariance that is not positive definite even with {@code regCovar}, or a
   *     device {@link EngineSelector#select named} that fails
   * @throws IllegalStateException when the session or its engine is closed, before or during the fit
   */
  public GaussianMixtureResult fit(DataSession session) {
    Dataset data = DataSession.required(session).data();
    validate(data);
    long t0 = System.nanoTime();
    int runs = o.warmStart() != null ? 1 : o.nInit();
    SplittableRandom master = new SplittableRandom(o.seed());
    List<IterationStats> log = new ArrayList<>();
    EmRun.Outcome best = null;
    int bestRun = -1;
    for (int r = 0; r < runs; r++) {
      SplittableRandom rng = master.split();
      listener.runStarted(r, runs);
      GmmParams start = GmmStart.initial(o, session, rng);
      EmRun.Outcome out = new EmRun(session, o, r, listener, log).run(start);
      listener.runDone(r, out.lowerBound(), out.iterations(), out.converged());
      // Higher by more than rounding wins, so the earliest of equal runs is kept on every engine.
      if (best == null || Restarts.higherLowerBound(out.lowerBound(), best.lowerBound())) {
        best = out;
        bestRun = r;
      }
    }
    GmmParams p = best.params();
    double[][] means = new double[p.k][];
    for (int c = 0; c < p.k; c++) {
      double[] local = new double[p.d];
      System.arraycopy(p.means, c * p.d, local, 0, p.d);
      means[c] = data.toGlobal(local);
    }
    GaussianMixtureModel model = new GaussianMixtureModel(p.type, p.weights, means, p.covariances, best.converged(),
        best.iterations(), best.lowerBound());
    // A final E-step so labels and likelihood agree with the kept parameters (as scikit-learn).
    double total = session.expect(p.toMixtureParams()).objective();
    Labels labels = null;
    if (keepLabels) {
      Labels kept = Labels.zeros(data);
      session.pointwise(p.toMixtureParams(), (chunk, firstRow, rows, lab, values, components) ->
          System.arraycopy(lab, 0, kept.chunk(chunk), 0, rows));
      labels = kept;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    FitReport report = new FitReport(session.engine(), session.fallbackReason(), runs, bestRun, log, seconds);
    return new GaussianMixtureResult(model, labels, total, report);
  }

  private void validate(Dataset data) {
    InputException.required(data, "data", "a data set");
    if (data.rows() < o.k()) {
      throw new InputException("k = " + o.k() + " components need at least " + o.k() + " rows; the data have "
          + data.rows());
    }
    o.checkDimension(data.cols());
    Numerics.checkScale(data);
  }
}
