package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgramCacheTest {
  private ClDeviceInfo device;

  @BeforeEach
  void device() {
    device = OpenClTestSupport.requireDevice();
  }

  @Test
  void aBrokenKernelFailsWithTheBuildLog() {
    KernelSource broken = KernelSource.of("broken.cl",
        "__kernel void broken(__global float* x) {\n  x[0] = undefined_variable_xyz;\n}\n");
    try (ClContext cl = ClContext.create(device)) {
      ProgramCache cache = new ProgramCache(cl);
      int live = cl.liveObjects();
      EngineException e = assertThrows(EngineException.class, () -> cache.get(broken, Defines.empty().with("N", 1)));
      assertEquals(EngineException.Kind.BUILD, e.kind());
      String m = e.getMessage();
      assertTrue(m.startsWith("clBuildProgram(broken.cl) failed: CL_BUILD_PROGRAM_FAILURE"), m);
      assertTrue(m.contains("undefined_variable_xyz"), "the compiler's log is in the message: " + m);
      assertTrue(m.contains("-D N=1"), "so are the options: " + m);
      assertEquals(live, cl.liveObjects(), "the failed program is released");
      assertEquals(0, cache.size(), "a failure is not cached");
    }
  }

  @Test
  void programsAreCachedByOptions() {
    KernelSource src = KernelSource.of("tiny.cl", "__kernel void tiny(__global int* x) { x[0] = VALUE; }\n");
    try (ClContext cl = ClContext.create(device)) {
      ProgramCache cache = new ProgramCache(cl);
      ClProgram a = cache.get(src, Defines.empty().with("VALUE", 1));
      ClProgram b = cache.get(src, Defines.empty().with("VALUE", 1));
      ClProgram c = cache.get(src, Defines.empty().with("VALUE", 2));
      assertSame(a, b);
      assertNotSame(a, c);
      assertEquals(2, cache.size());

      // The program really uses its definitions.
      ClKernel k = cl.kernel(c, "tiny");
      ClBuffer out = cl.buffer("out", 4);
      k.arg(0, out).launch(1, 1);
      int[] v = new int[1];
      out.read(0, v, 0, 1);
      assertEquals(2, v[0]);
    }
  }

  @Test
  void everyKernelFamilyBuildsForSeveralDimensions() {
    try (ClContext cl = ClContext.create(device)) {
      ProgramCache cache = new ProgramCache(cl);
      KernelConfig config = KernelConfig.defaultsFor(device);
      for (int dim : new int[] {1, 7, 65}) {
        for (String family : new String[] {OpenClEngine.KMEANS, OpenClEngine.SEED, OpenClEngine.REDUCE}) {
          cache.get(KernelSource.load(family), config.defines(dim, device));
        }
      }
      // Without fp64 the compensated-float accumulator is used; it must build too.
      cache.get(KernelSource.load(OpenClEngine.REDUCE), Defines.empty());
      cache.get(KernelSource.load(OpenClEngine.SEED), config.defines(3, device).flag("HAVE_FP64", false));
    }
  }
}
