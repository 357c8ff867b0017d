package io.clmix.engine.opencl;

import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_QUEUE_PROFILING_ENABLE;

import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

/**
 * An OpenCL context and one in-order command queue (profiling enabled) on one device, owning
 * every OpenCL object it creates: buffers, programs, kernels, the queue and its reference to
 * the context. {@link #close()} releases them in reverse order of creation (JogAmp's and
 * Boost.Compute's discipline), is idempotent, and releases everything even when one release
 * fails; the first failure is thrown with the others suppressed.
 *
 * <p>{@link #share()} gives a second owner on the same native context with its own queue: an
 * engine keeps one context with its compiled programs, and each session shares it, so sessions
 * on different threads neither contend for a queue nor set arguments on the same kernel objects
 * (the one OpenCL call that is not thread-safe), and closing a session releases exactly what
 * it made.
 *
 * <p>Creating objects is thread-safe; the queue is meant for one thread at a time.
 */
public final class ClContext implements AutoCloseable {

  /** Releases one native object; returns its OpenCL status. */
  @FunctionalInterface
  interface Release {
    int release();
  }

  /** One owned object: what it is (for messages) and how to release it. */
  static final class Owned {
    final String what;
    final Release release;
    /** Set once the object is released; a handle must not reach OpenCL after that (it would crash). */
    volatile boolean released;

    Owned(String what, Release release) {
      this.what = what;
      this.release = release;
    }

    /** Throws unless the object is still alive. */
    void checkAlive() {
      if (released) {
        throw new IllegalStateException(what + " has been released");
      }
    }
  }

  private final ClDeviceInfo info;
  private final cl_device_id device;
  private final cl_context context;
  private final cl_command_queue queue;
  /** Owned objects, most recent first. Guarded by {@code this}. */
  private final Deque<Owned> owned = new ArrayDeque<>();
  private boolean closed;

  private ClContext(ClDeviceInfo info, cl_device_id device, cl_context shared) {
    this.info = info;
    this.device = device;
    try {
      if (shared == null) {
        int[] err = new int[1];
        this.context = OpenCl.create("clCreateContext(" + info.name() + ")", err,
            () -> CL.clCreateContext(null, 1, new cl_device_id[] {device}, null, null, err));
      } else {
        OpenCl.check(OpenCl.guardInt("clRetainContext", () -> CL.clRetainContext(shared)), "clRetainContext");
        this.context = shared;
      }
      own("context", () -> CL.clReleaseContext(context));
      int[] err = new int[1];
      this.queue = OpenCl.create("clCreateCommandQueue(" + info.name() + ")", err,
          () -> CL.clCreateCommandQueue(context, device, CL_QUEUE_PROFILING_ENABLE, err));
      own("command queue", () -> CL.clReleaseCommandQueue(queue));
    } catch (RuntimeException | Error e) {
      throw closeAndRethrow(this, e);
    }
  }

  /**
   * A new context and queue on {@code info}'s device.
   *
   * @throws EngineException when the device is gone or the context cannot be created
   */
  public static ClContext create(ClDeviceInfo info) {
    return new ClContext(info, OpenCl.handle(info), null);
  }

  /**
   * A new owner on the same native context with its own command queue. Programs built by this
   * context can make kernels in the shared one. Closing either leaves the other working.
   */
  public ClContext share() {
    synchronized (this) {
      checkOpen();
    }
    return new ClContext(info, device, context);
  }

  /** The device this context runs on. */
  public ClDeviceInfo device() {
    return info;
  }

  cl_device_id deviceHandle() {
    return device;
  }

  cl_command_queue queue() {
    return queue;
  }

  // ------------------------------------------------------------------ objects

