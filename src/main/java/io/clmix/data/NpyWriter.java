package io.clmix.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files (format version 1.0, little-endian, C order) that NumPy and
 * {@link NpyReader} read back: data sets and matrices as float32 or float64, vectors, and
 * labels as int32. Files are written through {@link AtomicOutput}, so a failure leaves no
 * partial file.
 */
public final class NpyWriter {
  private NpyWriter() {}

  /**
   * Writes {@code data} in its own coordinates (stored value + origin, added in double) as a
   * {@code (rows, cols)} array; without its weights.
   */
  public static void write(Path file, Dataset data, Precision precision) {
    int d = data.cols();
    double[] origin = data.origin();
    AtomicOutput.write(file, out -> {
      out.write(NpyHeader.encode(descr(precision), data.rows(), d));
      Encoder enc = new Encoder(out, precision);
      RowSlices s = new RowSlices(data);
      for (int c = 0; c < data.chunkCount(); c++) {
        for (s.start(c); s.next(); ) {
          float[] v = s.values();
          for (int i = 0, end = s.rows() * d, j = 0; i < end; i++) {
            enc.put(v[i] + origin[j]);
            if (++j == d) {
              j = 0;
            }
          }
        }
      }
      enc.flush();
    });
  }

  /** Writes {@code rows} (all of one length, at least one column) as a {@code (rows, cols)} array. */
  public static void write(Path file, double[][] rows, Precision precision) {
    int d = checkRectangular(rows.length, rows.length == 0 ? 0 : rows[0].length, i -> rows[i].length);
    AtomicOutput.write(file, out -> {
      out.write(NpyHeader.encode(descr(precision), rows.length, d));
      Encoder enc = new Encoder(out, precision);
      for (double[] r : rows) {
        for (double v : r) {
          enc.put(v);
        }
      }
      enc.flush();
    });
  }

  /** Writes {@code rows} (all of one length) as a float32 {@code (rows, cols)} array. */
  public static void write(Path file, float[][] rows) {
    int d = checkRectangular(rows.length, rows.length == 0 ? 0 : rows[0].length, i -> rows[i].length);
    AtomicOutput.write(file, out -> {
      out.write(NpyHeader.encode("<f4", rows.length, d));
      Encoder enc = new Encoder(out, Precision.FLOAT32);
      for (float[] r : rows) {
        for (float v : r) {
          enc.put(v);
        }
      }
      enc.flush();
    });
  }

  /** Writes a 1-D array of {@code values.length} numbers. */
  public static void writeVector(Path file, double[] values, Precision precision) {
    AtomicOutput.write(file, out -> {
      out.write(NpyHeader.encode(descr(precision), values.length));
      Encoder enc = new Encoder(out, precision);
      for (double v : values) {
        enc.put(v);
      }
      enc.flush();
    });
  }

  /** Writes a 1-D int32 array ({@code '<i4'}). */
  public static void writeInts(Path file, int[] values) {
    AtomicOutput.write(file, out -> {
      out.write(NpyHeader.encode("<i4", values.length));
      writeInts(out, values);
    });
  }

  /** Writes labels as a 1-D int32 array ({@code '<i4'}), one per row. */
  public static void writeLabels(Path file, Labels labels) {
    AtomicOutput.write(file, out -> {
      out.write(NpyHeader.encode("<i4", labels.size()));
      for (int c = 0; c < labels.chunkCount(); c++) {
        writeInts(out, labels.chunk(c));
      }
    });
  }

  /**
   * The header of a little-endian C-order array of type {@code descr} ({@code "<f4"},
   * {@code "<i4"}) and {@code shape}, for writers that stream the values after it, chunk by
   * chunk, instead of holding them all ({@link #putFloats}, {@link #putInts}).
   */
  public static byte[] header(String descr, long... shape) {
    return NpyHeader.encode(descr, shape);
  }

  /** Writes {@code values[0, count)} as little-endian float32. */
  public static void putFloats(OutputStream out, float[] values, int count) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      if (!b.hasRemaining()) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      b.putFloat(values[i]);
    }
    out.write(b.array(), 0, b.position());
  }

  /** Writes {@code values[0, count)} as little-endian int32. */
  public static void putInts(OutputStream out, int[] values, int count) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      if (!b.hasRemaining()) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      b.putInt(values[i]);
    }
    out.write(b.array(), 0, b.position());
  }

  private static void writeInts(OutputStream out, int[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      if (!b.hasRemaining()) {
        out.write(b.array(), 0, b.position());
        b.clear();
      }
      b.putInt(v);
    }
    out.write(b.array(), 0, b.position());
  }

  private static String descr(Precision p) {
    return p == Precision.FLOAT32 ? "<f4" : "<f8";
  }

  private static int checkRectangular(int rows, int cols, java.util.function.IntUnaryOperator lengthOf) {
    if (rows == 0 || cols == 0) {
      throw new IllegalArgumentException("an array to write needs at least one row and one column");
    }
    for (int i = 0; i < rows; i++) {
      if (lengthOf.applyAsInt(i) != cols) {
        throw new IllegalArgumentException("row " + i + " has " + lengthOf.applyAsInt(i) + " values; row 0 has " + cols);
      }
    }
    return cols;
  }

  /** Little-endian float32 or float64 values through a reusable buffer. */
  private static final class Encoder {
    private final OutputStream out;
    private final boolean single;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    Encoder(OutputStream out, Precision precision) {
      this.out = out;
      this.single = precision == Precision.FLOAT32;
    }

    void put(double v) throws IOException {
      if (buf.remaining() < 8) {
        flush();
      }
      if (single) {
        buf.putFloat((float) v);
      } else {
        buf.putDouble(v);
      }
    }

    void flush() throws IOException {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    }
  }
}
