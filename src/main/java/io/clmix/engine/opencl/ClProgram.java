package io.clmix.engine.opencl;

import org.jocl.cl_program;

/**
 * A program built for one device, owned and released by the {@link ClContext} that built it.
 * Any context that {@link ClContext#share() shares} the native context can make kernels from it.
 */
public final class ClProgram {
  private final ClContext context;
  private final ClContext.Owned entry;
  private final cl_program handle;
  private final String name;
  private final String options;
  private final String buildLog;

  ClProgram(ClContext context, ClContext.Owned entry, cl_program handle, String name, String options,
      String buildLog) {
    this.context = context;
    this.entry = entry;
    this.handle = handle;
    this.name = name;
    this.options = options;
    this.buildLog = buildLog;
  }

  ClContext context() {
    return context;
  }

  void checkAlive() {
    entry.checkAlive();
  }

  cl_program handle() {
    return handle;
  }

  /** The source's name, such as {@code kmeans.cl}. */
  public String name() {
    return name;
  }

  /** The build options it was compiled with. */
  public String options() {
    return options;
  }

  /**
   * What the compiler said while building it ({@code CL_PROGRAM_BUILD_LOG}), stripped; empty
   * when it said nothing. Kept so that tests can insist on a clean build and {@code --verbose}
   * can show it; never printed in normal operation.
   */
  public String buildLog() {
    return buildLog;
  }

  @Override
  public String toString() {
    return name + " [" + options + "]";
  }
}
