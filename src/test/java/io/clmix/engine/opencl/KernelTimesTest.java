package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** {@link KernelTimes} adds each recorded command's device time to its name's total, on a real queue. */
class KernelTimesTest {
  @Test
  void eachRecordedCommandAddsItsDeviceTimeOnce() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    try (ClContext cl = ClContext.create(device)) {
      ClBuffer buf = cl.buffer("kernel-times test", 4L * (1 << 20));
      FloatBuffer src = ByteBuffer.allocateDirect(4 << 20).order(ByteOrder.nativeOrder()).asFloatBuffer();
      String name = "kernel-times-test-" + System.nanoTime();
      for (int i = 0; i < 3; i++) {
        // A transfer stands in for a launch: any profiled command has a start and an end.
        KernelTimes.record(name, buf.writeAsync(cl, 0, src, 1 << 20).handle());
      }
      assertEquals(3, KernelTimes.launches(name));
      assertTrue(KernelTimes.nanos(name) > 0, "a 4 MiB copy takes some device time: " + KernelTimes.nanos(name));
      assertEquals(0, KernelTimes.launches(name + "-other"));
      buf.close();
    }
  }
}
