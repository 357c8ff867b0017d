package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bench's warm-up: one run, then more until its seconds have passed; and what it accepts. */
class WarmUpTest {
  /** A run that takes at least {@code millis} and counts itself. */
  private static Passes sleeping(AtomicInteger runs, long millis) {
    return session -> {
      runs.incrementAndGet();
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return new Passes.RunResult(new double[] {0}, 0);
    };
  }

  @Test
  void zeroSecondsIsOneRun() {
    AtomicInteger runs = new AtomicInteger();
    assertEquals(1, DeviceBench.warmUp(sleeping(runs, 0), null, 0));
    assertEquals(1, runs.get());
  }

  @Test
  void runsOnUntilTheSecondsHavePassed() {
    // How many 10 ms runs fit in 0.1 s depends on how long this machine's sleeps overshoot, so
    // the test checks the times instead: the warm-up lasts the 0.1 s, and every run but the last
    // ended within them (a run begins only while time is left).
    List<long[]> times = new ArrayList<>();
    Passes timed = session -> {
      long start = System.nanoTime();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      times.add(new long[] {start, System.nanoTime()});
      return new Passes.RunResult(new double[] {0}, 0);
    };
    long before = System.nanoTime();
    int n = DeviceBench.warmUp(timed, null, 0.1);
    long after = System.nanoTime();
    assertEquals(times.size(), n);
    // More than one run, unless the first one took the seconds itself (a sleep that overshot by
    // a tenth of a second): a warm-up that waited out the time after one short run fails here.
    long firstRun = times.get(0)[1] - times.get(0)[0];
    assertTrue(n >= 2 || firstRun >= 90_000_000L, "one run of " + firstRun / 1e6 + " ms");
    assertTrue(after - before >= 100_000_000L, "the warm-up lasted " + (after - before) / 1e6 + " ms");
    long firstStart = times.get(0)[0];
    for (int i = 0; i < n - 1; i++) {
      assertTrue(times.get(i)[1] - firstStart < 100_000_000L, "run " + (i + 1) + " of " + n + " ended after 0.1 s");
    }
  }

  @Test
  void aRunLongerThanTheWarmUpIsTheOnlyOne() {
    AtomicInteger runs = new AtomicInteger();
    assertEquals(1, DeviceBench.warmUp(sleeping(runs, 60), null, 0.05));
  }

  @Test
  void theSpecRefusesWarmUpsOutsideZeroToTenMinutes() {
    for (double bad : new double[] {-1, 601, Double.NaN, Double.POSITIVE_INFINITY}) {
      InputException e = assertThrows(InputException.class,
          () -> new BenchSpec(BenchSpec.Algo.KMEANS, null, 10, 2, 2, 1, 1, 0, bad), "warm-up " + bad);
      assertTrue(e.getMessage().startsWith("--warmup: ") && e.getMessage().endsWith("expected seconds from 0 to 600"),
          e.getMessage());
    }
    assertEquals("--warmup: -1 is not allowed; expected seconds from 0 to 600", assertThrows(InputException.class,
        () -> new BenchSpec(BenchSpec.Algo.KMEANS, null, 10, 2, 2, 1, 1, 0, -1)).getMessage());
    assertEquals(0, new BenchSpec(BenchSpec.Algo.KMEANS, null, 10, 2, 2, 1, 1, 0).warmupSeconds(), "one run by default");
  }
}
