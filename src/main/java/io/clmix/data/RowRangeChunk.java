package io.clmix.data;

/**
 * A chunk that views rows {@code [from, from + rows)} of another data set, across its chunks,
 * without copying them ({@link Dataset#inPieces}). It has no heap array: engines read it through
 * {@link #copyRows}, as they read a memory-mapped chunk.
 */
final class RowRangeChunk implements Chunk {
  private final Dataset source;
  private final long from;
  private final int rows;

  RowRangeChunk(Dataset source, long from, int rows) {
    this.source = source;
    this.from = from;
    this.rows = rows;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public float[] heapArray() {
    return null;
  }

  @Override
  public void copyRows(int fromRow, int rowCount, float[] dst, int dstOffset) {
    Chunk.checkRows(fromRow, rowCount, rows);
    int d = source.cols();
    source.forEachRun(from + fromRow, rowCount, (c, in, at, m) -> source.chunk(c).copyRows(in, m, dst, dstOffset + at * d));
  }
}
