package io.clmix.model;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.java.JavaEngine;
import java.util.SplittableRandom;

/**
 * A fitted Gaussian mixture: weights, means, covariances and precision Cholesky factors, with
 * scikit-learn's attribute names. Immutable, so one model serves any number of threads.
 *
 * <p>Where {@link KMeansModel} says which Voronoi cell a point is in, a mixture says how likely
 * each component is ({@link #predictProba}) and how likely the point is at all
 * ({@link #scoreSamples}).
 *
 * <p>Array layouts (flat, row-major) follow {@link Covariances}: covariances and precision
 * factors are k x d x d (full), d x d (tied), k x d (diag) or k (spherical).
 *
 * <p>Methods that take no {@link Engine} run on a Java engine created for the call; pass an
 * engine to run on a device (it stays open). Every method that takes data refuses null data,
 * and data of another number of columns than {@link #d()}, with an {@link InputException};
 * a row so far from every component that its log-likelihood overflows float32 is a
 * {@link RowOutOfRange} (an InputException) naming the row. A closed engine is an
 * {@link IllegalStateException}.
 *
 * <p>References: A. P. Dempster, N. M. Laird and D. B. Rubin, "Maximum likelihood from
 * incomplete data via the EM algorithm", JRSS B 39(1), 1977; C. M. Bishop, "Pattern Recognition
 * and Machine Learning", Springer 2006, section 9.2; scikit-learn's {@code GaussianMixture}.
 */
public final class GaussianMixtureModel implements Model {
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  private final CovarianceType type;
  private final int k;
  private final int d;
  private final double[] weights;
  private final double[][] means;
  private final double[] covariances;
  private final double[] precisionsCholesky;
  private final double[] logDet;
  private final boolean converged;
  private final int iterations;
  private final double lowerBound;

  /**
   * How far the weights may sum from 1. Each weight written by clmix is exact to a double
   * rounding; a weight rounded to float32 or to 6 significant digits (a model exported from
   * another tool) is off by at most 6e-8 or 5e-7 of itself, so the sum is off by at most that
   * fraction of 1, whatever k. A larger gap would scale every likelihood.
   */
  public static final double WEIGHT_SUM_TOLERANCE = 1e-6;

  /**
   * A model from its parameters; the precision factors are computed from the covariances.
   *
   * @param type covariance type
   * @param weights k mixing weights (non-negative, summing to 1 within rounding)
   * @param means k x d means in the data's own coordinates
   * @param covariances covariances in the layout of {@code type}
   * @param converged whether the fit converged
   * @param iterations EM iterations of the kept run
   * @param lowerBound the kept run's final per-sample lower bound (mean log-likelihood)
   * @throws InputException when shapes disagree or a covariance is not positive definite
   */
  public GaussianMixtureModel(CovarianceType type, double[] weights, double[][] means, double[] covariances,
      boolean converged, int iterations, double lowerBound) {
    if (type == null || weights == null || means == null || covariances == null) {
      throw new InputException("a mixture needs a covariance type, weights, means and covariances; got null");
    }
    this.type = type;
    this.k = weights.length;
    if (k == 0) {
      throw new InputException("a mixture needs at least one component; got no weights");
    }
    if (means.length != k) {
      throw new InputException("a mixture needs as many means as weights (" + k + "), got " + means.length);
    }
    if (means[0] == null || means[0].length == 0) {
      throw new InputException("a mixture needs means of at least one value");
    }
    this.d = means[0].length;
    this.means = new double[k][];
    for (int c = 0; c < k; c++) {
      if (means[c] == null || means[c].length != d) {
        throw new InputException("mean " + c + " has " + (means[c] == null ? "no" : means[c].length) + " values; expected "
            + d);
      }
      for (double v : means[c]) {
        if (!Double.isFinite(v)) {
          throw new InputException("mean " + c + " has a non-finite value " + v + "; a mixture holds finite means"
              + " only (scale the data or remove extreme outliers)");
        }
        if (Math.abs(v) > Float.MAX_VALUE) {
          throw new InputException("mean " + c + " has the value " + v + ", beyond float32's range (3.4e38) in which the"
              + " engines compute; scale the data");
        }
      }
      this.means[c] = means[c].clone();
    }
    if (covariances.length != Covariances.length(type, k, d)) {
      throw new InputException(type.id() + " covariances of " + k + " components in " + d + " dimensions need "
          + Covariances.length(type, k, d) + " values, got " + covariances.length);
    }
    double sum = 0;
    for (double w : weights) {
      if (!(w >= 0) || !Double.isFinite(w)) {
        throw new InputException("weights must be finite and >= 0, got " + w);
      }
      sum += w;
    }
    if (!(Math.abs(sum - 1) <= WEIGHT_SUM_TOLERANCE)) {
      // They are probabilities: scores, samples and saved files all assume so.
      throw new InputException("weights sum to " + sum + "; expected probabilities summing to 1 (within "
          + WEIGHT_SUM_TOLERANCE + ")");
    }
    for (int i = 0; i < covariances.length; i++) {
      if (!Double.isFinite(covariances[i])) {
        // Named here: the symmetry test below would otherwise call a NaN entry "not symmetric".
        throw new InputException("covariance value " + covariances[i] + " at index " + i
            + " is not allowed; covariances must be finite");
      }
    }
    if (type == CovarianceType.FULL || type == CovarianceType.TIED) {
      // The Cholesky factorisation reads one triangle: an asymmetric matrix would be scored as
      // another one while covariances() and the saved file showed it.
      int mats = type == CovarianceType.FULL ? k : 1;
      for (int m = 0; m < mats; m++) {
        for (int i = 0; i < d; i++) {
          for (int j = 0; j < i; j++) {
            double lower = covariances[m * d * d + i * d + j];
            double upper = covariances[m * d * d + j * d + i];
            if (!(Math.abs(upper - lower) <= 1e-8 + 1e-5 * Math.abs(lower))) {
              throw new InputException("the covariance of component " + m + " is not symmetric: entry (" + (j + 1) + ", "
                  + (i + 1) + ") is " + upper + " but entry (" + (i + 1) + ", " + (j + 1) + ") is " + lower);
            }
          }
        }
      }
    }
    this.weights = weights.clone();
    this.covariances = covariances.clone();
    this.precisionsCholesky = Covariances.precisionCholesky(type, this.covariances, k, d);
    for (double u : precisionsCholesky) {
      if (!(Math.abs(u) <= Float.MAX_VALUE)) {
        // The engines screen in float32: a factor beyond its range gives them infinities, and
        // different engines different answers.
        throw new InputException("a covariance is too small for float32 arithmetic (precision factor " + u
            + " beyond 3.4e38); scale the data or raise regCovar");
      }
    }
    this.logDet = Covariances.logDetPrecisionCholesky(type, precisionsCholesky, k, d);
    this.converged = converged;
    this.iterations = iterations;
    if (Double.isNaN(lowerBound) || lowerBound == Double.POSITIVE_INFINITY) {
      throw new InputException("the lower bound is " + lowerBound + "; a fitted mixture has a number there");
    }
    if (iterations < 0) {
      throw new InputException("iterations: " + iterations + " is not allowed; expected an integer >= 0");
    }
    this.lowerBound = lowerBound;
  }

