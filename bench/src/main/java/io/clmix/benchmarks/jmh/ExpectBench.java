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
 */
public class ExpectBench extends SessionBench {
  @Param({"full", "diag"})
  public String covariance;

  /** {@code start} (dense responsibilities) or {@code fitted} (after 10 EM iterations). */
  @Param({"start", "fitted"})
  public String params;

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
    mixture = params.equals("fitted") ? fitted(s) : MixtureStart.params(s.workload);
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
