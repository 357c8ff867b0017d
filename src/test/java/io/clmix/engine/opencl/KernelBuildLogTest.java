package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The kernels compile without a single warning on the test device, in every configuration the
 * engine builds: the CPU shape (the mixture's float16 lanes), the GPU shapes (the register-tiled
 * Lloyd kernel, mixture parameters and points in local or global memory), a GPU without fp64,
 * and for narrow data (loops unrolled) and wide data (not). A warning is a sign that the source
 * does not say what it means (an unroll pragma the compiler cannot honour, a conversion that
 * loses bits), and some drivers print their warnings' summary on the process's stderr: PoCL's
 * clang printed "57 warnings generated." under the first fit on every new machine. The engine
 * builds with {@code -w} ({@link ProgramCache#QUIET}) as well, so that a new compiler's warnings
 * cannot reach the user either; these builds leave it out, to read the warnings in the logs.
 */
class KernelBuildLogTest {
  /** A kernel that draws a warning from any C compiler: an assignment used as a condition. */
  private static final KernelSource NOISY = KernelSource.of("noisy.cl",
      "__kernel void noisy(__global int* x) {\n  if (x[0] = 2) {\n    x[1] = 1;\n  }\n}\n");

  @Test
  void everyKernelConfigurationBuildsWithoutWarnings() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    assumeTheDeviceLogsWarnings(device);
    List<String> problems = new ArrayList<>();
    int built = 0;
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(device, 48 << 10);
    built += check(device, KernelConfig.defaultsFor(device).withPruning(true), problems);
    built += check(gpu, KernelConfig.defaultsFor(gpu), problems);
    // GPUs without fp64 exist (integrated and mobile ones); CPU devices all have it.
    built += check(OpenClTestSupport.withoutFp64(gpu), KernelConfig.defaultsFor(gpu), problems);
    built += checkSplitShapes(gpu, problems);
    assertTrue(built >= 50, "programs built: " + built);
    if (!problems.isEmpty()) {
      fail(problems.size() + " of " + built + " kernel builds on " + device.name() + " have warnings:\n"
          + String.join("\n", problems));
    }
  }

  @Test
  void theEngineBuildsQuietly() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      assertFalse(engine.programs().isEmpty());
      for (ClProgram p : engine.programs()) {
        assertTrue(p.options().endsWith(" " + ProgramCache.QUIET), p.toString());
      }
    }
    try (ClContext cl = ClContext.create(device)) {
      ClProgram quiet = new ProgramCache(cl).get(NOISY, Defines.empty());
      assertFalse(quiet.buildLog().toLowerCase(Locale.ROOT).contains("warning"), quiet.buildLog());
      assertEquals(ProgramCache.QUIET, quiet.options(), "-w alone when there are no definitions");
    }
  }

  /** Skips unless the device reports warnings in its build logs (else nothing can be checked). */
  private static void assumeTheDeviceLogsWarnings(ClDeviceInfo device) {
    try (ClContext cl = ClContext.create(device)) {
      String log = new ProgramCache(cl, "").get(NOISY, Defines.empty()).buildLog();
      Assumptions.assumeTrue(log.toLowerCase(Locale.ROOT).contains("warning"),
          device.name() + " does not report warnings in its build log: '" + log + "'");
    }
  }

  /**
   * Builds, without {@code -w}, every program an engine with {@code config} on {@code device}
   * makes for narrow and wide data, and adds a line per build whose log mentions a warning.
   * Returns the number of programs built.
   */
  private static int check(ClDeviceInfo device, KernelConfig config, List<String> problems) {
    try (OpenClEngine engine = OpenClEngine.create(device, config, "")) {
      // 5 columns: the column loops unrolled; 40: not (gmm.cl's GMM_UNROLL stops at 32).
      for (int dim : new int[] {5, 40}) {
        engine.programsFor(dim);
        if (config.kmGroups() > 0) {
          engine.gemmProgram(dim, true);
          engine.gemmProgram(dim, false);
        }
        if (device.fp64()) {
          engine.prunedProgram(dim);
        }
        KernelConfig c = config.forData(dim, device);
        boolean pairs = c.gmmLanes() > 1 && device.fp64();
        for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.TIED, CovarianceType.DIAG}) {
          GmmLayout layout = new GmmLayout(dim, 3, type, c.gmmBlock(), pairs);
          if (c.gmmLanes() > 1) {
            // CPU-shaped: the lanes read a transposed tile, so the tile is always local.
            engine.gmmProgram(layout, false, true);
          } else {
            // GPU-shaped: every plan GmmPass.plan makes, from everything local to nothing.
            engine.gmmProgram(layout, true, true);
            engine.gmmProgram(layout, true, false);
            engine.gmmProgram(layout, false, false);
          }
        }
      }
      for (ClProgram p : engine.programs()) {
        String log = p.buildLog();
        if (log.toLowerCase(Locale.ROOT).contains("warning")) {
          problems.add("  " + device.type() + " " + p + ":\n" + indent(log));
        }
      }
      return engine.programs().size();
    }
  }

  /**
   * The split Lloyd variant's other shapes: a longer unroll, and rows of 302 statistics columns,
   * more than a group of km_accumulate has work-items.
   */
  private static int checkSplitShapes(ClDeviceInfo gpu, List<String> problems) {
    KernelConfig config = KernelConfig.defaultsFor(gpu).withKmAccumulation(true, 8);
    try (OpenClEngine engine = OpenClEngine.create(gpu, config, "")) {
      int before = engine.programs().size();
      for (int dim : new int[] {5, 40, 300}) {
        engine.gemmProgram(dim, false);
      }
      for (ClProgram p : engine.programs()) {
        String log = p.buildLog();
        if (log.toLowerCase(Locale.ROOT).contains("warning")) {
          problems.add("  split " + p + ":\n" + indent(log));
        }
      }
      assertTrue(engine.programs().size() >= before + 3, "the split programs were built");
      return engine.programs().size();
    }
  }

  /** The first lines of a build log, indented. */
  private static String indent(String log) {
    List<String> lines = log.lines().limit(12).map(l -> "    " + l).toList();
    long more = log.lines().count() - lines.size();
    return String.join("\n", lines) + (more > 0 ? "\n    ... " + more + " more lines" : "");
  }
}
