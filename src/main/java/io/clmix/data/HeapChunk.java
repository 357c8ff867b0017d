package io.clmix.data;

/** A chunk whose values are held in one float array on the Java heap. */
public final class HeapChunk implements Chunk {
  private final float[] values;
  private final int rows;
  private final int cols;

  /**
   * Wraps {@code values} (row-major, at least {@code rows * cols} long) without copying. The
   * array is shared: the caller hands it over and must not modify it afterwards.
   *
   * @throws InputException for a null array, or rows and columns it does not hold
   */
  public HeapChunk(float[] values, int rows, int cols) {
    InputException.required(values, "values", "an array of rows * cols floats");
    if (rows < 0 || cols <= 0 || (long) rows * cols > values.length) {
      throw new InputException(
          "chunk of " + rows + " x " + cols + " does not fit an array of " + values.length);
    }
    this.values = values;
    this.rows = rows;
    this.cols = cols;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public float[] heapArray() {
    return values;
  }

  @Override
  public void copyRows(int fromRow, int rowCount, float[] dst, int dstOffset) {
    System.arraycopy(values, fromRow * cols, dst, dstOffset, rowCount * cols);
  }
}
