package io.clmix.data;

import java.nio.FloatBuffer;

/**
 * A chunk read on demand from a memory-mapped little-endian float32 C-order {@code .npy} file,
 * for data larger than the Java heap. The operating system pages the values in and out; the
 * chunk itself holds only the mapping and the origin it subtracts while copying.
 *
 * <p>Thread-safe: {@link #copyRows} uses only absolute reads, so engines may copy from one
 * chunk on several threads at once.
 */
final class MappedChunk implements Chunk {
  private final FloatBuffer values;
  private final int rows;
  private final int cols;
  private final double[] origin;

  /**
   * @param values the chunk's {@code rows * cols} raw values (in the file's coordinates), row-major
   * @param origin the data set's origin, subtracted from every value copied out; not copied
   */
  MappedChunk(FloatBuffer values, int rows, int cols, double[] origin) {
    if ((long) rows * cols > values.capacity() || origin.length != cols) {
      throw new IllegalArgumentException("mapping of " + values.capacity() + " values for " + rows + " x " + cols);
    }
    this.values = values;
    this.rows = rows;
    this.cols = cols;
    this.origin = origin;
  }

  /** The same mapped values relative to another origin (copied out exactly as from the file). */
  MappedChunk withOrigin(double[] newOrigin) {
    return new MappedChunk(values, rows, cols, newOrigin);
  }

  @Override
  public int rows() {
    return rows;
  }

  /** Always {@code null}: the values live in the file, not on the heap. */
  @Override
  public float[] heapArray() {
    return null;
  }

  @Override
  public void copyRows(int fromRow, int rowCount, float[] dst, int dstOffset) {
    Chunk.checkRows(fromRow, rowCount, rows);
    int n = rowCount * cols;
    values.get(fromRow * cols, dst, dstOffset, n);
    // The same arithmetic as the heap path ((float) (x - origin) in double), so both give the same bits.
    for (int i = 0, o = dstOffset; i < rowCount; i++) {
      for (int j = 0; j < cols; j++, o++) {
        dst[o] = (float) (dst[o] - origin[j]);
      }
    }
  }
}
