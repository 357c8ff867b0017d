package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import org.junit.jupiter.api.Test;

/** Kernel sources come from the classpath (no device needed). */
class KernelSourceTest {

  @Test
  void familiesArePrefixedWithCommonAndLineDirectives() {
    for (String family : new String[] {OpenClEngine.KMEANS, OpenClEngine.SEED, OpenClEngine.REDUCE}) {
      KernelSource s = KernelSource.load(family);
      assertEquals(family, s.name());
      String text = s.text();
      assertTrue(text.startsWith("#line 1 \"common.cl\"\n"), family);
      assertTrue(text.contains("typedef double acc_t;"), "common.cl is included in " + family);
      int own = text.indexOf("#line 1 \"" + family + "\"\n");
      assertTrue(own > 0, "a line directive introduces " + family);
      assertTrue(text.substring(own).contains("Assumptions"), family + " opens with its assumptions");
    }
  }

  @Test
  void aMissingFileIsABuildErrorThatSaysWhere() {
    EngineException e = assertThrows(EngineException.class, () -> KernelSource.load("nope.cl"));
    assertEquals(EngineException.Kind.BUILD, e.kind());
    assertTrue(e.getMessage().contains("kernels/nope.cl"), e.getMessage());
  }
}
