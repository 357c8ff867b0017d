package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
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
    AtomicInteger runs = new AtomicInteger();
    // Runs of at least 10 ms cannot fill 0.1 s in fewer than ten.
    int n = DeviceBench.warmUp(sleeping(runs, 10), null, 0.1);
    assertEquals(runs.get(), n);
    assertTrue(n >= 10, "runs: " + n);
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
