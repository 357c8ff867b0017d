package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineException;
import io.clmix.engine.ShardedEngine;
import io.clmix.engine.TestData;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A memory budget caps what a streaming session puts on the device (KernelConfig's
 * deviceMemoryBudgetBytes; RowBlocks gives each of the two buffer sets in flight a quarter of it)
 * down to a floor: a streamed piece is whole work-groups of rows, the groups of resident data, so
 * each set holds at least one group's rows. Above the floor the buffers stay within the budget;
 * below it they are exactly the floor, as KernelConfig documents.
 */
class StreamingBudgetTest {
  /** 20001 x 4 float rows, unweighted, with the per-row state (12 bytes) on the host. */
  private static final long BYTES_PER_ROW = 4 * 4 + RowBlocks.STATE_BYTES_PER_ROW;

  @Test
  void aBudgetAboveTheFloorBoundsTheStreamingBuffers() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    KernelConfig config = KernelConfig.defaultsFor(device);
    long budget = 4 * config.rowsPerGroup() * BYTES_PER_ROW + 1000;
    long used = bufferBytesAfterOnePass(device, config.withDeviceMemoryBudget(budget));
    assertTrue(used > 0 && used <= budget, "a budget of " + budget + " bytes holds " + used + " bytes of buffers");
  }

  @Test
  void aBudgetBelowTheFloorStreamsWholeGroups() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    KernelConfig config = KernelConfig.defaultsFor(device);
    long used = bufferBytesAfterOnePass(device, config.withDeviceMemoryBudget(8_000));
    assertEquals(2 * config.rowsPerGroup() * BYTES_PER_ROW, used, "two sets of one group's rows each");
  }

  private static long bufferBytesAfterOnePass(ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.blobs(20_001, 4, 5, 20_001, 61);
    try (OpenClEngine engine = OpenClEngine.create(device, config);
        DataSession s = engine.open(data)) {
      OpenClSession session = (OpenClSession) s;
      assertTrue(session.streaming(), "the budget forces streaming");
      s.assign(TestData.someCentres(data, 5, 62));
      return session.streamBufferBytes();
    }
  }

  /**
   * Every budget from the least that streams the data up streams them. 16 x 16 rows: four rows
   * with their state on the host take 304 bytes; the state (192 bytes) takes at most half of a
   * budget from 384 bytes, but only from 448 does a row for each set fit beside it. The state
   * went to the device from 384 all the same, so 384 to 447 bytes were refused ("expected
   * budget=304 or more") while 304 to 383 streamed.
   */
  @Test
  void everyBudgetFromTheLeastUpStreams() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(16, 16, 2, 16, 63);
    int[] labels = null;
    for (long budget : new long[] {304, 383, 384, 447, 448}) {
      try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(budget));
          DataSession s = engine.open(data)) {
        OpenClSession session = (OpenClSession) s;
        assertTrue(session.streaming(), "budget " + budget + " streams");
        assertEquals(budget >= 448, session.stateOnDevice(), "budget " + budget + ": where the state lives");
        s.assign(TestData.someCentres(data, 2, 64));
        int[] now = s.labels().toArray();
        if (labels != null) {
          assertArrayEquals(labels, now, "budget " + budget);
        }
        labels = now;
      }
    }
    try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(303))) {
      EngineException e = assertThrows(EngineException.class, () -> engine.open(data));
      assertTrue(e.getMessage().contains("expected budget=304 or more"), e.getMessage());
    }
  }

  /**
   * The least budget that streams a data set streams each device's shard of it. 31 x 16 rows in
   * chunks of 10 on two devices: the second shard's 11 rows were refused under the 304 bytes
   * that stream all 31 on one device (their state went to the device, leaving no room for a row).
   */
  @Test
  void theLeastBudgetForTheDataStreamsEveryShard() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(31, 16, 3, 10, 65);
    long least = 304;
    KernelConfig config = KernelConfig.defaultsFor(device).withDeviceMemoryBudget(least);
    KMeans km = KMeans.k(3).seed(66);
    KMeansResult one;
    try (OpenClEngine engine = OpenClEngine.create(device, config)) {
      one = km.fit(data, engine);
    }
    try (ShardedEngine two = new ShardedEngine(
        List.of(OpenClEngine.create(device, config), OpenClEngine.create(device, config)))) {
      KMeansResult sharded = km.fit(data, two);
      assertArrayEquals(one.labels().toArray(), sharded.labels().toArray());
      assertEquals(one.model().iterations(), sharded.model().iterations());
    }
  }

  /**
   * The least budget a refusal names is the least that works, also where that one holds the data
   * resident: one row of 8 columns takes 48 bytes resident, while streaming it takes 140 (its
   * state and a row for each set), and a budget of 47 was told "expected budget=140 or more".
   */
  @Test
  void aRefusalNamesTheResidentBudgetWhereThatIsLess() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(1, 8, 1, 1, 67);
    try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(47))) {
      EngineException e = assertThrows(EngineException.class, () -> engine.open(data));
      assertTrue(e.getMessage().contains("expected budget=48 or more"), e.getMessage());
    }
    try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(48));
        DataSession s = engine.open(data)) {
      assertFalse(((OpenClSession) s).streaming(), "48 bytes hold the row resident");
    }
  }
}
