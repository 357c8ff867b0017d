package io.clmix.engine.opencl;

import static org.jocl.CL.CL_PROFILING_COMMAND_END;
import static org.jocl.CL.CL_PROFILING_COMMAND_START;

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

  private static final CallTotals TOTALS = new CallTotals();

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
      TOTALS.add(kernel, end[0] - start[0]);
    } finally {
      CL.clReleaseEvent(event);
    }
  }

  /** Launches recorded for {@code kernel} so far (for tests). */
  static long launches(String kernel) {
    return TOTALS.count(kernel);
  }

  /** Device nanoseconds recorded for {@code kernel} so far (for tests). */
  static long nanos(String kernel) {
    return TOTALS.nanos(kernel);
  }

  private static void print() {
    System.err.print(TOTALS.report("clmix kernel times (device, from the queue's profiling):", 28, "launches"));
  }
}
