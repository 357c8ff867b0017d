package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CPU per wall time: a figure only over windows the process CPU clock can resolve. */
class ProcessCpuTest {
  @Test
  void ratioOverALongEnoughWindow() {
    assertEquals(1.5, ProcessCpu.perWall(1_000_000_000L, 2_500_000_000L, 1_000_000_000L), 1e-12);
  }

  @Test
  void noFigureOverAFewClockTicks() {
    // Two 10 ms ticks of CPU time over 7.5 ms of wall time read 2.7 cores on a 2-core machine.
    assertTrue(Double.isNaN(ProcessCpu.perWall(0, 20_000_000L, 7_500_000L)));
    assertTrue(Double.isNaN(ProcessCpu.perWall(0, 0, ProcessCpu.MIN_WALL_NANOS - 1)));
  }

  @Test
  void noFigureWithoutTheCpuClock() {
    assertTrue(Double.isNaN(ProcessCpu.perWall(-1, -1, 2_000_000_000L)));
  }
}
