package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** {@link HostTimes} adds each call to its label's total, and records nothing while it is off. */
class HostTimesTest {
  @Test
  void callsAddUpPerLabelAndNothingIsRecordedWhileOff() {
    String label = "host-times-test-" + System.nanoTime();
    HostTimes.add(label, 1_000);
    HostTimes.add(label, 2_500);
    assertEquals(2, HostTimes.calls(label));
    assertEquals(3_500, HostTimes.nanos(label));
    assertEquals(0, HostTimes.calls(label + "-other"));
    assertFalse(HostTimes.ENABLED, "the tests run without -D" + HostTimes.PROPERTY);
    HostTimes.record(label, HostTimes.start());
    assertEquals(2, HostTimes.calls(label), "off: record() adds nothing");
  }
}
