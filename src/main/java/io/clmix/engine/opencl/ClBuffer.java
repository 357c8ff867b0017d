package io.clmix.engine.opencl;

import io.clmix.engine.EngineException;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * A device buffer owned by a {@link ClContext}: released by the context's close, or earlier by
 * {@link #close()}. Reads and writes are blocking transfers on the owner's queue (JOCL cannot
 * transfer asynchronously from Java arrays, which the garbage collector may move) and address
 * the buffer in elements of the array's type.
 */
public final class ClBuffer implements AutoCloseable {
  private final ClContext owner;
  private final ClContext.Owned entry;
  private final cl_mem mem;
  private final String name;
  private final long bytes;

  ClBuffer(ClContext owner, ClContext.Owned entry, cl_mem mem, String name, long bytes) {
    this.owner = owner;
    this.entry = entry;
    this.mem = mem;
    this.name = name;
    this.bytes = bytes;
  }

  /** Size in bytes. */
  public long sizeBytes() {
    return bytes;
  }

  /**
   * Whether the buffer can still be used: false once released. A pass that grows its buffers
   * asks, so that a buffer closed before a replacement that failed to allocate is made again
   * rather than reused.
   */
  boolean alive() {
    return !entry.released;
  }

  /** The name it was created with (used in error messages). */
  public String name() {
    return name;
  }

  cl_mem handle() {
    entry.checkAlive();
    return mem;
  }

  // ------------------------------------------------------------------ writes

  /** Copies {@code src[from, from + count)} to elements {@code [at, at + count)}. */
  public void write(long at, float[] src, int from, int count) {
    transfer(true, at, Sizeof.cl_float, count, Pointer.to(src), from, src.length);
  }

  /** Copies {@code src[from, from + count)} to elements {@code [at, at + count)}. */
  public void write(long at, int[] src, int from, int count) {
    transfer(true, at, Sizeof.cl_int, count, Pointer.to(src), from, src.length);
  }

  /** Copies {@code src[from, from + count)} to elements {@code [at, at + count)}. */
  public void write(long at, double[] src, int from, int count) {
    transfer(true, at, Sizeof.cl_double, count, Pointer.to(src), from, src.length);
  }

  /** Copies {@code src[from, from + count)} to 64-bit elements {@code [at, at + count)}. */
  public void write(long at, long[] src, int from, int count) {
    transfer(true, at, Sizeof.cl_long, count, Pointer.to(src), from, src.length);
  }

