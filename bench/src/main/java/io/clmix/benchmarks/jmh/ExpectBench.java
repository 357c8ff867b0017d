package io.clmix.benchmarks.jmh;

import io.clmix.bench.BenchSpec;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.SufficientStats;
import io.clmix.fit.GaussianMixture;
import io.clmix.model.CovarianceType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One Gaussian-mixture E-step ({@code DataSession.expect}): log-densities through the precision
 * Cholesky factors, log-sum-exp, responsibilities, and the weighted sums and scatter; full and
 * diagonal covariances.
 *
 * <p>Two parameter sets, because the engines skip (point, component) pairs whose responsibility
 * is 0 in float precision: {@code params=start} is the workload's broad start, where every
 * component shares every point (the dense, most expensive E-step); {@code params=fitted} is the
 * mixture after 10 EM iterations from there, where each point of these separated blobs belongs
 * to about one component (what most iterations of a fit cost).
 *
 * <p>{@code scale} narrows the start's components ({@code params=start} only): every standard
 * deviation times the scale, so that between the broad start (1) and narrow components (0.1)
 * the points keep anything from every component to one or two, the range over which the Java
 * engine chooses between its listed and its dense evaluation (compare runs with
 * {@code -jvmArgsAppend -Dclmix.gmm.dense=never}).
 */
public class ExpectBench extends SessionBench {
  @Param({"full", "diag"})
  public String covariance;

  /** {@code start} (dense responsibilities) or {@code fitted} (after 10 EM iterations). */
  @Param({"start", "fitted"})
  public String params;

  /** Standard deviations of the start's components, relative to the data's columns ({@code start} only). */
  @Param({"1"})
  public double scale;

  @Param({"100000"})
  public long n;

  @Param({"16"})
  public int d;

  @Param({"16"})
  public int k;

  private MixtureParams mixture;

  @Setup(Level.Trial)
  public void setUp() {
    CovarianceType type = CovarianceType.parse(covariance);
    s = EngineSession.open(engine, new BenchSpec(BenchSpec.Algo.GMM, type, n, d, k, 1, 1, 0));
    if (!(scale > 0 && Double.isFinite(scale)) || params.equals("fitted") && scale != 1) {
      throw new IllegalArgumentException("scale must be a positive number, and 1 with params=fitted, not " + scale);
    }
    mixture = params.equals("fitted") ? fitted(s) : MixtureStart.params(s.workload, scale);
  }

  /** The mixture after 10 EM iterations from the workload's start, on the same session. */
  private static MixtureParams fitted(EngineSession s) {
    return GaussianMixture.with(s.workload.mixtureOptions(10)).fit(s.session).model().paramsFor(s.workload.data());
  }

  @Benchmark
  public SufficientStats expect() {
    return s.session.expect(mixture);
  }
}
