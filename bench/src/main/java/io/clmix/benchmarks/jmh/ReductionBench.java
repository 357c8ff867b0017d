package io.clmix.benchmarks.jmh;

import io.clmix.bench.BenchSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The passes whose cost is mostly a reduction over all points, with little arithmetic per
 * point: k-means++'s potential, {@code sum_i w_i |x_i - c|^2} to one centre
 * ({@code DataSession.seedStart}), and the sampling scan over the running sum of that potential
 * ({@code DataSession.seedSample}). They show the engine's memory bandwidth and the cost of its
 * reduction tree, apart from the distance arithmetic the assignment pass adds.
 */
public class ReductionBench extends SessionBench {
  @Param({"1000000"})
  public long n;

  @Param({"32"})
  public int d;

  private float[] centre;
  private double[] targets;

  @Setup(Level.Trial)
  public void setUp() {
    s = EngineSession.open(engine, new BenchSpec(BenchSpec.Algo.KMEANS, null, n, d, 1, 1, 1, 0));
    double[] c = s.workload.startLocal()[0];
    centre = new float[d];
    for (int j = 0; j < d; j++) {
      centre[j] = (float) c[j];
    }
    double potential = s.session.seedStart(centre);
    // Targets spread over the whole potential, so the scan runs to the end.
    targets = new double[] {0.25 * potential, 0.5 * potential, 0.999 * potential};
  }

  @Benchmark
  public double seedPotential() {
    return s.session.seedStart(centre);
  }

  @Benchmark
  public long[] seedSample() {
    return s.session.seedSample(targets);
  }
}
