package io.clmix.engine.opencl;

import java.util.function.IntSupplier;

/**
 * Runs an OpenCL compiler call (a program build) on a thread with a large stack.
 *
 * <p>OpenCL drivers compile on the calling thread, and LLVM's optimisers recurse: PoCL's
 * (LLVM 15) ScalarEvolution went about 4,000 frames deep on the K-means programs at some widths
 * (2,049 to about 2,700 columns, and near 16,400), past the 1 MiB of a Java thread's default
 * stack. A native stack overflow kills the JVM outright (exit 139, no hs_err file, no message).
 * The build thread reserves {@link #STACK_BYTES} of address space; only the pages a build
 * touches are ever committed, so the reservation costs nothing while unused.
 */
final class CompilerStack {
  /** Stack reserved for a build: 256 times the default, far beyond any recursion seen. */
  static final long STACK_BYTES = 256L << 20;

  private CompilerStack() {}

  /** {@code call}'s result, computed on a fresh thread with a {@link #STACK_BYTES} stack; its exceptions rethrown here. */
  static int run(String name, IntSupplier call) {
    int[] result = new int[1];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = call.getAsInt();
      } catch (Throwable e) { // handed to the caller, who rethrows it
        failure[0] = e;
      }
    }, "clmix-build-" + name, STACK_BYTES);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join(); // a build cannot be abandoned midway: the driver owns the program meanwhile
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] instanceof RuntimeException e) {
      throw e;
    }
    if (failure[0] instanceof Error e) {
      throw e;
    }
    if (failure[0] != null) {
      // A checked exception thrown sneakily: never report it as the call's status (0 is success).
      throw new IllegalStateException(failure[0]);
    }
    return result[0];
  }
}
