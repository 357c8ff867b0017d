package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;

/**
 * The Java engine's Gaussian-mixture passes. With the {@code jdk.incubator.vector} module
 * (the launcher, the build and the tests add it): {@link VectorGaussianPass}, a float32 vector
 * screen of every (point, component) pair followed by double-precision evaluation of the pairs
 * that matter, with the same results as the double loops up to summation order. Without it, or
 * with the system property {@code clmix.scalar=true} (as for the K-means kernels), or for a
 * small pass ({@link #SMALL_PASS}): the plain double loops of {@link ReferenceGaussianPass}.
 * The vector pass prunes its screen where that pays
 * ({@link VectorGaussianPass.Pruning#WHERE_IT_PAYS}) unless the engine was made without
 * pruning ({@link JavaEngine#pruning()}, {@code -Dclmix.pruning=false}); the results are the same
 * bits either way.
 */
final class GaussianPass {
  /** Whether the vector kernels are in use. */
  static final boolean VECTOR = DistanceKernels.VECTOR && GaussianKernels.usable();

  /**
   * Passes of fewer multiply-adds than this ({@link #work}) run the double loops even where the
   * vector kernels are available, unless the engine was made to use the vector kernels
   * everywhere ({@link JavaEngine#plainLoopsForSmallPasses()}). Until the JIT's second compiler
   * has compiled them, the vector kernels run as ordinary Java that allocates for every vector
   * operation, and a fresh JVM's first vector pass costs about a second more than the plain
   * loops' (docs/benchmarks.md, "Small fits"). Warm, the vector pass saves 1 to 2 ns per
   * multiply-add on this project's 2-vCPU machine, so below 2^25 (33.5M) a fit would need some
   * 20 to 30 passes to earn the second back, more than most fits make (a K-means-started mixture
   * of 100k x 8 rows, k = 5, full: 2 EM iterations; 1.45 s against 0.55 s from a fresh JVM).
   * The choice depends on the data's size and the mixture's shape alone, so a fit makes it the
   * same way in every pass and every run; the two passes agree up to summation order.
   */
  static final long SMALL_PASS = 1L << 25;

  private final VectorGaussianPass vector;
  private final ReferenceGaussianPass reference;
  private final long rows;
  private final boolean plainSmall;

  GaussianPass(JavaEngine engine, Dataset data, Blocks blocks) {
    this.vector = VECTOR ? new VectorGaussianPass(engine, data, blocks,
        engine.pruning() ? VectorGaussianPass.Pruning.WHERE_IT_PAYS : VectorGaussianPass.Pruning.OFF) : null;
    this.reference = new ReferenceGaussianPass(engine, data, blocks);
    this.rows = data.wholeRows(); // a shard chooses its loops as the whole fit would
    this.plainSmall = engine.plainLoopsForSmallPasses();
  }

  /** The vector pass (for tests: what its screens skipped); null without the Vector API. */
  VectorGaussianPass vectorPass() {
    return vector;
  }

  /**
   * The multiply-adds of one pass over {@code rows} rows: per (row, component) pair, a
   * triangular solve and its squares ({@code d(d+1)/2 + d}) for full and tied covariances,
   * {@code d} for diagonal and spherical ones.
   */
  static long work(long rows, MixtureParams params) {
    int d = params.d();
    Scatter shape = params.scatterShape();
    long perPair = shape == Scatter.FULL || shape == Scatter.TIED ? (long) d * (d + 1) / 2 + d : d;
    return rows * params.k() * perPair;
  }

  /** Whether a pass with these parameters takes the vector kernels. */
  boolean vectorFor(MixtureParams params) {
    return vector != null && (!plainSmall || work(rows, params) >= SMALL_PASS);
  }

  SufficientStats expect(MixtureParams params, Responsibilities mode) {
    return vectorFor(params) ? vector.expect(params, mode) : reference.expect(params, mode);
  }

  void pointwise(MixtureParams params, PointSink sink) {
    if (vectorFor(params)) {
      vector.pointwise(params, sink);
    } else {
      reference.pointwise(params, sink);
    }
  }

  /**
   * Copies the upper triangle of each full or tied scatter matrix onto the lower one: the passes
   * accumulate only the upper triangle (and the vector kernels a few entries below it, which
   * this overwrites).
   */
  static void mirrorUpperTriangles(SufficientStats st) {
    Scatter shape = st.scatterShape();
    if (shape != Scatter.FULL && shape != Scatter.TIED) {
      return;
    }
    int d = st.d();
    double[] q = st.scatter();
    int mats = shape == Scatter.FULL ? st.k() : 1;
    for (int m = 0; m < mats; m++) {
      int base = m * d * d;
      for (int a = 0; a < d; a++) {
        for (int b = a + 1; b < d; b++) {
          q[base + b * d + a] = q[base + a * d + b];
        }
      }
    }
  }
}
