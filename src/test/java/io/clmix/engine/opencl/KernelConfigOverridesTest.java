package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void theLloydAccumulationIsSplitOnGpusUnlessTheFusedKernelIsAskedFor() {
    assertTrue(KernelConfig.defaultsFor(LocalPlanTest.gpu(48 << 10)).kmAccSplit(), "the GPU default: split");
    assertEquals(KernelConfig.ACC_UNROLL, KernelConfig.defaultsFor(LocalPlanTest.gpu(48 << 10)).kmAccUnroll());
    KernelConfig fused = GPU.withOverrides("kg=4,kacc=fused");
    assertFalse(fused.kmAccSplit());
    KernelConfig tuned = fused.withOverrides("kacc=split,kaccUnroll=8");
    assertTrue(tuned.kmAccSplit());
    assertEquals(8, tuned.kmAccUnroll());
    assertTrue(tuned.withOverrides("wg=64").kmAccSplit(), "other overrides keep the variant");
    InputException bad = assertThrows(InputException.class, () -> GPU.withOverrides("kacc=twice"));
    assertTrue(bad.getMessage().contains("kacc=fused or kacc=split"), bad.getMessage());
    InputException number = assertThrows(InputException.class, () -> GPU.withOverrides("kacc=4"));
    assertTrue(number.getMessage().contains("kacc=fused or kacc=split"), number.getMessage());
    InputException unroll = assertThrows(InputException.class, () -> GPU.withOverrides("kaccUnroll=0"));
    assertTrue(unroll.getMessage().contains("kmAccUnroll: 0 is not allowed"), unroll.getMessage());
    InputException gone = assertThrows(InputException.class, () -> GPU.withOverrides("kaccPad=true"));
    assertTrue(gone.getMessage().contains("kaccPad"), gone.getMessage());
  }

  /** The split variant's program differs from the fused one only by its own definitions. */
  @Test
  void theSplitVariantBuildsItsOwnProgram() {
    ClDeviceInfo gpu = LocalPlanTest.gpu(48 << 10);
    assertEquals(GPU.withOverrides("kacc=fused").forData(32, gpu), GPU.withOverrides("kacc=fused,kaccUnroll=8")
        .forData(32, gpu), "km_accumulate's unroll is nothing to the fused kernel: the same configuration");
    assertEquals(8, GPU.withOverrides("kacc=split,kaccUnroll=8").forData(32, gpu).kmAccUnroll(), "the split variant's is");
    KernelConfig split = GPU.withKmAccumulation(true, 8);
    assertEquals(GPU.gemmDefines(32, gpu, true), split.gemmDefines(32, gpu, true), "the fused program is unchanged");
    assertEquals(GPU.gemmDefines(32, gpu, true).with("KG_FUSED", 0).with("KA_UNROLL", 8)
        .with("KA_WG", KernelConfig.ACC_GROUP), split.gemmDefines(32, gpu, false));
  }

  /** budget caps the device memory a session's data may take: bytes, or K, M, G of 1024. */
  @Test
  void theDeviceMemoryBudgetTakesBytesWithAnOptionalUnit() {
    assertEquals(0, GPU.deviceMemoryBudgetBytes(), "the default: seven eighths of the device");
    assertEquals(150_000, GPU.withOverrides("budget=150000").deviceMemoryBudgetBytes());
    assertEquals(64L << 10, GPU.withOverrides("budget=64k").deviceMemoryBudgetBytes());
    assertEquals(512L << 20, GPU.withOverrides("budget=512M").deviceMemoryBudgetBytes());
    assertEquals(4L << 30, GPU.withOverrides("wg=64,budget=4G").deviceMemoryBudgetBytes());
    assertEquals(0, GPU.withOverrides("budget=4G,budget=0").deviceMemoryBudgetBytes(), "the last one wins");
    for (String bad : new String[] {"budget=", "budget=G", "budget=4T", "budget=-1", "budget=1.5G",
        "budget=99999999999G"}) {
      InputException e = assertThrows(InputException.class, () -> GPU.withOverrides(bad), bad);
      assertTrue(e.getMessage().startsWith("-Dclmix.opencl.config: '" + bad + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("budget=BYTES, with an optional K, M or G"), e.getMessage());
    }
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
