package io.clmix.data;

/**
 * A block of consecutive rows of a {@link Dataset}, stored row-major as float32 relative to
 * the data set's origin (see {@link Dataset#origin()}).
 *
 * <p>A chunk either lives on the Java heap ({@link #heapArray()} returns its values) or is read
 * on demand, for example from a memory-mapped file that is larger than the heap. Engines use
 * the heap array directly when there is one and {@link #copyRows} otherwise.
 */
public interface Chunk {

  /** Number of rows in this chunk. */
  int rows();

  /**
   * The chunk's values, row-major, already relative to the origin, when they are held on the
   * heap; {@code null} when the chunk is read on demand. The array may be longer than
   * {@code rows() * cols}; only that prefix belongs to the chunk. Callers must not modify it.
   */
  float[] heapArray();

  /**
   * Copies rows {@code [fromRow, fromRow + rowCount)} of this chunk, relative to the origin,
   * into {@code dst} starting at {@code dstOffset}, row-major.
   */
  void copyRows(int fromRow, int rowCount, float[] dst, int dstOffset);

  /** For {@link #copyRows} of chunks that check their range: rows [fromRow, fromRow + rowCount) of {@code rows}. */
  static void checkRows(int fromRow, int rowCount, int rows) {
    if (fromRow < 0 || rowCount < 0 || fromRow > rows - rowCount) {
      throw new IndexOutOfBoundsException("rows [" + fromRow + ", " + ((long) fromRow + rowCount) + ") of " + rows);
    }
  }
}
