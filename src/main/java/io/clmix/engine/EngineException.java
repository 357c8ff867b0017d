package io.clmix.engine;

/**
 * A failure of the device an engine runs on: a kernel that would not build, memory the device
 * could not allocate, rows too wide for its local memory, an error returned in the middle of a
 * pass, or a runtime that is missing.
 *
 * <p>Engine failures are not input errors: the same data would fit on another engine. The
 * {@link io.clmix.engine.EngineSelector automatic device choice} catches them and continues on
 * the Java engine; a device the user named explicitly turns them into a usage error instead.
 */
public class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure, so callers can react (retry with streaming, fall back, report). */
  public enum Kind {
    /** The runtime or device is missing: no OpenCL loader, no platform, no such device. */
    UNAVAILABLE,
    /** A kernel failed to compile or link; the message carries the build log. */
    BUILD,
    /** The device ran out of memory or resources (CL_MEM_OBJECT_ALLOCATION_FAILURE, CL_OUT_OF_RESOURCES). */
    ALLOCATION,
    /**
     * The data's rows are too wide for the device: a kernel needs more local memory per
     * work-group for that many columns than the device has. Unlike {@link #ALLOCATION},
     * streaming the data in chunks cannot help, since every chunk has the same columns; another
     * engine can.
     */
    LOCAL_MEMORY,
    /** Any other error reported by the device during a pass. */
    EXECUTION;

    /**
     * Whether the failure depends on the data rather than on the device: other data (fewer rows,
     * fewer columns) may run on the same device, so a guard tries it again for the next session.
     */
    public boolean dependsOnData() {
      return this == ALLOCATION || this == LOCAL_MEMORY;
    }
  }

  private final Kind kind;

  public EngineException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public EngineException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
