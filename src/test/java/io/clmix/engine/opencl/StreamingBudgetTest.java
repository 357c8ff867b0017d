package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.DataSession;
import io.clmix.engine.TestData;
import org.junit.jupiter.api.Test;

/**
 * A memory budget caps what a streaming session puts on the device (KernelConfig's
 * deviceMemoryBudgetBytes: "the device memory a session may use for the data"; RowBlocks gives
 * each buffer set a quarter of it). A budget the session accepts must then bound the buffer sets
 * it allocates, or be refused as too small.
 */
class StreamingBudgetTest {
  @Test
  void theStreamingBuffersOfAnAcceptedBudgetStayWithinIt() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(20_001, 4, 5, 20_001, 61);
    // The per-row state (240 KB) moves to the host; a buffer set is promised 2 KB, 71 rows.
    long budget = 8_000;
    try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(budget));
        DataSession s = engine.open(data)) {
      OpenClSession session = (OpenClSession) s;
      assertTrue(session.streaming(), "the budget forces streaming");
      s.assign(TestData.someCentres(data, 5, 62));
      long used = session.streamBufferBytes();
      assertTrue(used <= budget, "a session accepted with a budget of " + budget + " bytes holds " + used
          + " bytes of streaming buffers on the device");
    }
  }
}
