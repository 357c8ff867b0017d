package io.clmix.benchmarks.jmh;

import io.clmix.bench.BenchSpec;
import io.clmix.engine.Centroids;
import io.clmix.engine.SufficientStats;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One K-means assignment pass ({@code DataSession.assign}): nearest centre of every point,
 * labels, and the per-cluster counts and sums, from the workload's fixed start.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class AssignBench {
  /** A {@code --device} spec. */
  @Param({"java", "opencl:0:0"})
  public String engine;

  @Param({"200000"})
  public long n;

  @Param({"32"})
  public int d;

  @Param({"64"})
  public int k;

  private EngineSession s;
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

  @TearDown(Level.Trial)
  public void tearDown() {
    s.close();
  }
}
