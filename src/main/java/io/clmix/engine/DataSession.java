package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Labels;

/**
 * A data set resident on one engine for the length of a fit: the data are uploaded once when
 * the session opens, every pass reuses them, and {@link #close()} releases them.
 *
 * <p>This is the seam between the algorithms and the devices. Each call makes one pass over the
 * data and returns small statistics ({@link SufficientStats}) or streams per-point results to a
 * {@link PointSink}; no call returns anything of size n x k. The algorithms ({@code io.clmix.fit})
 * hold all convergence logic; sessions only compute.
 *
 * <p>A session holds a little state between calls, always a function of small inputs, so a
 * session on another engine can rebuild it by replaying them: the labels and distances of the
 * last {@link #assign}, and the closest-centre distances of k-means++ seeding.
 *
 * <p>Sessions are not thread-safe; one fit uses one session at a time.
 */
public interface DataSession extends AutoCloseable {

  /** The data this session holds. */
  Dataset data();

  /** The engine this session runs on. */
  EngineInfo engine();

  // ------------------------------------------------------------------ K-means

  /**
   * One Lloyd pass: assigns every point to its nearest centre (squared L2; ties go to the lower
   * index), remembers labels and distances, and returns the statistics of the new partition
   * about {@code centres}: counts (weights), sums of differences, inertia, and how many labels
   * changed since the previous call (all points on the first call).
   */
  SufficientStats assign(Centroids centres);

  /**
   * {@link #assign(Centroids)} as one shard of several ({@link ChainLink}): a session that can
   * continue the previous shard's sums in one device's order does, and {@link ChainLink#join
   * joins} the link; this default ignores the link and returns this session's own statistics.
   */
  default SufficientStats assign(Centroids centres, ChainLink link) {
    return assign(centres);
  }

  /** The labels of the last {@link #assign}. */
  Labels labels();

  /**
   * The rows of the {@code m} points farthest from their centre at the last {@link #assign},
   * farthest first (ties go to the lower row), among the rows of positive weight: fewer than
   * {@code m} when fewer rows have a positive weight. K-means re-seeds empty clusters with them,
   * and a cluster seeded with a row of weight zero would stay empty.
   */
  long[] farthest(int m);

  // ------------------------------------------------------------------ k-means++ seeding

  /**
   * Starts seeding from one centre: remembers each point's squared distance to it, D(x), and
   * returns the potential {@code sum_i w_i D(x_i)}.
   */
  double seedStart(float[] centre);

  /**
   * For each target t (ascending, each in [0, potential)), the first row whose running sum of
   * {@code w_i D(x_i)}, in row order, exceeds t: sampling rows with probability proportional to
   * {@code w D}, as scikit-learn's {@code searchsorted(stable_cumsum(...))}.
   */
  long[] seedSample(double[] targets);

  /**
   * The potential each of the {@code m} candidates would leave if added:
   * {@code sum_i w_i min(D(x_i), |x_i - candidate|^2)}. Candidates are {@code m * d} values.
   */
  double[] seedTrial(float[] candidates, int m);

  /** Adds a centre: {@code D(x) = min(D(x), |x - centre|^2)}. */
  void seedCommit(float[] centre);

  /**
   * {@link #seedStart(float[])} as one shard of several ({@link ChainLink}): a session that adds
   * its potential in one device's order continues the running sum the previous shard handed on
   * (a {@code Double}), {@link ChainLink#join joins} the link, hands on its own running sum and
   * returns it; this default ignores the link and returns this session's own potential.
   */
  default double seedStart(float[] centre, ChainLink link) {
    return seedStart(centre);
  }

  /**
   * {@link #seedTrial(float[], int)} as one shard of several, as {@link #seedStart(float[], ChainLink)}
   * is; the carry is a {@code double[]} of the m running sums.
   */
  default double[] seedTrial(float[] candidates, int m, ChainLink link) {
    return seedTrial(candidates, m);
  }

