package io.clmix.engine.opencl;

import org.jocl.CL;
import org.jocl.cl_event;

/**
 * An OpenCL event of one enqueued command, used to order the two queues of a streamed pass
 * (uploads on a transfer queue, kernels on the compute queue) without blocking the host. Short
 * lived and owned by whoever enqueued the command: {@link #release()} it once no command will
 * wait for it any more. Counted in {@link OpenCl#liveObjects()} like every other object.
 */
final class ClEvent {
  private final cl_event event;
  private boolean released;

  private ClEvent(cl_event event) {
    this.event = event;
    OpenCl.countCreated();
  }

  /** Wraps the event an enqueue call filled in. */
  static ClEvent of(cl_event event) {
    return new ClEvent(event);
  }

  cl_event handle() {
    if (released) {
      throw new IllegalStateException("event already released");
    }
    return event;
  }

  /** Blocks the host until the command has completed. */
  void await() {
    OpenCl.check(OpenCl.guardInt("clWaitForEvents", () -> CL.clWaitForEvents(1, new cl_event[] {handle()})),
        "clWaitForEvents");
  }

  /** Releases the event. Idempotent; a null event is ignored by {@link #release(ClEvent)}. */
  void release() {
    if (released) {
      return;
    }
    released = true;
    OpenCl.countReleased();
    OpenCl.check(OpenCl.guardInt("clReleaseEvent", () -> CL.clReleaseEvent(event)), "clReleaseEvent");
  }

  /** Releases {@code e} when it is not null. */
  static void release(ClEvent e) {
    if (e != null) {
      e.release();
    }
  }

  /** The handles of the non-null events, for an event wait list (null when there are none). */
  static cl_event[] list(ClEvent... events) {
    int n = 0;
    for (ClEvent e : events) {
      n += e != null ? 1 : 0;
    }
    if (n == 0) {
      return null;
    }
    cl_event[] out = new cl_event[n];
    int i = 0;
    for (ClEvent e : events) {
      if (e != null) {
        out[i++] = e.handle();
      }
    }
    return out;
  }
}
