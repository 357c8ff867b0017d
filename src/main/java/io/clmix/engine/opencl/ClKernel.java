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
    return set(i, Sizeof.cl_mem, Pointer.to(b.handle()));
  }

  /** Sets argument {@code i} to an int. */
  public ClKernel arg(int i, int v) {
    return set(i, Sizeof.cl_int, Pointer.to(new int[] {v}));
  }

  /** Sets argument {@code i} to a float. */
  public ClKernel arg(int i, float v) {
    return set(i, Sizeof.cl_float, Pointer.to(new float[] {v}));
  }

  /** Sets argument {@code i} to a double (devices with {@code cl_khr_fp64} only). */
  public ClKernel arg(int i, double v) {
    return set(i, Sizeof.cl_double, Pointer.to(new double[] {v}));
  }

  /** Sets argument {@code i} to a local-memory buffer of {@code bytes} bytes (at least 4). */
  public ClKernel local(int i, long bytes) {
    return set(i, Math.max(4, bytes), null);
  }

  private ClKernel set(int i, long size, Pointer value) {
    entry.checkAlive();
    String call = "clSetKernelArg(" + name + ", " + i + ")";
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clSetKernelArg(kernel, i, size, value)), call);
    return this;
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
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clEnqueueNDRangeKernel(owner.queue(), kernel, 1, null,
        new long[] {global}, localSize, 0, null, done)), call);
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
