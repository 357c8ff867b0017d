package io.clmix.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The machine a benchmark ran on, for reports: every figure is only meaningful next to it.
 *
 * @param cpuModel the CPU's model name from {@code /proc/cpuinfo}, or the JVM's architecture
 * @param logicalCpus processors available to the JVM
 * @param memoryBytes physical memory from {@code /proc/meminfo}, or -1 when unknown
 * @param os operating system name and version
 * @param jvm Java runtime version and vendor
 * @param maxHeapBytes the JVM's maximum heap
 */
public record HostInfo(String cpuModel, int logicalCpus, long memoryBytes, String os, String jvm, long maxHeapBytes) {

  /** The machine this JVM runs on. */
  public static HostInfo current() {
    return new HostInfo(readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemTotal(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        Runtime.getRuntime().maxMemory());
  }

  /** One line, such as {@code AMD EPYC, 2 logical CPUs, 23.4 GiB; Linux 6.1; OpenJDK ... 17.0.15}. */
  public String describe() {
    return String.format(Locale.ROOT, "%s, %d logical CPUs, %s memory; %s; %s, max heap %.1f GiB", cpuModel, logicalCpus,
        memoryBytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double) (1L << 30)), os, jvm,
        maxHeapBytes / (double) (1L << 30));
  }

  private static String readCpuModel() {
    for (String line : lines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        int colon = line.indexOf(':');
        if (colon >= 0) {
          return line.substring(colon + 1).trim();
        }
      }
    }
    return System.getProperty("os.arch");
  }

  private static long readMemTotal() {
    for (String line : lines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        return HostMemory.bytes(line);
      }
    }
    return -1;
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException | SecurityException e) {
      // Not Linux, or not readable: the field stays unknown.
      return List.of();
    }
  }
}