  /**
   * Enqueues a non-blocking copy of {@code count} floats from the direct buffer {@code src}
   * (from its position 0) to elements {@code [at, at + count)}, on {@code queue}'s queue (any
   * context sharing this buffer's native context) after {@code waitFor}. The host must not touch
   * {@code src} until the returned event has completed. A direct buffer does not move, which is
   * what makes an asynchronous transfer from Java possible at all.
   */
  ClEvent writeAsync(ClContext queue, long at, java.nio.FloatBuffer src, int count, ClEvent... waitFor) {
    if (!src.isDirect()) {
      throw new IllegalArgumentException("asynchronous writes need a direct buffer");
    }
    if (count > src.capacity()) {
      throw new IndexOutOfBoundsException(count + " floats from a buffer of " + src.capacity());
    }
    checkRange(at, count, Sizeof.cl_float);
    org.jocl.cl_event[] list = ClEvent.list(waitFor);
    org.jocl.cl_event e = new org.jocl.cl_event();
    String call = "clEnqueueWriteBuffer(" + name + ", async)";
    long t0 = HostTimes.start();
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clEnqueueWriteBuffer(queue.queue(), mem, false, at * Sizeof.cl_float,
        (long) count * Sizeof.cl_float, Pointer.to(src), list == null ? 0 : list.length, list, e)), call);
    HostTimes.record(call, t0);
    return ClEvent.of(e);
  }

  // ------------------------------------------------------------------ reads

  /** Copies elements {@code [at, at + count)} into {@code dst[to, to + count)}. */
  public void read(long at, float[] dst, int to, int count) {
    transfer(false, at, Sizeof.cl_float, count, Pointer.to(dst), to, dst.length);
  }

  /** Copies elements {@code [at, at + count)} into {@code dst[to, to + count)}. */
  public void read(long at, int[] dst, int to, int count) {
    transfer(false, at, Sizeof.cl_int, count, Pointer.to(dst), to, dst.length);
  }

  /** Copies elements {@code [at, at + count)} into {@code dst[to, to + count)}. */
  public void read(long at, double[] dst, int to, int count) {
    transfer(false, at, Sizeof.cl_double, count, Pointer.to(dst), to, dst.length);
  }

  /** Copies 64-bit elements {@code [at, at + count)} into {@code dst[to, to + count)}. */
  public void read(long at, long[] dst, int to, int count) {
    transfer(false, at, Sizeof.cl_long, count, Pointer.to(dst), to, dst.length);
  }

  // ------------------------------------------------------------------ fills

  /** Sets int elements {@code [at, at + count)} to {@code value} (enqueued; ordered before later commands). */
  public void fill(long at, long count, int value) {
    fill(at, count, Pointer.to(new int[] {value}), Sizeof.cl_int);
  }

  /** Sets float elements {@code [at, at + count)} to {@code value} (enqueued; ordered before later commands). */
  public void fill(long at, long count, float value) {
    fill(at, count, Pointer.to(new float[] {value}), Sizeof.cl_float);
  }

  private void fill(long at, long count, Pointer pattern, int elem) {
    checkRange(at, count, elem);
    if (count == 0) {
      return;
    }
    String call = "clEnqueueFillBuffer(" + name + ")";
    OpenCl.check(OpenCl.guardInt(call, () -> CL.clEnqueueFillBuffer(owner.queue(), mem, pattern, elem, at * elem,
        count * elem, 0, null, null)), call);
  }

  private void transfer(boolean write, long at, int elem, int count, Pointer host, int hostFrom, int hostLength) {
    if (hostFrom < 0 || count < 0 || hostFrom > hostLength - count) {
      throw new IndexOutOfBoundsException("host range [" + hostFrom + ", " + hostFrom + " + " + count
          + ") of an array of " + hostLength);
    }
    checkRange(at, count, elem);
    if (count == 0) {
      return;
    }
    Pointer p = host.withByteOffset((long) hostFrom * elem);
    long t0 = HostTimes.start();
    if (write) {
      String call = "clEnqueueWriteBuffer(" + name + ")";
      OpenCl.check(OpenCl.guardInt(call, () -> CL.clEnqueueWriteBuffer(owner.queue(), mem, true, at * elem,
          (long) count * elem, p, 0, null, null)), call);
      HostTimes.record(call, t0);
    } else {
      String call = "clEnqueueReadBuffer(" + name + ")";
      OpenCl.check(OpenCl.guardInt(call, () -> CL.clEnqueueReadBuffer(owner.queue(), mem, true, at * elem,
          (long) count * elem, p, 0, null, null)), call);
      HostTimes.record(call, t0);
    }
  }

  private void checkRange(long at, long count, int elem) {
    entry.checkAlive();
    if (at < 0 || count < 0 || (at + count) * elem > bytes) {
      throw new IndexOutOfBoundsException("elements [" + at + ", " + (at + count) + ") of " + elem
          + " bytes are outside buffer '" + name + "' of " + bytes + " bytes");
    }
  }

  /**
   * Releases the buffer now rather than when its context closes. Idempotent.
   *
   * @throws EngineException when the release fails
   */
  @Override
  public void close() {
    owner.release(entry, null);
  }

  @Override
  public String toString() {
    return "ClBuffer[" + name + ", " + bytes + " bytes]";
  }
}
