package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link CallTotals} adds events per label and reports them in name order, one line each, in the
 * layout bench/gpu-tune.sh reads (two spaces, the label, the count, the total and mean ms).
 */
class CallTotalsTest {
  @Test
  void totalsAddUpPerLabelAndReportInNameOrder() {
    CallTotals t = new CallTotals();
    t.add("km_b", 3_000_000);
    t.add("km_a", 1_000_000);
    t.add("km_b", 1_000_000);
    assertEquals(2, t.count("km_b"));
    assertEquals(4_000_000, t.nanos("km_b"));
    assertEquals(0, t.count("km_c"));
    String[] lines = t.report("title:", 6, "launches").split("\n");
    assertEquals(3, lines.length);
    assertEquals("title:", lines[0]);
    assertEquals("  km_a          1 launches        1.000 ms total     1.0000 ms each", lines[1]);
    assertEquals("  km_b          2 launches        4.000 ms total     2.0000 ms each", lines[2]);
  }
}
