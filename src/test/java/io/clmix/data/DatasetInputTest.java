package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Data built in memory are checked as files are: a bad value is an {@link InputException}
 * naming its row, column and value, never a data set that fails later or silently.
 */
class DatasetInputTest {
  private static String message(Runnable r) {
    return assertThrows(InputException.class, r::run).getMessage();
  }

  @Test
  void valuesMustBeFiniteAndWithinFloat32() {
    assertEquals("row 2, column 1: value NaN is not a finite number",
        message(() -> Dataset.of(new double[][] {{1, 2}, {Double.NaN, 4}, {1, 1}})));
    assertEquals("row 1, column 2: value Infinity is not a finite number",
        message(() -> Dataset.of(new double[][] {{1, Double.POSITIVE_INFINITY}})));
    assertEquals("row 1, column 1: value 1.0E39 " + Problems.TOO_LARGE, message(() -> Dataset.of(new double[][] {{1e39}})));
  }

  @Test
  void rowsMustBeThereAndOfOneLength() {
    assertEquals("a data set needs at least one row", message(() -> Dataset.of((double[][]) null)));
    assertEquals("row 2: 1 values; expected 2", message(() -> Dataset.of(new double[][] {{1, 2}, {3}})));
    assertEquals("row 2: null; expected 2 values", message(() -> Dataset.of(new double[][] {{1, 2}, null})));
    assertEquals("a data set needs at least one column, got 0", message(() -> Dataset.of(new double[][] {{}, {}})));
    assertEquals("a data set needs at least one column, got 0", message(() -> Dataset.of(new float[][] {{}})));
    assertEquals("row 2: 1 values; expected 2 values", message(() -> Dataset.of(new float[][] {{1, 2}, {3}})));
  }

  @Test
  void weightsMustBeGivenAndRepresentable() {
    Dataset d = Dataset.of(new double[][] {{1}, {2}});
    assertEquals("sample weights: null; expected 2 values (one per row)", message(() -> d.withWeights(null)));
    String small = message(() -> d.withWeights(new double[] {1e-50, 1e-50}));
    assertEquals("sample weights: value 1.0E-50 at row 1 is too small: clmix stores weights in float32, which holds"
        + " them from 1.2e-38; multiply the weights by a power of ten (fits do not depend on their scale)", small);
  }

  /** The public constructor takes chunks from outside the readers, so it checks what they would. */
  @Test
  void chunksAssembledByHandAreCheckedToo() {
    HeapChunk good = new HeapChunk(new float[] {1, 2, 3, 4}, 2, 2);
    HeapChunk bad = new HeapChunk(new float[] {1, 2, 3, Float.NaN}, 2, 2);
    double[] origin = {0, 0};
    assertEquals("chunks[1], row 2, column 2: value NaN is not a finite number",
        message(() -> new Dataset(2, 2, java.util.List.of(good, bad), origin, null)));
    assertEquals("origin[1]: NaN is not allowed; expected a finite number",
        message(() -> new Dataset(2, 2, java.util.List.of(good), new double[] {0, Double.NaN}, null)));
    assertEquals("weights[0], row 2: value -1.0 is not allowed; expected a finite number >= 0",
        message(() -> new Dataset(2, 2, java.util.List.of(good), origin, new float[][] {{1, -1}})));
    assertEquals("weights: all weights are zero; at least one must be positive",
        message(() -> new Dataset(2, 2, java.util.List.of(good), origin, new float[][] {{0, 0}})));
    assertEquals("chunks: null is not allowed; expected a list of at least one chunk",
        message(() -> new Dataset(2, 2, null, origin, null)));
    assertEquals("origin has 1 values for 2 columns",
        message(() -> new Dataset(2, 2, java.util.List.of(good), new double[] {0}, null)));
    Dataset ok = new Dataset(2, 2, java.util.List.of(good), origin, new float[][] {{0, 2}});
    assertEquals(2.0, ok.totalWeight(), 0.0);
  }

  @Test
  void chunksAndLabelsMadeByHandNameWhatDoesNotFit() {
    assertEquals("values: null is not allowed; expected an array of rows * cols floats",
        message(() -> new HeapChunk(null, 1, 1)));
    assertEquals("chunk of 3 x 2 does not fit an array of 4", message(() -> new HeapChunk(new float[4], 3, 2)));
    assertEquals("chunks[0]: 2 labels; every chunk but the last holds 3 and the last at most that",
        message(() -> new Labels(new int[][] {{0, 1}, {1}}, 3)));
    assertEquals("chunks[1]: null is not allowed; expected the labels of chunk 1",
        message(() -> new Labels(new int[][] {{0, 1, 0}, null}, 3)));
    assertEquals("chunkRows: 0 is not allowed; expected an integer >= 1", message(() -> new Labels(new int[][] {{0}}, 0)));
    assertEquals(4, new Labels(new int[][] {{0, 1, 0}, {1}}, 3).size());
  }

  @Test
  void labelCountsNameAKThatDoesNotFit() {
    Labels labels = new Labels(new int[][] {{0, 2, 1}}, 3);
    assertEquals(java.util.List.of(1L, 1L, 1L), java.util.Arrays.stream(labels.counts(3)).boxed().toList());
    assertEquals("label 2 of row 2 lies outside [0, 2); pass k of the fit that made the labels",
        message(() -> labels.counts(2)));
    assertEquals("k: 0 is not allowed; expected an integer >= 1, the number of clusters", message(() -> labels.counts(0)));
  }
}
