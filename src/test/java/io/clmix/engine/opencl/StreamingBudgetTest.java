package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.DataSession;
import io.clmix.engine.TestData;
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
}
