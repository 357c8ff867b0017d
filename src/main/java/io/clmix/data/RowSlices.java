package io.clmix.data;

/**
 * A cursor over one chunk's rows at a time, in order, in slices that a small buffer holds:
 * loops over every row of a data set (its column moments, the file writers, a random start)
 * read a memory-mapped chunk through at most {@link #SLICE_FLOATS} floats instead of a copy of
 * the whole chunk (64 MB at the default chunk size), so the heap they need does not grow with
 * the chunk. A chunk on the heap is one slice, its own array. Rows come in order, so sums over
 * them keep their order and their bits.
 *
 * <pre>{@code
 * RowSlices s = new RowSlices(data);
 * for (int c = 0; c < data.chunkCount(); c++) {
 *   for (s.start(c); s.next(); ) {
 *     // rows s.firstRow() .. s.firstRow() + s.rows() - 1 of chunk c; row i of the slice
 *     // at s.values()[i * data.cols()]
 *   }
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one per loop. The buffer is reused: a slice's values are valid until the
 * next call of {@link #next}.
 */
public final class RowSlices {
  /** The most floats one slice of a chunk without a heap array holds (1 MB; at least one row). */
  public static final int SLICE_FLOATS = 1 << 18;

  private final Dataset data;
  private float[] buffer;
  private int chunk = -1;
  private int nextRow;
  private float[] values;
  private int firstRow;
  private int rows;

  /** A cursor over {@code data}'s chunks; call {@link #start} before {@link #next}. */
  public RowSlices(Dataset data) {
    this.data = data;
  }

  /** Starts chunk {@code c}: the next {@link #next} gives its first slice. */
  public void start(int c) {
    if (c < 0 || c >= data.chunkCount()) {
      throw new IndexOutOfBoundsException("chunk " + c + " of " + data.chunkCount());
    }
    chunk = c;
    nextRow = 0;
    rows = 0;
  }

  /** Moves to the chunk's next slice; false when its rows are done. */
  public boolean next() {
    if (chunk < 0) {
      throw new IllegalStateException("no chunk started");
    }
    int total = data.rowsIn(chunk);
    if (nextRow >= total) {
      return false;
    }
    Chunk ch = data.chunk(chunk);
    float[] heap = ch.heapArray();
    int d = data.cols();
    firstRow = nextRow;
    if (heap != null) {
      values = heap; // the whole chunk: firstRow is 0
      rows = total;
    } else {
      rows = Math.min(Math.max(1, SLICE_FLOATS / d), total - firstRow);
      if (buffer == null || buffer.length < rows * d) {
        buffer = new float[rows * d];
      }
      ch.copyRows(firstRow, rows, buffer, 0);
      values = buffer;
    }
    nextRow = firstRow + rows;
    return true;
  }

  /**
   * The current slice's values from index 0, row-major, relative to the data set's origin (the
   * array may be longer than the slice); do not modify.
   */
  public float[] values() {
    return values;
  }

  /** The index of the current slice's first row within its chunk. */
  public int firstRow() {
    return firstRow;
  }

  /** Rows in the current slice. */
  public int rows() {
    return rows;
  }
}
