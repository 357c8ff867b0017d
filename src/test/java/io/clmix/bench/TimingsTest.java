package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimingsTest {
  @Test
  void medianOfAnOddCountIsTheMiddleValue() {
    assertEquals(2.0, Timings.median(new double[] {3, 1, 2}));
    assertEquals(5.0, Timings.median(new double[] {5}));
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
    assertEquals(2.5, Timings.median(new double[] {4, 1, 3, 2}));
  }

  @Test
  void oneOutlierDoesNotMoveTheMedian() {
    assertEquals(1.0, Timings.median(new double[] {1, 1, 1, 1, 1000}));
  }

  @Test
  void medianLeavesItsInputAlone() {
    double[] v = {3, 1, 2};
    Timings.median(v);
    assertArrayEquals(new double[] {3, 1, 2}, v);
  }

  @Test
  void noValuesGiveNaN() {
    assertTrue(Double.isNaN(Timings.median(new double[0])));
    assertTrue(Double.isNaN(Timings.min(new double[0])));
  }

  @Test
  void pooledKeepsRunOrder() {
    assertArrayEquals(new double[] {1, 2, 3}, Timings.pooled(List.of(new double[] {1, 2}, new double[] {3})));
    assertEquals(1.0, Timings.min(new double[] {3, 1, 2}));
  }
}
