package io.clmix.bench;

import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.EngineSelector;
import io.clmix.engine.ShardedEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures one device: creates its engine, opens a session (the upload; none on the Java engine,
 * see {@link #uploadSeconds}), warms up (JIT compilation, kernel caches, first-touch allocation:
 * one run, and more while {@link BenchSpec#warmupSeconds} last) and makes {@code repeats} timed
 * runs from the same start, then closes everything. A failure at any step becomes the
 * measurement's error, never an exception: one broken device must not hide the others' figures.
 */
final class DeviceBench {
  /** With this system property true, each timed run's iteration times go to stderr. */
  static final String ITERATION_TIMES_PROPERTY = "clmix.bench.iterationTimes";

  private DeviceBench() {}

  static Measurement measure(DeviceList.Choice choice, Workload workload, BenchListener listener) {
    if (choice.unavailable() != null) {
      return failed(choice.spec(), null, choice.unavailable(), Double.NaN, Double.NaN, HostMemory.sample(false));
    }
    boolean rssReset = HostMemory.reset();
    EngineInfo info = null;
    double engineSeconds = Double.NaN;
    double uploadSeconds = Double.NaN;
    int runs = workload.spec().repeats() + 1;
    try {
      long t0 = System.nanoTime();
      try (EngineSelector.Selection sel = EngineSelector.select(choice.spec())) {
        engineSeconds = (System.nanoTime() - t0) / 1e9;
        info = sel.engine().info();
        Passes passes = workload.passes();
        long t1 = System.nanoTime();
        try (DataSession session = sel.engine().open(workload.data())) {
          uploadSeconds = uploadSeconds(session, (System.nanoTime() - t1) / 1e9);
          warmUp(passes, session, workload.spec().warmupSeconds());
          listener.runDone(choice.spec(), 0, runs);
          List<double[]> times = new ArrayList<>();
          double objective = Double.NaN;
          long cpu0 = ProcessCpu.nanos();
          long wall0 = System.nanoTime();
          for (int r = 1; r < runs; r++) {
            Passes.RunResult result = passes.run(session);
            times.add(result.iterationSeconds());
            if (Boolean.getBoolean(ITERATION_TIMES_PROPERTY)) {
              // A diagnostic: the median hides how passes differ (the first dense passes against
              // later pruned ones, say); one line per run on stderr.
              System.err.println("iteration ms of " + choice.spec() + " run " + r + ": "
                  + java.util.Arrays.stream(result.iterationSeconds())
                      .mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3f", v * 1e3))
                      .collect(java.util.stream.Collectors.joining(" ")));
            }
            objective = result.objective();
            listener.runDone(choice.spec(), r, runs);
          }
          long cpu1 = ProcessCpu.nanos();
          double cpuPerWall = ProcessCpu.perWall(cpu0, cpu1, System.nanoTime() - wall0);
          return new Measurement(choice.spec(), info, null, engineSeconds, uploadSeconds, Timings.pooled(times),
              objective, cpuPerWall, HostMemory.sample(rssReset), parts(sel.engine()));
        }
      }
    } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
      // Device failures (EngineException), a device that is missing (InputException), a native
      // library that does not load, or too little memory: all belong in the device's row.
      String reason = DeviceList.firstLine(e.getMessage() != null ? e.getMessage() : e.toString());
      return failed(choice.spec(), info, reason, engineSeconds, uploadSeconds, HostMemory.sample(rssReset));
    }
  }

  /**
   * The untimed warm-up: one run, then more until {@code seconds} have passed since it began.
   * Each is the timed runs' fit from the same start, so the JIT compiles (and recompiles, after
   * a deoptimisation) exactly the paths they take. Returns the number of runs.
   */
  static int warmUp(Passes passes, DataSession session, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int runs = 0;
    do {
      passes.run(session);
      runs++;
    } while (System.nanoTime() < end);
    return runs;
  }

  /**
   * The upload figure of a session that took {@code openSeconds} to open: NaN ("n/a") on the Java
   * engine, which moves nothing (it reads the data where the {@link io.clmix.data.Dataset} keeps
   * them and only builds a table of row blocks, microseconds). Its open time was the JVM loading
   * and initialising the session's classes, which only the first Java row of a process pays
   * (bench/README.md has the figures): a figure of the process, not of the device, which made
   * that row disagree with every later one. Decided by the session's engine, so that an OpenCL
   * device that fell back to the Java engine when it opened says n/a too.
   */
  static double uploadSeconds(DataSession session, double openSeconds) {
    return "java".equals(session.engine().kind()) ? Double.NaN : openSeconds;
  }

  /** The engines that work as one in {@code engine} (several devices), else the engine alone. */
  static List<EngineInfo> parts(Engine engine) {
    if (engine instanceof ShardedEngine sharded) {
      List<EngineInfo> out = new ArrayList<>();
      for (Engine e : sharded.engines()) {
        out.add(e.info());
      }
      return out;
    }
    return List.of(engine.info());
  }

  private static Measurement failed(String device, EngineInfo info, String reason, double engineSeconds,
      double uploadSeconds, HostMemory.Sample memory) {
    return new Measurement(device, info, reason, engineSeconds, uploadSeconds, new double[0], Double.NaN, Double.NaN,
        memory);
  }
}
