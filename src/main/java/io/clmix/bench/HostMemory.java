package io.clmix.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak host memory while one device runs, from two sources that answer different questions:
 *
 * <ul>
 *   <li><b>RSS peak</b>: {@code VmHWM} of {@code /proc/self/status}, the process's peak resident
 *       memory, which includes native allocations (an OpenCL CPU device's buffers, driver
 *       staging copies) as well as the Java heap. Linux lets a process reset it by writing 5 to
 *       {@code /proc/self/clear_refs}; when that fails the figure covers the whole process
 *       lifetime and {@link Sample#rssSinceReset()} says so.
 *   <li><b>Heap peak</b>: the sum of the peak usage of the JVM's heap memory pools since their
 *       reset ({@link MemoryPoolMXBean#resetPeakUsage()}): the Java objects alone. Pools peak at
 *       different moments, so the sum is an upper bound of the true heap peak.
 * </ul>
 *
 * Both include the generated data set, which stays in memory for every device.
 */
final class HostMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private HostMemory() {}

  /**
   * Peaks since the last {@link #reset()}.
   *
   * @param rssPeakBytes peak resident set size, or -1 where /proc is missing
   * @param rssSinceReset whether the RSS peak was reset (else it covers the process's lifetime)
   * @param heapPeakBytes sum of the heap pools' peaks since the reset
   */
  record Sample(long rssPeakBytes, boolean rssSinceReset, long heapPeakBytes) {}

  /** Resets both peaks; returns whether the RSS peak could be reset. */
  static boolean reset() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
    try {
      Files.write(CLEAR_REFS, "5".getBytes(StandardCharsets.US_ASCII));
      return true;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The peaks now; {@code rssReset} is what the last {@link #reset()} returned. */
  static Sample sample(boolean rssReset) {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    long rss = -1;
    for (String line : HostInfo.lines(STATUS)) {
      if (line.startsWith("VmHWM:")) {
        rss = bytes(line);
      }
    }
    return new Sample(rss, rssReset && rss >= 0, heap);
  }

  /** The bytes of a {@code /proc} line in kB, such as {@code "VmHWM:   123456 kB"}; -1 without a number. */
  static long bytes(String line) {
    String digits = line.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? -1 : Long.parseLong(digits) * 1024;
  }
}
