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

  ClProgram(ClContext context, ClContext.Owned entry, cl_program handle, String name, String options) {
    this.context = context;
    this.entry = entry;
    this.handle = handle;
    this.name = name;
    this.options = options;
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

  @Override
  public String toString() {
    return name + " [" + options + "]";
  }
}
