package io.clmix.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Dataset} one row at a time, centred on the column means.
 *
 * <p>The means are unknown until the last row, so rows are first stored relative to the first
 * row (a point inside the cloud, which already keeps float32 values at the scale of the data's
 * spread rather than its offset from zero), and {@link #build()} shifts them once more by the
 * exact mean of those differences. Values arrive in double, so data far from the origin keep
 * the digits that a float32 conversion of the raw values would lose.
 *
 * <p>Not thread-safe. Callers validate values (finite, right count) before adding them; the
 * builder only checks the row length.
 */
public final class DatasetBuilder {
  private final int cols;
  private final int chunkRows;
  private final List<float[]> chunks = new ArrayList<>();
  private final double[] shiftSum;
  private double[] first;
  private float[] current;
  private int rowsInCurrent;
  private long rows;

  DatasetBuilder(int cols, int chunkRows) {
    if (cols <= 0) {
      throw new IllegalArgumentException("a data set needs at least one column, got " + cols);
    }
    if (chunkRows <= 0 || (long) chunkRows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("chunkRows " + chunkRows + " is not usable with " + cols + " columns");
    }
    this.cols = cols;
    this.chunkRows = chunkRows;
    this.shiftSum = new double[cols];
  }

  /** Number of columns every row must have. */
  public int cols() {
    return cols;
  }

  /** Rows added so far. */
  public long rows() {
    return rows;
  }

  /**
   * Appends one row of {@code cols()} finite values (within float32's range, as they are stored).
   *
   * @throws InputException naming the row (counted from 1) and, for a bad value, its column and
   *     value: {@code "row 2, column 1: value NaN is not a finite number"}
   */
  public DatasetBuilder addRow(double[] row) {
    long number = rows + 1;
    if (row == null) {
      throw new InputException("row " + number + ": null; expected " + cols + " values");
    }
    if (row.length != cols) {
      throw new InputException("row " + number + ": " + row.length + " values; expected " + cols);
    }
    for (int j = 0; j < cols; j++) {
      double v = row[j];
      if (!Double.isFinite(v)) {
        throw new InputException("row " + number + ", column " + (j + 1) + ": value " + v + " is not a finite number");
      }
      if (Problems.tooLarge(v)) {
        throw new InputException("row " + number + ", column " + (j + 1) + ": value " + v + " " + Problems.TOO_LARGE);
      }
    }
    if (first == null) {
      first = row.clone();
    }
    if (current == null || rowsInCurrent == chunkRows) {
      // Start small and grow: most data sets are far smaller than one chunk.
      current = new float[Math.min(chunkRows, 1024) * cols];
      chunks.add(current);
      rowsInCurrent = 0;
    } else if ((rowsInCurrent + 1) * cols > current.length) {
      current = java.util.Arrays.copyOf(current, Math.min(chunkRows, 2 * rowsInCurrent) * cols);
      chunks.set(chunks.size() - 1, current);
    }
    int o = rowsInCurrent * cols;
    for (int j = 0; j < cols; j++) {
      double v = row[j] - first[j];
      shiftSum[j] += v;
      current[o + j] = (float) v;
    }
    rowsInCurrent++;
    rows++;
    return this;
  }

  /**
   * The data set, centred on the column means. The builder must not be used afterwards.
   *
   * @throws InputException when no row was added
   */
  public Dataset build() {
    if (rows == 0) {
      throw new InputException("no data rows");
    }
    double[] meanShift = new double[cols];
    double[] origin = new double[cols];
    for (int j = 0; j < cols; j++) {
      meanShift[j] = shiftSum[j] / rows;
      origin[j] = first[j] + meanShift[j];
    }
    List<Chunk> out = new ArrayList<>(chunks.size());
    for (int c = 0; c < chunks.size(); c++) {
      float[] v = chunks.get(c);
      int r = c == chunks.size() - 1 ? rowsInCurrent : chunkRows;
      for (int i = 0, o = 0; i < r; i++) {
        for (int j = 0; j < cols; j++, o++) {
          v[o] = (float) (v[o] - meanShift[j]);
        }
      }
      if (v.length > r * cols) {
        // The last chunk need not keep the unused tail of its array.
        v = java.util.Arrays.copyOf(v, r * cols);
      }
      out.add(new HeapChunk(v, r, cols));
    }
    chunks.clear();
    current = null;
    return new Dataset(cols, chunkRows, out, origin, null);
  }
}
