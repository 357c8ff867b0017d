package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Program builds run on a thread with a large stack ({@link CompilerStack}): PoCL's LLVM
 * recursed past a Java thread's default 1 MiB while building {@code kmeans.cl} for 2,049 to
 * about 2,700 columns, and the JVM died with exit 139 and no message.
 */
class CompilerStackTest {
  /** Depth of a recursion of small frames: far more than a 1 MiB stack holds, far less than 256 MiB. */
  private static final int DEEP = 200_000;

  private static int depth(int n) {
    return n == 0 ? 0 : 1 + depth(n - 1);
  }

  @Test
  void aRecursionTooDeepForTheCallersStackCompletesOnTheBuildStack() {
    assertThrows(StackOverflowError.class, () -> {
      Thread t = new Thread(null, () -> depth(DEEP), "default-stack", 1 << 20);
      Throwable[] seen = new Throwable[1];
      t.setUncaughtExceptionHandler((th, e) -> seen[0] = e);
      t.start();
      t.join();
      if (seen[0] != null) {
        throw seen[0];
      }
    }, "the recursion must be deep enough to overflow 1 MiB, or the test proves nothing");
    assertEquals(DEEP, CompilerStack.run("test", () -> depth(DEEP)));
  }

  @Test
  void theCallsExceptionsReachTheCaller() {
    IllegalStateException thrown = new IllegalStateException("driver failed");
    assertSame(thrown, assertThrows(IllegalStateException.class, () -> CompilerStack.run("test", () -> {
      throw thrown;
    })));
    AssertionError error = new AssertionError("boom");
    assertSame(error, assertThrows(AssertionError.class, () -> CompilerStack.run("test", () -> {
      throw error;
    })));
  }

  @Test
  void anInterruptedCallerWaitsForTheBuildAndKeepsItsInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertEquals(7, CompilerStack.run("test", () -> {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          throw new AssertionError("the build thread was interrupted", e);
        }
        return 7;
      }));
      assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * The builds that crashed: the K-means programs for 2,100 columns with the CPU defaults, on this
   * thread's default-sized stack. PoCL keeps built programs in an on-disk cache, so a unique
   * definition makes it compile afresh (a cached binary would pass without the large stack).
   */
  @Test
  void kMeansKernelsForTheWidthThatCrashedPoclBuild() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    String options = KernelConfig.defaultsFor(device).defines(2100, device).with("CLMIX_TEST_NONCE", System.nanoTime())
        .options() + " " + ProgramCache.QUIET;
    try (ClContext cl = ClContext.create(device)) {
      for (KernelSource source : new KernelSource[] {KernelSource.load(OpenClEngine.KMEANS),
          KernelSource.load(OpenClEngine.SEED), KernelSource.load(OpenClEngine.KMEANS, OpenClEngine.KMEANS_PRUNED)}) {
        ClProgram program = cl.program(source.name(), source.text(), options);
        assertEquals(options, program.options(), source.name() + " built");
      }
    }
  }
}
