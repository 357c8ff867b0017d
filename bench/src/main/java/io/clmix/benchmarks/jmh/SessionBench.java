package io.clmix.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The base of the benchmarks that time passes of one {@link EngineSession}: the run settings
 * they share, the engine parameter, and closing the session after the trial. A subclass opens
 * {@link #s} in its own trial {@code @Setup}. JMH's annotations are {@code @Inherited} and it
 * reads {@code @Param} fields and fixture methods of superclasses, so a subclass runs exactly as
 * if these were written on it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class SessionBench {
  /** A {@code --device} spec. */
  @Param({"java", "opencl:0:0"})
  public String engine;

  /** The trial's session, opened by the subclass's setup. */
  protected EngineSession s;

  @TearDown(Level.Trial)
  public void tearDown() {
    s.close();
  }
}
