package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link JavaEngine#parallel}: every index once, results in index order, failures rethrown. */
class ParallelTest {
  @Test
  void everyIndexRunsOnceAndResultsComeInIndexOrder() {
    try (JavaEngine engine = new JavaEngine(3)) {
      for (int count : new int[] {1, 2, 3, 64, 1000}) {
        AtomicInteger calls = new AtomicInteger();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = engine.parallel(count, s -> {
          calls.incrementAndGet();
          threads.add(Thread.currentThread().getName());
          return s * s;
        });
        assertEquals(IntStream.range(0, count).map(s -> s * s).boxed().toList(), out, "count " + count);
        assertEquals(count, calls.get(), "count " + count);
        assertTrue(threads.size() <= 3, "at most the engine's threads: " + threads);
      }
    }
  }

  @Test
  void theFirstFailureIsRethrownAndTheOthersStop() {
    try (JavaEngine engine = new JavaEngine(2)) {
      IllegalArgumentException boom = new IllegalArgumentException("boom");
      AtomicInteger calls = new AtomicInteger();
      // Every other index takes a millisecond: the other runner could only take them all if the
      // failing one stalled for ten seconds between taking index 5 and throwing. With instant
      // indices a stall of about a millisecond on a loaded machine would be enough to fail it.
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.parallel(10_000, s -> {
        calls.incrementAndGet();
        if (s == 5) {
          throw boom;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
        }
        return s;
      }));
      assertSame(boom, e);
      assertTrue(calls.get() < 10_000, "indices after the failure are not taken: " + calls.get());
      // The engine still works after a failed pass.
      assertEquals(List.of(0, 1, 2), engine.parallel(3, s -> s));
    }
  }

  @Test
  void anErrorStaysAnError() {
    try (JavaEngine engine = new JavaEngine(2)) {
      assertThrows(StackOverflowError.class, () -> engine.parallel(4, s -> {
        if (s == 3) {
          throw new StackOverflowError("deep");
        }
        return s;
      }));
    }
  }

  @Test
  void aClosedEngineRefusesPasses() {
    JavaEngine engine = new JavaEngine(2);
    engine.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.parallel(4, s -> s));
    assertEquals("the Java engine is closed", e.getMessage());
  }
}
