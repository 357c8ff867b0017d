package io.clmix.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole process, all threads together. Divided by the wall-clock time of the
 * same runs it says how many cores the benchmark actually had: on a machine shared with other
 * work, a Java engine with 2 threads that shows 1.1 was waiting for a CPU half the time.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  /**
   * Shortest wall time over which {@link #perWall} gives a figure. On Linux the JVM's process CPU
   * time comes from {@code times(2)}, in clock ticks of 10 ms, so over a few milliseconds the
   * ratio is noise (2.7 on a 2-CPU machine, or 0): from half a second on, two ticks are under 5%.
   */
  static final long MIN_WALL_NANOS = 500_000_000L;

  /**
   * CPU time per wall time between two {@link #nanos()} readings {@code wallNanos} apart; NaN
   * when either reading is unknown or the window is shorter than {@link #MIN_WALL_NANOS}.
   */
  static double perWall(long cpu0, long cpu1, long wallNanos) {
    if (cpu0 < 0 || cpu1 < 0 || wallNanos < MIN_WALL_NANOS) {
      return Double.NaN;
    }
    return (cpu1 - cpu0) / (double) wallNanos;
  }

  /** Process CPU nanoseconds so far, or -1 when the JVM does not tell (no jdk.management module). */
  static long nanos() {
    try {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        return sun.getProcessCpuTime();
      }
      return -1;
    } catch (LinkageError e) {
      // A trimmed runtime (the device kit's) may lack jdk.management.
      return -1;
    }
  }
}
