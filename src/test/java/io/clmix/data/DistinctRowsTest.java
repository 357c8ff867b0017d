package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistinctRowsTest {
  @Test
  void distinctRowsAreDistinctAndInRange() {
    for (int k : new int[] {1, 5, 50, 100}) {
      long[] rows = DistinctRows.draw(100, k, new SplittableRandom(k));
      Set<Long> seen = new HashSet<>();
      for (long r : rows) {
        assertTrue(r >= 0 && r < 100);
        seen.add(r);
      }
      assertEquals(k, seen.size());
    }
  }

  @Test
  void theSeedDecidesTheRows() {
    assertArrayEquals(DistinctRows.draw(1_000_000, 7, new SplittableRandom(3)),
        DistinctRows.draw(1_000_000, 7, new SplittableRandom(3)));
  }
}
