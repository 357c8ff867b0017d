package io.clmix.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds {@code .npy} files byte by byte, so tests control every detail (and every defect). */
final class NpyBytes {
  private int major = 1;
  private String header;
  private byte[] payload = new byte[0];
  private Integer headerLengthOverride;

  /** A file with the standard dict for {@code descr}, {@code fortran} and {@code shape}. */
  static NpyBytes of(String descr, boolean fortran, long... shape) {
    NpyBytes b = new NpyBytes();
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      s.append(i > 0 ? ", " : "").append(shape[i]);
    }
    s.append(shape.length == 1 ? ",)" : ")");
    b.header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + s + ", }";
    return b;
  }

  /** A file whose header dict is exactly {@code dict}. */
  static NpyBytes withHeader(String dict) {
    NpyBytes b = new NpyBytes();
    b.header = dict;
    return b;
  }

  NpyBytes version(int major) {
    this.major = major;
    return this;
  }

  NpyBytes headerLength(int len) {
    this.headerLengthOverride = len;
    return this;
  }

  NpyBytes payload(byte[] bytes) {
    this.payload = bytes;
    return this;
  }

  /**
   * Values of a {@code rows} matrix encoded as {@code size}-byte floats in {@code order}, in C
   * or Fortran order.
   */
  NpyBytes values(double[][] rows, int size, ByteOrder order, boolean fortran) {
    int n = rows.length;
    int d = rows[0].length;
    ByteBuffer b = ByteBuffer.allocate(n * d * size).order(order);
    for (int k = 0; k < n * d; k++) {
      int i = fortran ? k % n : k / d;
      int j = fortran ? k / n : k % d;
      if (size == 4) {
        b.putFloat((float) rows[i][j]);
      } else {
        b.putDouble(rows[i][j]);
      }
    }
    this.payload = b.array();
    return this;
  }

  byte[] bytes() {
    byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    int pre = major == 1 ? 10 : 12;
    int total = (pre + h.length + 1 + 63) / 64 * 64;
    int hlen = total - pre;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x93);
    out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
    out.write(major);
    out.write(0);
    int written = headerLengthOverride != null ? headerLengthOverride : hlen;
    ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      len.putShort((short) written);
    } else {
      len.putInt(written);
    }
    out.writeBytes(len.array());
    out.writeBytes(h);
    for (int i = h.length; i < hlen - 1; i++) {
      out.write(' ');
    }
    out.write('\n');
    out.writeBytes(payload);
    return out.toByteArray();
  }

  Path write(Path file) throws IOException {
    Files.write(file, bytes());
    return file;
  }
}