  @Override
  public String algo() {
    return "gmm";
  }

  @Override
  public int k() {
    return k;
  }

  @Override
  public int d() {
    return d;
  }

  public CovarianceType covarianceType() {
    return type;
  }

  /** Mixing weights (scikit-learn's {@code weights_}); a copy. */
  public double[] weights() {
    return weights.clone();
  }

  /** Means, k x d, in the data's own coordinates (scikit-learn's {@code means_}); a copy. */
  public double[][] means() {
    double[][] out = new double[k][];
    for (int c = 0; c < k; c++) {
      out[c] = means[c].clone();
    }
    return out;
  }

  /** Covariances, flat in the layout of the type (scikit-learn's {@code covariances_}); a copy. */
  public double[] covariances() {
    return covariances.clone();
  }

  /** Precision Cholesky factors, flat (scikit-learn's {@code precisions_cholesky_}); a copy. */
  public double[] precisionsCholesky() {
    return precisionsCholesky.clone();
  }

  /**
   * The full d x d covariance of component c, whatever the type.
   *
   * @throws InputException when c is not a component's index, 0 to k - 1 (tied covariances too,
   *     although every component shares one)
   */
  public double[][] covarianceMatrix(int c) {
    if (c < 0 || c >= k()) {
      throw InputException.parameter("c", c, "a component's index, 0 to " + (k() - 1));
    }
    double[][] out = new double[d][d];
    for (int i = 0; i < d; i++) {
      switch (type) {
        case FULL:
          for (int j = 0; j < d; j++) {
            out[i][j] = covariances[c * d * d + i * d + j];
          }
          break;
        case TIED:
          for (int j = 0; j < d; j++) {
            out[i][j] = covariances[i * d + j];
          }
          break;
        case DIAG:
          out[i][i] = covariances[c * d + i];
          break;
        case SPHERICAL:
          out[i][i] = covariances[c];
          break;
        default:
          throw new AssertionError(type);
      }
    }
    return out;
  }

  public boolean converged() {
    return converged;
  }

  public int iterations() {
    return iterations;
  }

  /** The kept run's final lower bound on the per-sample log-likelihood (scikit-learn's {@code lower_bound_}). */
  public double lowerBound() {
    return lowerBound;
  }

