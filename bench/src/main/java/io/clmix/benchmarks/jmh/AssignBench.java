package io.clmix.benchmarks.jmh;

import io.clmix.bench.BenchSpec;
import io.clmix.engine.Centroids;
import io.clmix.engine.SufficientStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One K-means assignment pass ({@code DataSession.assign}): nearest centre of every point,
 * labels, and the per-cluster counts and sums, from the workload's fixed start.
 */
public class AssignBench extends SessionBench {
  @Param({"200000"})
  public long n;

  @Param({"32"})
  public int d;

  @Param({"64"})
  public int k;

  private Centroids centres;

  @Setup(Level.Trial)
  public void setUp() {
    s = EngineSession.open(engine, new BenchSpec(BenchSpec.Algo.KMEANS, null, n, d, k, 1, 1, 0));
    centres = Centroids.of(s.workload.startLocal());
  }

  @Benchmark
  public SufficientStats assign() {
    return s.session.assign(centres);
  }
}
