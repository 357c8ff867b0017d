package io.clmix.engine.opencl;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Host time per OpenCL call, for finding where an iteration spends the time its kernels do
 * not: on an H100 a K-means iteration of 20 000 rows, whose kernels take microseconds, took
 * 0.42 ms (docs/benchmarks.md, GPU). Off unless the system property {@value #PROPERTY} is true;
 * then each blocking transfer, enqueued transfer and launch adds its wall time on the calling
 * thread to its label's total (a blocking call's time includes the wait for the commands queued
 * before it), and the totals go to stderr when the JVM exits: per label, the calls, the total
 * and the mean milliseconds.
 */
final class HostTimes {
  /** The switch. */
  static final String PROPERTY = "clmix.opencl.hostTimes";
  static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

  private static final Map<String, LongAdder[]> TOTALS = new ConcurrentHashMap<>();

  static {
    if (ENABLED) {
      Runtime.getRuntime().addShutdownHook(new Thread(HostTimes::print, "clmix-host-times"));
    }
  }

  private HostTimes() {}

  /** The start of a timed call: {@link System#nanoTime}, or 0 when timing is off. */
  static long start() {
    return ENABLED ? System.nanoTime() : 0;
  }

  /** Adds the time since {@code start} to {@code label}'s total (nothing when timing is off). */
  static void record(String label, long start) {
    if (ENABLED) {
      add(label, System.nanoTime() - start);
    }
  }

  /** Adds one call of {@code nanos} to {@code label}'s total. */
  static void add(String label, long nanos) {
    LongAdder[] totals = TOTALS.computeIfAbsent(label, n -> new LongAdder[] {new LongAdder(), new LongAdder()});
    totals[0].increment();
    totals[1].add(nanos);
  }

  /** Calls recorded for {@code label} so far (for tests). */
  static long calls(String label) {
    LongAdder[] t = TOTALS.get(label);
    return t == null ? 0 : t[0].sum();
  }

  /** Nanoseconds recorded for {@code label} so far (for tests). */
  static long nanos(String label) {
    LongAdder[] t = TOTALS.get(label);
    return t == null ? 0 : t[1].sum();
  }

  private static void print() {
    StringBuilder out = new StringBuilder("clmix host times (wall time of the calling thread per OpenCL call):\n");
    for (Map.Entry<String, LongAdder[]> e : new TreeMap<>(TOTALS).entrySet()) {
      long n = e.getValue()[0].sum();
      double ms = e.getValue()[1].sum() / 1e6;
      out.append(String.format("  %-44s %8d calls %12.3f ms total %10.4f ms each%n", e.getKey(), n, ms, ms / n));
    }
    System.err.print(out);
  }
}