  /**
   * The parameters in {@code data}'s local coordinates, as an engine takes them; the caller's
   * own arrays.
   *
   * @throws InputException when {@code data} is null or has another number of columns than the model
   */
  public MixtureParams paramsFor(Dataset data) {
    if (data == null) {
      throw new InputException("data: null is not allowed; expected a data set of " + d + " columns");
    }
    if (data.cols() != d) {
      throw new InputException("the model has " + d + (d == 1 ? " feature" : " features") + " but the data have "
          + data.cols() + (data.cols() == 1 ? " column" : " columns"));
    }
    double[] local = new double[k * d];
    for (int c = 0; c < k; c++) {
      System.arraycopy(data.toLocal(means[c]), 0, local, c * d, d);
    }
    // A copy of the factors: MixtureParams, a record, hands out its arrays, and this model is
    // immutable (shared by threads, saved with factors that must agree with its covariances).
    return new MixtureParams(k, d, type, local, precisionsCholesky.clone(), logNorm(weights, logDet, d));
  }

  /** {@code log weight_k + log det U_k - d/2 log 2 pi}, the constant part of each component's log-density. */
  public static double[] logNorm(double[] weights, double[] logDet, int d) {
    double[] out = new double[weights.length];
    for (int c = 0; c < out.length; c++) {
      out[c] = Math.log(weights[c]) + logDet[c] - 0.5 * d * LOG_2PI;
    }
    return out;
  }

  // ------------------------------------------------------------------ inference

  @Override
  public Labels predict(Dataset data, Engine engine) {
    paramsFor(data); // checks the data before anything is allocated for them
    Labels out = Labels.zeros(data);
    pointwise(data, engine, (chunk, firstRow, rows, labels, values, components) ->
        System.arraycopy(labels, 0, out.chunk(chunk), 0, rows));
    return out;
  }

  /** The most likely component of every row, on a Java engine. */
  public Labels predict(Dataset data) {
    try (JavaEngine engine = JavaEngine.create()) {
      return predict(data, engine);
    }
  }

  /**
   * Streams per row the most likely component, {@code log p(x)} and, when the sink asks, the
   * responsibilities (scikit-learn's {@code predict_proba}).
   */
  public void pointwise(Dataset data, Engine engine, PointSink sink) {
    MixtureParams p = paramsFor(data);
    PointSink.required(sink);
    try (DataSession s = Engine.required(engine).open(data)) {
      pointwise(s, p, sink);
    }
  }

  /**
   * As {@link #pointwise(Dataset, Engine, PointSink)}, on data already resident in
   * {@code session} (such as the session a fit ran on: no second upload).
   */
  public void pointwise(DataSession session, PointSink sink) {
    pointwise(session, paramsFor(DataSession.required(session).data()), PointSink.required(sink));
  }

  /** The pass, refusing rows whose log-likelihood overflowed float32 ({@link FiniteRows}). */
  private static void pointwise(DataSession session, MixtureParams p, PointSink sink) {
    FiniteRows watched = new FiniteRows(sink, "its log-likelihood under the model");
    session.pointwise(p, watched);
    watched.check();
  }

