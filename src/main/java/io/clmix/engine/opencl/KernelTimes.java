package io.clmix.engine.opencl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;

/**
 * Device time per kernel, for finding where a pass spends it when no profiler sees OpenCL
 * kernels (NVIDIA's Nsight Compute does not). Off unless the system property
 * {@value #PROPERTY} is true; then every launch waits for its kernel (which slows the run: read
 * the per-kernel device times, not the run's wall time), adds the kernel's start-to-end time
 * from the queue's profiling to its name's total, and the totals go to stderr when the JVM
 * exits: per kernel, the launches, the total and the mean milliseconds.
 */
final class KernelTimes {
  /** The switch. */
  static final String PROPERTY = "clmix.opencl.kernelTimes";
  static final boolean ENABLED = Boolean.getBoolean(PROPERTY);

  private static final Map<String, LongAdder[]> TOTALS = new ConcurrentHashMap<>();

  static {
    if (ENABLED) {
      Runtime.getRuntime().addShutdownHook(new Thread(KernelTimes::print, "clmix-kernel-times"));
    }
  }

  private KernelTimes() {}

  /** Waits for the launch behind {@code event}, adds its device time to {@code kernel}'s total, releases the event. */
  static void record(String kernel, cl_event event) {
    try {
      CL.clWaitForEvents(1, new cl_event[] {event});
      long[] start = new long[1];
      long[] end = new long[1];
      CL.clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
      CL.clGetEventProfilingInfo(event, CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
      LongAdder[] t = TOTALS.computeIfAbsent(kernel, n -> new LongAdder[] {new LongAdder(), new LongAdder()});
      t[0].increment();
      t[1].add(end[0] - start[0]);
    } finally {
      CL.clReleaseEvent(event);
    }
  }

  /** Launches recorded for {@code kernel} so far (for tests). */
  static long launches(String kernel) {
    LongAdder[] t = TOTALS.get(kernel);
    return t == null ? 0 : t[0].sum();
  }

  /** Device nanoseconds recorded for {@code kernel} so far (for tests). */
  static long nanos(String kernel) {
    LongAdder[] t = TOTALS.get(kernel);
    return t == null ? 0 : t[1].sum();
  }

  private static void print() {
    StringBuilder out = new StringBuilder("clmix kernel times (device, from the queue's profiling):\n");
    for (Map.Entry<String, LongAdder[]> e : new TreeMap<>(TOTALS).entrySet()) {
      long n = e.getValue()[0].sum();
      double ms = e.getValue()[1].sum() / 1e6;
      out.append(String.format("  %-28s %8d launches %12.3f ms total %10.4f ms each%n", e.getKey(), n, ms, ms / n));
    }
    System.err.print(out);
  }
}
