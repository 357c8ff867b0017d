package io.clmix.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole process, all threads together. Divided by the wall-clock time of the
 * same runs it says how many cores the benchmark actually had: on a machine shared with other
 * work, a Java engine with 2 threads that shows 1.1 was waiting for a CPU half the time.
 */
final class ProcessCpu {
  private ProcessCpu() {}

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