  /**
   * A read-write device buffer of {@code bytes} bytes (at least 1), contents undefined.
   *
   * @throws EngineException of kind ALLOCATION when it exceeds the device's largest allocation
   *     or the device cannot allocate it
   */
  public ClBuffer buffer(String name, long bytes) {
    checkOpenSynchronized();
    long size = Math.max(bytes, 4);
    if (size > info.maxAllocBytes()) {
      throw new EngineException(Kind.ALLOCATION, "buffer '" + name + "' of " + size + " bytes exceeds the largest"
          + " allocation of " + info.name() + " (" + info.maxAllocBytes() + " bytes)");
    }
    String call = "clCreateBuffer(" + name + ", " + size + " bytes)";
    int[] err = new int[1];
    cl_mem mem = OpenCl.create(call, err, () -> CL.clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, err));
    Owned entry = own("buffer " + name, () -> CL.clReleaseMemObject(mem));
    return new ClBuffer(this, entry, mem, name, size);
  }

  /**
   * Compiles {@code source} with {@code options} for this context's device.
   *
   * @throws EngineException of kind BUILD, with the compiler's log, when the build fails
   */
  public ClProgram program(String name, String source, String options) {
    checkOpenSynchronized();
    int[] err = new int[1];
    cl_program program = OpenCl.create("clCreateProgramWithSource(" + name + ")", err,
        () -> CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, err));
    Owned entry = own("program " + name, () -> CL.clReleaseProgram(program));
    int code = OpenCl.guardInt("clBuildProgram", () -> CompilerStack.run(name,
        () -> CL.clBuildProgram(program, 1, new cl_device_id[] {device}, options, null, null)));
    if (code != CL.CL_SUCCESS) {
      String log = buildLog(program);
      EngineException failure = new EngineException(Kind.BUILD, "clBuildProgram(" + name + ") failed: "
          + OpenCl.errorName(code) + " on " + info.name() + " (" + info.id() + ")\noptions: " + options
          + "\nbuild log:\n" + (log.isBlank() ? "(empty)" : log.strip()));
      release(entry, failure);
      throw failure;
    }
    try {
      ProgramDump.maybeWrite(program, name, options);
    } catch (RuntimeException e) {
      release(entry, e);
      throw e;
    }
    return new ClProgram(this, entry, program, name, options, buildLog(program).strip());
  }

  /** A kernel object for {@code name} in {@code program}, which must belong to this native context. */
  public ClKernel kernel(ClProgram program, String name) {
    checkOpenSynchronized();
    if (program.context().context != context) {
      throw new IllegalArgumentException("program " + program.name() + " belongs to another OpenCL context");
    }
    program.checkAlive();
    int[] err = new int[1];
    cl_kernel kernel = OpenCl.create("clCreateKernel(" + name + ")", err,
        () -> CL.clCreateKernel(program.handle(), name, err));
    Owned entry = own("kernel " + name, () -> CL.clReleaseKernel(kernel));
    return new ClKernel(this, entry, kernel, name);
  }

  /**
   * Enqueues a marker on this context's queue: an event that completes once every command
   * queued before it has (a point another queue can wait for).
   */
  ClEvent marker() {
    checkOpenSynchronized();
    org.jocl.cl_event e = new org.jocl.cl_event();
    OpenCl.check(OpenCl.guardInt("clEnqueueMarkerWithWaitList",
        () -> CL.clEnqueueMarkerWithWaitList(queue, 0, null, e)), "clEnqueueMarkerWithWaitList");
    return ClEvent.of(e);
  }

  /** Makes every command queued on this context's queue after this call wait for {@code event}. */
  void waitFor(ClEvent event) {
    checkOpenSynchronized();
    if (event == null) {
      return;
    }
    OpenCl.check(OpenCl.guardInt("clEnqueueBarrierWithWaitList",
        () -> CL.clEnqueueBarrierWithWaitList(queue, 1, new org.jocl.cl_event[] {event.handle()}, null)),
        "clEnqueueBarrierWithWaitList");
  }

  /** Submits the queued commands to the device without waiting for them. */
  void flush() {
    checkOpenSynchronized();
    OpenCl.check(OpenCl.guardInt("clFlush", () -> CL.clFlush(queue)), "clFlush");
  }

  /** Blocks until every command queued so far has completed. */
  public void finish() {
    checkOpenSynchronized();
    OpenCl.check(OpenCl.guardInt("clFinish", () -> CL.clFinish(queue)), "clFinish");
  }

  private String buildLog(cl_program program) {
    try {
      long[] size = new long[1];
      int code = OpenCl.guardInt("clGetProgramBuildInfo",
          () -> CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size));
      if (code != CL.CL_SUCCESS || size[0] <= 1) {
        return "";
      }
      byte[] bytes = new byte[(int) size[0]];
      code = OpenCl.guardInt("clGetProgramBuildInfo",
          () -> CL.clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null));
      return code == CL.CL_SUCCESS ? OpenCl.cString(bytes) : "(build log unavailable: " + OpenCl.errorName(code) + ")";
    } catch (RuntimeException e) {
      return "(build log unavailable: " + e + ")";
    }
  }

  // ------------------------------------------------------------------ ownership

  /**
   * Registers an object this context must release; package-private so tests can add failing
   * ones. The object exists already: when the context was closed since the caller checked (a
   * close on another thread), it is released here before the refusal, or nothing would.
   */
  Owned own(String what, Release release) {
    synchronized (this) {
      if (!closed) {
        Owned entry = new Owned(what, release);
        owned.push(entry);
        OpenCl.countCreated();
        return entry;
      }
    }
    IllegalStateException refused = new IllegalStateException("the OpenCL context on " + info.name() + " is closed");
    OpenCl.countCreated(); // counted as every object is, so that releaseOne's count balances it
    Throwable failure = releaseOne(new Owned(what, release));
    if (failure != null) {
      refused.addSuppressed(failure);
    }
    throw refused;
  }

  /**
   * Releases one owned object ahead of {@link #close()} (a buffer that is being replaced). A
   * second call for the same entry does nothing. A failure is thrown, or added to
   * {@code pending} when that is not null (and then nothing is thrown).
   */
  void release(Owned entry, Throwable pending) {
    synchronized (this) {
      boolean removed = false;
      for (Iterator<Owned> it = owned.iterator(); it.hasNext(); ) {
        if (it.next() == entry) {
          it.remove();
          removed = true;
          break;
        }
      }
      if (!removed) {
        return;
      }
    }
    Throwable failure = releaseOne(entry);
    if (failure != null) {
      if (pending != null) {
        pending.addSuppressed(failure);
      } else if (failure instanceof RuntimeException re) {
        throw re;
      } else {
        throw (Error) failure;
      }
    }
  }

  private static Throwable releaseOne(Owned entry) {
    entry.released = true;
    try {
      int code = entry.release.release();
      OpenCl.countReleased();
      return code == CL.CL_SUCCESS ? null : OpenCl.error(code, "release of " + entry.what);
    } catch (RuntimeException | Error e) {
      // The object is as released as it will ever be; count it so the books stay balanced.
      OpenCl.countReleased();
      return e;
    }
  }

  /** Objects this context owns and has not released yet. */
  public synchronized int liveObjects() {
    return owned.size();
  }

  /** Whether {@link #close()} has been called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  private synchronized void checkOpenSynchronized() {
    checkOpen();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the OpenCL context on " + info.name() + " is closed");
    }
  }

  /**
   * Releases everything this context owns, most recent first. Every object is released even
   * when some releases fail; the first failure is thrown, the later ones suppressed in it.
   * Idempotent.
   */
  @Override
  public void close() {
    Deque<Owned> toRelease;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toRelease = new ArrayDeque<>(owned);
      owned.clear();
    }
    Throwable first = null;
    for (Owned entry : toRelease) {
      Throwable failure = releaseOne(entry);
      if (failure == null) {
        continue;
      }
      if (first == null) {
        first = failure;
      } else {
        first.addSuppressed(failure);
      }
    }
    if (first instanceof RuntimeException re) {
      throw re;
    }
    if (first != null) {
      throw (Error) first;
    }
  }

  /**
   * Closes {@code resource} after {@code original} went wrong, so that a failure to close is
   * recorded as suppressed instead of replacing the original. Returns {@code original} for
   * {@code throw closeAfterFailure(resource, e)}.
   */
  public static <T extends Throwable> T closeAfterFailure(AutoCloseable resource, T original) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Throwable t) {
        if (t != original) {
          original.addSuppressed(t);
        }
      }
    }
    return original;
  }

  /**
   * {@link #closeAfterFailure} for an unchecked failure: closes {@code resource} and returns the
   * original exception for {@code throw} (an {@link Error} is thrown directly).
   */
  static RuntimeException closeAndRethrow(AutoCloseable resource, Throwable original) {
    closeAfterFailure(resource, original);
    if (original instanceof RuntimeException re) {
      return re;
    }
    if (original instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(original);
  }

  /**
   * {@code b} when it is alive and holds at least {@code bytes}, else a new buffer of that size
   * named {@code name}, {@code b} closed first. Callers keep the result in the field {@code b}
   * came from: a buffer closed here whose replacement then fails to allocate stays there,
   * released, and the next pass makes it again rather than handing it to a kernel.
   */
  ClBuffer ensure(ClBuffer b, String name, long bytes) {
    if (b != null && b.alive() && b.sizeBytes() >= bytes) {
      return b;
    }
    if (b != null) {
      b.close();
    }
    return buffer(name, bytes);
  }
}
