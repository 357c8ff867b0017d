package io.clmix.engine.opencl;

/**
 * Host time per OpenCL call, for finding where an iteration spends the time its kernels do
 * not: on an H100 a K-means iteration of 20 000 rows, whose kernels take microseconds, took
 * 0.42 ms (docs/benchmarks.md, GPU). Off unless the system property {@value #PROPERTY} is true;
 * then each blocking transfer, enqueued transfer (by buffer), launch and argument call (by
 * kernel) adds its wall time on the calling thread to its label's total (a blocking call's time
 * includes the wait for the commands queued before it; fills, markers and clFinish are not
 * timed), and the totals go to stderr when the JVM exits: per label, the calls, the total and
 * the mean milliseconds.
 */
final class HostTimes {
  /** The switch. */
  static final String PROPERTY = "clmix.opencl.hostTimes";
  static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

  private static final CallTotals TOTALS = new CallTotals();

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
    TOTALS.add(label, nanos);
  }

  /** Calls recorded for {@code label} so far (for tests). */
  static long calls(String label) {
    return TOTALS.count(label);
  }

  /** Nanoseconds recorded for {@code label} so far (for tests). */
  static long nanos(String label) {
    return TOTALS.nanos(label);
  }

  private static void print() {
    System.err.print(TOTALS.report("clmix host times (wall time of the calling thread per OpenCL call):", 44, "calls"));
  }
}
