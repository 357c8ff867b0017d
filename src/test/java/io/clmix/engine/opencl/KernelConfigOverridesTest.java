package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import org.junit.jupiter.api.Test;

/** The tuning overrides of {@code -Dclmix.opencl.config}: applied, validated, named in errors. */
class KernelConfigOverridesTest {
  private static final KernelConfig GPU = new KernelConfig(128, 4, 2, 8, 0, 0, 8).withKmGroups(4).withPruning(false);

  @Test
  void nothingSetChangesNothing() {
    assertSame(GPU, GPU.withOverrides(null));
    assertSame(GPU, GPU.withOverrides("  "));
  }

  @Test
  void namedTunablesAreReplacedAndTheRestKept() {
    KernelConfig c = GPU.withOverrides("wg=256, tiles=2,kg=8,cv=1,ppi=2,prune=true,gmmVecs=4");
    assertEquals(256, c.workGroupSize());
    assertEquals(2, c.tilesPerGroup());
    assertEquals(8, c.kmGroups());
    assertEquals(1, c.centreVecs());
    assertEquals(2, c.pointsPerItem());
    assertTrue(c.pruning());
    assertEquals(4, c.gmmVecs());
    assertEquals(GPU.maxTrials(), c.maxTrials());
    assertEquals(GPU.gmmLanes(), c.gmmLanes());
  }

  @Test
  void anUnknownKeyOrABadValueNamesThePropertyAndThePart() {
    InputException unknown = assertThrows(InputException.class, () -> GPU.withOverrides("tiles=2,speed=9"));
    assertTrue(unknown.getMessage().startsWith("-Dclmix.opencl.config: 'speed=9'"), unknown.getMessage());
    InputException notNumber = assertThrows(InputException.class, () -> GPU.withOverrides("wg=big"));
    assertTrue(notNumber.getMessage().contains("'wg=big'"), notNumber.getMessage());
    InputException notBoolean = assertThrows(InputException.class, () -> GPU.withOverrides("prune=yes"));
    assertTrue(notBoolean.getMessage().contains("prune=true or prune=false"), notBoolean.getMessage());
    InputException invalid = assertThrows(InputException.class, () -> GPU.withOverrides("wg=100"));
    assertTrue(invalid.getMessage().contains("workGroupSize: 100 is not allowed"), invalid.getMessage());
  }
}
