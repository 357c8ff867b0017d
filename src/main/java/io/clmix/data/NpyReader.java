package io.clmix.data;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0) into a {@link Dataset},
 * validating everything on the way: the header, the element type (float32 or float64, either
 * byte order), the shape (2-D, at least one row and one column), the file's length, and that
 * every value is finite. C and Fortran order are both read.
 *
 * <p>Values are read through memory-mapped regions of the file. The data set is centred on its
 * column means, computed in double precision in a first pass; the second pass stores
 * {@code (float) (x - mean)}, so data far from zero keep the digits a float32 copy of the raw
 * values would lose. A little-endian float32 C-order file larger than
 * {@link ReadOptions#mapThresholdBytes()} is not copied at all: its chunks read the mapped file
 * on demand ({@code MappedChunk}), so the data need no heap (a fit still keeps 4 to 16 bytes
 * per row there; docs/getting-started.md).
 *
 * <p>Every problem with the file is an {@link InputException} naming the file, and for a bad
 * value its row and column (from 1); I/O failures are reported the same way.
 */
public final class NpyReader {
  /**
   * The most columns accepted: every row must fit one chunk and the engines' working arrays;
   * 2^24 is far beyond what clustering dense data needs.
   */
  static final int MAX_COLUMNS = 1 << 24;

  /** Values handled per block while streaming over the file (a few hundred kilobytes of doubles). */
  private static final int BLOCK_ELEMENTS = 1 << 16;

  /** Largest array the JVM reliably allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private NpyReader() {}

  /** Reads {@code file} with the {@link ReadOptions#defaults() default options}. */
  public static Dataset read(Path file) {
    return read(file, ReadOptions.defaults());
  }

  /**
   * Reads a 2-D float32 or float64 array of shape {@code (n, d)} as a data set of n rows.
   *
   * @throws InputException when the file cannot be read or is not such an array of finite values
   */
  public static Dataset read(Path file, ReadOptions options) {
    return read(file, options, NpyPayload.DEFAULT_REGION_BYTES);
  }

  /**
   * Reads a vector: a 1-D array, or a 2-D array of one column, of float or integer type.
   *
   * @param what what the vector is, for messages ("sample weights")
   */
  public static double[] readVector(Path file, String what) {
    try (FileChannel ch = open(file)) {
      NpyHeader h = NpyHeader.read(file, ch);
      h.requireDtype(true);
      boolean vector = h.shape.length == 1 || (h.shape.length == 2 && h.shape[1] == 1);
      if (!vector) {
        throw InputException.inFile(file, what + ": shape " + h.shapeRepr() + " is not a vector; expected (n,) or (n, 1)");
      }
      long n = h.shape[0];
      if (n > MAX_ARRAY) {
        throw InputException.inFile(file, what + ": " + n + " values are more than one array can hold");
      }
      h.checkPayload();
      double[] out = new double[(int) n];
      new NpyPayload(ch, h.dataOffset, h.dtype, n, NpyPayload.DEFAULT_REGION_BYTES).read(0, (int) n, out, 0);
      for (int i = 0; i < out.length; i++) {
        if (!Double.isFinite(out[i])) {
          throw Problems.atRow(file, i + 1L, 1, out[i], "is not a finite number");
        }
      }
      return out;
    } catch (IOException e) {
      throw Problems.cannotRead(file, e);
    }
  }

  /**
   * Reads a small 2-D array of float or integer type as rows of doubles, not centred.
   *
   * @param what what the matrix is, for messages ("initial centres")
   */
  public static double[][] readMatrix(Path file, String what) {
    return readMatrix(file, what, false);
  }

  /**
   * As {@link #readMatrix(Path, String)}; with {@code float32}, values beyond float32's range
   * are refused as the data's are ({@link CsvReader#readMatrix(Path, String, boolean)}).
   */
  public static double[][] readMatrix(Path file, String what, boolean float32) {
    try (FileChannel ch = open(file)) {
      NpyHeader h = NpyHeader.read(file, ch);
      h.requireDtype(true);
      requireTable(h, what + ": ");
      long n = h.shape[0];
      int d = (int) h.shape[1];
      if (n > MAX_ARRAY) {
        throw InputException.inFile(file, what + ": " + n + " rows are more than one array can hold");
      }
      h.checkPayload();
      RowSource src = new RowSource(h, new NpyPayload(ch, h.dataOffset, h.dtype, n * d, NpyPayload.DEFAULT_REGION_BYTES));
      double[][] out = new double[(int) n][];
      for (int i = 0; i < n; i++) {
        out[i] = new double[d];
        src.read(i, 1, out[i]);
        checkFinite(file, out[i], i, 1, d);
        if (float32) {
          checkRange(file, out[i], i, 1, d);
        }
      }
      return out;
    } catch (IOException e) {
      throw Problems.cannotRead(file, e);
    }
  }

  /** {@link #read(Path, ReadOptions)} with a chosen mapping size, so tests can cross region boundaries. */
  static Dataset read(Path file, ReadOptions options, long regionBytes) {
    return read(file, options, regionBytes, null);
  }

  /**
   * Reads the data as {@link #read(Path, ReadOptions)} does, centred for the sample weights
   * {@code weights} that will be attached to them ({@link Centring}; not attached here): when the
   * plain column means lie far from the rows of positive weight, the origin is their weighted
   * mean. Null, or weights that cannot serve (not one per row, negative, none positive), centre
   * on the plain means.
   */
  static Dataset read(Path file, ReadOptions options, double[] weights) {
    return read(file, options, NpyPayload.DEFAULT_REGION_BYTES, weights);
  }

  static Dataset read(Path file, ReadOptions options, long regionBytes, double[] weights) {
    try (FileChannel ch = open(file)) {
      NpyHeader h = NpyHeader.read(file, ch);
      h.requireDtype(false);
      requireTable(h, "");
      h.checkPayload();
      long n = h.shape[0];
      int d = (int) h.shape[1];
      RowSource src = new RowSource(h, new NpyPayload(ch, h.dataOffset, h.dtype, n * d, regionBytes));
      double[] centring = Centring.usable(weights, n);
      double[] origin = columnMeans(file, src, centring);
      long floatBytes = n * d * 4;
      boolean mappable = h.dtype.size() == 4 && h.dtype.order() == ByteOrder.LITTLE_ENDIAN && !h.fortranOrder;
      if (mappable && floatBytes > options.mapThresholdBytes()) {
        return mapped(ch, h, origin, options).centredFor(centring);
      }
      long heap = Runtime.getRuntime().maxMemory();
      if (floatBytes > heap) {
        throw InputException.inFile(file, n + " x " + d + " values need " + floatBytes
            + " bytes as float32 on the heap, more than the Java heap's " + heap + "; store them as little-endian"
            + " float32 in C order (x.astype('<f4', order='C')) so that they can be memory-mapped, or raise -Xmx");
      }
      return onHeap(src, origin, options).centredFor(centring);
    } catch (IOException e) {
      throw Problems.cannotRead(file, e);
    }
  }

  /**
   * Opens {@code file} for reading. A directory is refused up front: on some systems opening
   * one succeeds and only the first read fails. So is anything else that is not a regular file
   * (a named pipe, {@code /dev/stdin}, a device, a socket): a {@code .npy} file is read by
   * position and memory-mapped, which a stream does not allow, and its size, which checks the
   * header's shape, reads as 0. Refusing before the open also keeps a pipe without a writer
   * from blocking.
   */
  static FileChannel open(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw InputException.inFile(file, "cannot read: is a directory");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw InputException.inFile(file, "cannot read: is " + Problems.fileType(file)
          + "; .npy data must be a regular file, since they are memory-mapped (save the array to a file first)");
    }
    return FileChannel.open(file, StandardOpenOption.READ);
  }

  private static void requireTable(NpyHeader h, String what) {
    Path file = h.file;
    if (h.shape.length != 2) {
      String hint = h.shape.length == 1 ? " (for one feature, reshape with x.reshape(-1, 1))" : "";
      throw InputException.inFile(file, what + "shape " + h.shapeRepr() + " has " + h.shape.length
          + (h.shape.length == 1 ? " dimension" : " dimensions") + "; expected 2 (rows, columns)" + hint);
    }
    if (h.shape[0] < 1) {
      throw InputException.inFile(file, what + "shape " + h.shapeRepr() + " has no rows");
    }
    if (h.shape[1] < 1) {
      throw InputException.inFile(file, what + "shape " + h.shapeRepr() + " has no columns");
    }
    if (h.shape[1] > MAX_COLUMNS) {
      throw InputException.inFile(file, what + "shape " + h.shapeRepr() + " has more columns than the "
          + MAX_COLUMNS + " supported");
    }
  }

  /**
   * Column means in double, validating finiteness on the way. Sums are taken relative to the
   * first row, so that data far from zero do not lose digits to the size of the running sum.
   */
  private static double[] columnMeans(Path file, RowSource src, double[] weights) throws IOException {
    int d = src.cols;
    long n = src.rows;
    double[] first = new double[d];
    src.read(0, 1, first);
    checkFinite(file, first, 0, 1, d);
    checkRange(file, first, 0, 1, d);
    // With weights, their sums are taken relative to the first row of positive weight.
    double[] ref = null;
    if (weights != null) {
      int at = Centring.firstPositive(weights);
      ref = new double[d];
      src.read(at, 1, ref);
      // Not checked here: the pass below reports the file's first bad value, wherever it is.
    }
    double[] wSum = new double[d];
    double wSquares = 0;
    double wTotal = 0;
    int blockRows = src.blockRows();
    double[] block = new double[blockRows * d];
    double[] sum = new double[d];
    for (long r = 0; r < n; r += blockRows) {
      int k = (int) Math.min(blockRows, n - r);
      src.read(r, k, block);
      checkFinite(file, block, r, k, d);
      checkRange(file, block, r, k, d);
      for (int i = 0, o = 0; i < k; i++) {
        for (int j = 0; j < d; j++, o++) {
          sum[j] += block[o] - first[j];
        }
      }
      if (ref != null) {
        for (int i = 0, o = 0; i < k; i++, o += d) {
          double w = weights[(int) (r + i)];
          if (w > 0) {
            for (int j = 0; j < d; j++) {
              double v = block[o + j] - ref[j];
              wSum[j] += w * v;
              wSquares += w * v * v;
            }
            wTotal += w;
          }
        }
      }
    }
    double[] origin = new double[d];
    for (int j = 0; j < d; j++) {
      origin[j] = first[j] + sum[j] / n;
    }
    if (ref != null && wTotal > 0) {
      double[] weighted = new double[d];
      double[] offset = new double[d];
      double spread = wSquares / wTotal;
      for (int j = 0; j < d; j++) {
        double m = wSum[j] / wTotal;
        spread -= m * m;
        weighted[j] = ref[j] + m;
        offset[j] = weighted[j] - origin[j];
      }
      if (Centring.useWeightedMean(offset, spread)) {
        return weighted;
      }
    }
    return origin;
  }

  /** Data and matrices (initial centres) become float32; vectors, such as weights, stay double. */
  private static void checkRange(Path file, double[] values, long firstRow, int rows, int d) {
    for (int i = 0, o = 0; i < rows; i++) {
      for (int j = 0; j < d; j++, o++) {
        if (Problems.tooLarge(values[o])) {
          throw Problems.atRow(file, firstRow + i + 1, j + 1, values[o], Problems.TOO_LARGE);
        }
      }
    }
  }

  private static void checkFinite(Path file, double[] values, long firstRow, int rows, int d) {
    for (int i = 0, o = 0; i < rows; i++) {
      for (int j = 0; j < d; j++, o++) {
        if (!Double.isFinite(values[o])) {
          throw Problems.atRow(file, firstRow + i + 1, j + 1, values[o], "is not a finite number");
        }

      }
    }
  }

  private static Dataset onHeap(RowSource src, double[] origin, ReadOptions options) throws IOException {
    int d = src.cols;
    long n = src.rows;
    int chunkRows = options.chunkRowsFor(d, MAX_ARRAY);
    int blockRows = Math.min(src.blockRows(), chunkRows);
    double[] block = new double[blockRows * d];
    List<Chunk> chunks = new ArrayList<>();
    for (long start = 0; start < n; start += chunkRows) {
      int r = (int) Math.min(chunkRows, n - start);
      float[] values = new float[r * d];
      for (int i = 0; i < r; i += blockRows) {
        int k = Math.min(blockRows, r - i);
        src.read(start + i, k, block);
        for (int a = 0, o = 0, dst = i * d; a < k; a++) {
          for (int j = 0; j < d; j++, o++, dst++) {
            values[dst] = (float) (block[o] - origin[j]);
          }
        }
      }
      chunks.add(new HeapChunk(values, r, d));
    }
    return Dataset.assembled(d, chunkRows, chunks, origin);
  }

  private static Dataset mapped(FileChannel ch, NpyHeader h, double[] origin, ReadOptions options) throws IOException {
    long n = h.shape[0];
    int d = (int) h.shape[1];
    // One mapping per chunk, and a mapping holds at most 2 GiB.
    int chunkRows = options.chunkRowsFor(d, Integer.MAX_VALUE / 4);
    List<Chunk> chunks = new ArrayList<>();
    for (long start = 0; start < n; start += chunkRows) {
      int r = (int) Math.min(chunkRows, n - start);
      FloatBuffer values = ch.map(FileChannel.MapMode.READ_ONLY, h.dataOffset + start * d * 4, (long) r * d * 4)
          .order(ByteOrder.LITTLE_ENDIAN)
          .asFloatBuffer();
      chunks.add(new MappedChunk(values, r, d, origin));
    }
    return Dataset.assembled(d, chunkRows, chunks, origin);
  }

  /** Rows of a 2-D array in either memory order, as row-major doubles. */
  private static final class RowSource {
    final long rows;
    final int cols;
    private final boolean fortran;
    private final NpyPayload payload;
    private double[] column;

    RowSource(NpyHeader h, NpyPayload payload) {
      this.rows = h.shape[0];
      this.cols = h.shape.length > 1 ? (int) h.shape[1] : 1;
      this.fortran = h.fortranOrder;
      this.payload = payload;
    }

    /** Rows per block that keeps a block near {@link #BLOCK_ELEMENTS} values. */
    int blockRows() {
      return (int) Math.max(1, Math.min(rows, BLOCK_ELEMENTS / cols));
    }

    /** Rows {@code [row, row + count)}, row-major, into {@code dst}. */
    void read(long row, int count, double[] dst) throws IOException {
      if (!fortran || cols == 1) {
        payload.read(row * cols, count * cols, dst, 0);
        return;
      }
      // Fortran order stores each column contiguously: read a run of each column and scatter it.
      if (column == null || column.length < count) {
        column = new double[count];
      }
      for (int j = 0; j < cols; j++) {
        payload.read(j * rows + row, count, column, 0);
        for (int i = 0, o = j; i < count; i++, o += cols) {
          dst[o] = column[i];
        }
      }
    }
  }
}
