package io.clmix.engine.opencl;

import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;

/**
 * A kernel object, owned by the {@link ClContext} that made it and launched on that context's
 * queue. Setting arguments is not thread-safe in OpenCL, which is why each session makes its
 * own kernels.
 */
public final class ClKernel {
  private final ClContext owner;
  private final ClContext.Owned entry;
  private final cl_kernel kernel;
  private final String name;
  /** The value each argument was last set to, by index (null: not set, or unknown). */
  private Object[] last = new Object[32];
  /** clSetKernelArg calls made (for tests). */
  private long argumentCalls;

  ClKernel(ClContext owner, ClContext.Owned entry, cl_kernel kernel, String name) {
    this.owner = owner;
    this.entry = entry;
    this.kernel = kernel;
    this.name = name;
  }

  /** The kernel function's name. */
  public String name() {
    return name;
  }

  /** Sets argument {@code i} to a buffer. */
  public ClKernel arg(int i, ClBuffer b) {
    org.jocl.cl_mem mem = b.handle();
    return unchanged(i, mem) ? this : set(i, Sizeof.cl_mem, Pointer.to(mem), mem);
  }

  /** Sets argument {@code i} to an int. */
  public ClKernel arg(int i, int v) {
    return unchanged(i, v) ? this : set(i, Sizeof.cl_int, Pointer.to(new int[] {v}), v);
  }

  /** Sets argument {@code i} to a float. */
  public ClKernel arg(int i, float v) {
    return unchanged(i, v) ? this : set(i, Sizeof.cl_float, Pointer.to(new float[] {v}), v);
  }

  /** Sets argument {@code i} to a double (devices with {@code cl_khr_fp64} only). */
  public ClKernel arg(int i, double v) {
    return unchanged(i, v) ? this : set(i, Sizeof.cl_double, Pointer.to(new double[] {v}), v);
  }

  /** Sets argument {@code i} to a local-memory buffer of {@code bytes} bytes (at least 4). */
  public ClKernel local(int i, long bytes) {
    LocalSize size = new LocalSize(Math.max(4, bytes));
    return unchanged(i, size) ? this : set(i, size.bytes(), null, size);
  }

  /** A local-memory argument's size, as the value last set (unlike a Long, never equal to a value argument). */
  private record LocalSize(long bytes) {}

  /**
   * Whether argument {@code i} already holds {@code value}: the same buffer object (identity), or
   * an equal number (as {@link Float#equals} and {@link Double#equals} compare: by bits, all NaNs
   * alike) or local size. This object is the only one that sets its kernel's arguments (each
   * session makes its own kernels), so what it set last is what the kernel holds. A pass sets
   * most of a kernel's arguments to what they were in the pass before (the centres' buffers, k,
   * the local sizes); skipping those calls saves a native call each, and with NVIDIA's OpenCL
   * every call on the path of an iteration counts (docs/benchmarks.md, GPU).
   */
  private boolean unchanged(int i, Object value) {
    entry.checkAlive();
    if (i >= last.length) {
      return false;
    }
    Object v = last[i];
    return value instanceof org.jocl.cl_mem ? v == value : value.equals(v);
  }

  private ClKernel set(int i, long size, Pointer value, Object key) {
    entry.checkAlive();
    String call = "clSetKernelArg(" + name + ", " + i + ")";
    if (i >= last.length) {
      last = java.util.Arrays.copyOf(last, Math.max(i + 1, 2 * last.length));
    }
    last[i] = null; // unknown until the call succeeds
    long t0 = HostTimes.start();
    argumentCalls++;
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clSetKernelArg(kernel, i, size, value)), call);
    if (HostTimes.ENABLED) {
      HostTimes.record("clSetKernelArg(" + name + ")", t0);
    }
    last[i] = key;
    return this;
  }

  /** The clSetKernelArg calls this kernel has made: fewer than the arguments given, where values repeat. */
  long argumentCalls() {
    return argumentCalls;
  }

  /**
   * Enqueues a one-dimensional launch of {@code global} work-items in groups of {@code local}
   * (0 lets the runtime choose). Returns at once; later blocking reads on the same queue see
   * the results.
   */
  public void launch(long global, long local) {
    entry.checkAlive();
    if (global <= 0) {
      return;
    }
    long[] localSize = local > 0 ? new long[] {local} : null;
    String call = "clEnqueueNDRangeKernel(" + name + ")";
    cl_event done = KernelTimes.ENABLED ? new cl_event() : null;
    long t0 = HostTimes.start();
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clEnqueueNDRangeKernel(owner.queue(), kernel, 1, null,
        new long[] {global}, localSize, 0, null, done)), call);
    HostTimes.record(call, t0);
    if (done != null) {
      KernelTimes.record(name, done);
    }
  }

  /** The largest work-group this kernel can run with on the device ({@code CL_KERNEL_WORK_GROUP_SIZE}). */
  public long maxWorkGroupSize() {
    entry.checkAlive();
    long[] v = new long[1];
    String call = "clGetKernelWorkGroupInfo(" + name + ")";
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clGetKernelWorkGroupInfo(kernel, owner.deviceHandle(),
        CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(v), null)), call);
    return v[0];
  }
}
