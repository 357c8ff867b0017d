package io.clmix.engine.opencl;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts and nanoseconds per label, safe to add to from any thread, and their report: the
 * totals behind {@link KernelTimes} (device time per kernel) and {@link HostTimes} (host time
 * per OpenCL call).
 */
final class CallTotals {
  private final Map<String, LongAdder[]> totals = new ConcurrentHashMap<>();

  /** Adds one event of {@code nanos} to {@code label}'s total. */
  void add(String label, long nanos) {
    LongAdder[] t = totals.computeIfAbsent(label, n -> new LongAdder[] {new LongAdder(), new LongAdder()});
    t[0].increment();
    t[1].add(nanos);
  }

  /** Events recorded for {@code label} so far. */
  long count(String label) {
    LongAdder[] t = totals.get(label);
    return t == null ? 0 : t[0].sum();
  }

  /** Nanoseconds recorded for {@code label} so far. */
  long nanos(String label) {
    LongAdder[] t = totals.get(label);
    return t == null ? 0 : t[1].sum();
  }

  /**
   * {@code title}, then a line per label in name order: the label (padded to {@code width}), its
   * events (counted as {@code noun}), their total and their mean in milliseconds.
   */
  String report(String title, int width, String noun) {
    StringBuilder out = new StringBuilder(title).append('\n');
    for (Map.Entry<String, LongAdder[]> e : new TreeMap<>(totals).entrySet()) {
      long n = e.getValue()[0].sum();
      double ms = e.getValue()[1].sum() / 1e6;
      out.append(String.format(Locale.ROOT, "  %-" + width + "s %8d %s %12.3f ms total %10.4f ms each%n", e.getKey(),
          n, noun, ms, ms / n));
    }
    return out.toString();
  }
}
