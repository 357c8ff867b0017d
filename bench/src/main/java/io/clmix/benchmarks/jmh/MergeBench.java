package io.clmix.benchmarks.jmh;

import io.clmix.engine.SufficientStats;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host side of a reduction: adding per-chunk (or per-device) partial statistics with
 * {@link SufficientStats#plus}, for a full-covariance mixture whose scatter is k x d x d.
 * Engines do this once per pass, so it should stay far below a pass's time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MergeBench {
  @Param({"64"})
  public int partials;

  @Param({"32"})
  public int d;

  @Param({"64"})
  public int k;

  private SufficientStats[] parts;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(0);
    parts = new SufficientStats[partials];
    for (int p = 0; p < partials; p++) {
      SufficientStats st = new SufficientStats(k, d, SufficientStats.Scatter.FULL);
      fill(st.weight(), rng);
      fill(st.sum(), rng);
      fill(st.scatter(), rng);
      parts[p] = st;
    }
  }

  @Benchmark
  public SufficientStats merge() {
    SufficientStats total = new SufficientStats(k, d, SufficientStats.Scatter.FULL);
    for (SufficientStats p : parts) {
      total.plus(p);
    }
    return total;
  }

  private static void fill(double[] a, SplittableRandom rng) {
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble();
    }
  }
}