  /** Responsibilities, n x k, for data whose n x k matrix fits in memory (scikit-learn's {@code predict_proba}). */
  public double[][] predictProba(Dataset data, Engine engine) {
    paramsFor(data); // checks the data before anything is allocated for them
    if (data.rows() * (long) k > Integer.MAX_VALUE - 8) {
      throw new InputException("predictProba: " + data.rows() + " x " + k
          + " probabilities do not fit in memory; stream them with pointwise(data, engine, sink)");
    }
    double[][] out = new double[(int) data.rows()][];
    pointwise(data, engine, new PointSink() {
      @Override
      public boolean wantsComponents() {
        return true;
      }

      @Override
      public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
        for (int i = 0; i < rows; i++) {
          double[] r = new double[k];
          for (int c = 0; c < k; c++) {
            r[c] = components[i * k + c];
          }
          out[(int) (firstRow + i)] = r;
        }
      }
    });
    return out;
  }

  /** {@code log p(x)} of every row (scikit-learn's {@code score_samples}), for data of fewer than 2^31 rows. */
  public double[] scoreSamples(Dataset data, Engine engine) {
    paramsFor(data); // checks the data before anything is allocated for them
    if (data.rows() > Integer.MAX_VALUE - 8) {
      throw new InputException("scoreSamples: " + data.rows() + " values do not fit in one array");
    }
    double[] out = new double[(int) data.rows()];
    pointwise(data, engine, (chunk, firstRow, rows, labels, values, components) -> {
      for (int i = 0; i < rows; i++) {
        out[(int) (firstRow + i)] = values[i];
      }
    });
    return out;
  }

  /** Total weighted log-likelihood {@code sum_i w_i log p(x_i)}, computed in one E-step pass. */
  public double totalLogLikelihood(Dataset data, Engine engine) {
    MixtureParams p = paramsFor(data);
    try (DataSession s = Engine.required(engine).open(data)) {
      double total = s.expect(p).objective();
      if (!(Math.abs(total) <= Float.MAX_VALUE)) {
        // Beyond float32 (an engine's per-row values overflowed, or would have on a float32
        // device): find the row to name, through the pass that refuses it.
        pointwise(s, p, (chunk, firstRow, rows, labels, values, components) -> { });
        throw new InputException("the total log-likelihood is " + total + ", beyond float32's range (no single"
            + " row's is): the rows lie far from the model; check the data's units, or scale the data and the model"
            + " alike");
      }
      return total;
    }
  }

  /** Mean (weighted) log-likelihood per row (scikit-learn's {@code score}). */
  public double score(Dataset data, Engine engine) {
    return totalLogLikelihood(data, engine) / data.totalWeight();
  }

  /** Mean log-likelihood per row on a Java engine. */
  public double score(Dataset data) {
    try (JavaEngine engine = JavaEngine.create()) {
      return score(data, engine);
    }
  }

  /** Number of free parameters: covariances, means and k - 1 weights. */
  public long parameterCount() {
    return type.covarianceParameters(k, d) + (long) k * d + k - 1;
  }

  /**
   * Bayesian information criterion on {@code data} (lower is better):
   * {@code -2 log L + p log n}, with n the total sample weight.
   */
  public double bic(Dataset data, Engine engine) {
    return bic(totalLogLikelihood(data, engine), data.totalWeight());
  }

  /**
   * BIC from a total log-likelihood and a sample size (the total weight of the rows).
   *
   * @throws InputException when n is not a positive finite number
   */
  public double bic(double totalLogLikelihood, double n) {
    requireLogLikelihood(totalLogLikelihood);
    if (!(n > 0) || !Double.isFinite(n)) {
      throw InputException.parameter("n", n, "the sample size, a number > 0");
    }
    return -2 * totalLogLikelihood + parameterCount() * Math.log(n);
  }

  /** Akaike information criterion on {@code data} (lower is better): {@code -2 log L + 2 p}. */
  public double aic(Dataset data, Engine engine) {
    return aic(totalLogLikelihood(data, engine));
  }

  /** AIC from a total log-likelihood. */
  public double aic(double totalLogLikelihood) {
    requireLogLikelihood(totalLogLikelihood);
    return -2 * totalLogLikelihood + 2 * parameterCount();
  }

  /** A log-likelihood may be minus infinity (a row no component holds), not NaN nor plus infinity. */
  private static void requireLogLikelihood(double totalLogLikelihood) {
    if (Double.isNaN(totalLogLikelihood) || totalLogLikelihood == Double.POSITIVE_INFINITY) {
      throw InputException.parameter("totalLogLikelihood", totalLogLikelihood, "a log-likelihood: a number, or"
          + " -Infinity");
    }
  }

  /**
   * Draws {@code n} points from the mixture (scikit-learn's {@code sample}): a component by
   * weight, then {@code mean + L z} with {@code L L^T = Sigma} and z standard normal.
   *
   * @return the points, n x d, and in {@code labelsOut} (if not null, length n) their components
   */
  public double[][] sample(int n, long seed, int[] labelsOut) {
    if (n < 1 || n > Integer.MAX_VALUE - 8) {
      throw InputException.parameter("n", n, "an integer from 1 to " + (Integer.MAX_VALUE - 8) + " (one array of rows)");
    }
    if (labelsOut != null && labelsOut.length < n) {
      throw new InputException("labelsOut holds " + labelsOut.length + " labels; " + n + " samples need " + n);
    }
    double[] chol = Covariances.choleskyLower(type, covariances, k, d);
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] out = new double[n][d];
    double[] z = new double[d];
    for (int i = 0; i < n; i++) {
      double u = rng.nextDouble() * total;
      int c = 0;
      while (c < k - 1 && (u -= weights[c]) >= 0) {
        c++;
      }
      for (int j = 0; j < d; j++) {
        z[j] = io.clmix.data.Blobs.standardNormal(rng);
      }
      for (int i2 = 0; i2 < d; i2++) {
        double v = means[c][i2];
        switch (type) {
          case FULL:
          case TIED: {
            int base = type == CovarianceType.FULL ? c * d * d : 0;
            for (int j = 0; j <= i2; j++) {
              v += chol[base + i2 * d + j] * z[j];
            }
            break;
          }
          case DIAG:
            v += chol[c * d + i2] * z[i2];
            break;
          default:
            v += chol[c] * z[i2];
        }
        out[i][i2] = v;
      }
      if (labelsOut != null) {
        labelsOut[i] = c;
      }
    }
    return out;
  }
}