  /**
   * {@link #seedCommit(float[])}, then the potential the new distances leave: the sum
   * {@link #seedDraw(double[], double)} searches. As one shard of several, as
   * {@link #seedStart(float[], ChainLink)}. This default measures it with one more trial pass.
   */
  default double seedCommit(float[] centre, ChainLink link) {
    seedCommit(centre);
    return seedTrial(centre, 1)[0];
  }

  /**
   * {@link #seedSample(double[])} as one shard of several: the targets lie on a running sum that
   * stood at {@code start} before this session's first row (the potential of the shards before
   * it), and the rows are this session's. A session that continues that running sum itself
   * finds the rows one device over all the shards would; where its scan of the rows runs past
   * its last row it answers {@link SeedDraws#PAST_END} and the sum reached, and the next shard
   * goes on with {@link #seedDrawOn}. This default subtracts {@code start} from the targets and
   * never runs past.
   */
  default SeedDraws seedDraw(double[] targets, double start) {
    double[] local = new double[targets.length];
    for (int t = 0; t < targets.length; t++) {
      local[t] = Math.max(0, targets[t] - start);
    }
    return SeedDraws.of(seedSample(local));
  }

  /**
   * Goes on with scans that ran past the end of the shard before ({@link SeedDraws#PAST_END}):
   * per target, the first of this session's rows at which the running sum, standing at
   * {@code runs[t]} before its first row, exceeds it; {@link SeedDraws#PAST_END} and the new sum
   * where it runs past this session's rows too. This default, for sessions that do not continue
   * the running sum (the chain breaks there), subtracts each run from its target.
   */
  default SeedDraws seedDrawOn(double[] targets, double[] runs) {
    long[] rows = new long[targets.length];
    for (int t = 0; t < targets.length; t++) {
      rows[t] = seedSample(new double[] {Math.max(0, targets[t] - runs[t])})[0];
    }
    return SeedDraws.of(rows);
  }

  // ------------------------------------------------------------------ Gaussian mixture

  /**
   * One E-step: per point the component log-densities, their log-sum-exp (the log-likelihood)
   * and the responsibilities; returns the responsibility-weighted statistics about the means,
   * with the scatter shape that {@code params.type()} needs, and the total weighted
   * log-likelihood as objective.
   */
  default SufficientStats expect(MixtureParams params) {
    return expect(params, Responsibilities.SOFT);
  }

  /**
   * One E-step with the given kind of responsibilities. {@link Responsibilities#SOFT}: as
   * {@link #expect(MixtureParams)}. {@link Responsibilities#HARD}: each point counts fully for
   * its most likely component (ties to the lower index), and the objective is the total
   * weighted log-density of that component, {@code sum_i w_i max_k log(weight_k N(x_i | k))}
   * (the classification likelihood).
   */
  SufficientStats expect(MixtureParams params, Responsibilities mode);

  /**
   * {@link #expect(MixtureParams, Responsibilities)} as one shard of several, as
   * {@link #assign(Centroids, ChainLink)} is.
   */
  default SufficientStats expect(MixtureParams params, Responsibilities mode, ChainLink link) {
    return expect(params, mode);
  }

  // ------------------------------------------------------------------ per-point output

  /** Streams labels and squared distances to the nearest centre (and to all centres on request). */
  void pointwise(Centroids centres, PointSink sink);

  /** Streams labels (most likely component), log p(x) (and responsibilities on request). */
  void pointwise(MixtureParams params, PointSink sink);

  /**
   * Why this session no longer runs as it started (its device failed and the work moved to
   * data streamed in chunks or to the Java engine, see {@link FallbackEngine}), or null when
   * nothing went wrong. Fits put it in their report's {@code fallback} field.
   */
  default String fallbackReason() {
    return null;
  }

  /** Releases what the session holds on the device. Idempotent. */
  @Override
  void close();

  /** {@code session}, the session argument of a library call; refused, naming it, when null. */
  static DataSession required(DataSession session) {
    return InputException.required(session, "session", "an open data session (engine.open(data))");
  }
}
