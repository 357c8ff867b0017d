package io.clmix.data;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0): element type,
 * memory order, shape and where the values start. {@link #read} validates everything the header
 * alone can tell; {@link #checkPayload} compares it with the file's size.
 *
 * <p>Format: the magic string {@code \x93NUMPY}, a major and a minor version byte, the header
 * length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), and the header, a
 * Python dict literal in Latin-1 (UTF-8 in version 3) padded with blanks.
 */
final class NpyHeader {
  /** Headers larger than this are refused rather than read: NumPy's own writer stays far below. */
  static final int MAX_HEADER_BYTES = 1 << 20;

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  final Path file;
  final String descr;
  /** The element type; {@code null} when {@link #descr} names a type the readers cannot use. */
  final NpyDtype dtype;
  final boolean fortranOrder;
  final long[] shape;
  final long dataOffset;
  final long fileSize;

  private NpyHeader(Path file, String descr, NpyDtype dtype, boolean fortranOrder, long[] shape,
      long dataOffset, long fileSize) {
    this.file = file;
    this.descr = descr;
    this.dtype = dtype;
    this.fortranOrder = fortranOrder;
    this.shape = shape;
    this.dataOffset = dataOffset;
    this.fileSize = fileSize;
  }

  /**
   * Reads and validates the header of {@code file} from {@code ch}.
   *
   * @throws InputException naming the file and what is wrong with its header
   * @throws IOException when reading fails
   */
  static NpyHeader read(Path file, FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0) {
      throw InputException.inFile(file, "empty file");
    }
    ByteBuffer pre = readFully(ch, 0, (int) Math.min(size, 12));
    for (int i = 0; i < MAGIC.length; i++) {
      if (i >= pre.limit() || pre.get(i) != MAGIC[i]) {
        throw InputException.inFile(file, "not a NumPy .npy file (it does not start with \\x93NUMPY)");
      }
    }
    if (pre.limit() < 8) {
      throw InputException.inFile(file, "truncated: the file ends inside the .npy preamble");
    }
    int major = pre.get(6) & 0xff;
    int minor = pre.get(7) & 0xff;
    if ((major < 1 || major > 3) || minor != 0) {
      throw InputException.inFile(file,
          ".npy format version " + major + "." + minor + " is not supported; expected 1.0, 2.0 or 3.0");
    }
    int lenBytes = major == 1 ? 2 : 4;
    long prefix = 8 + lenBytes;
    if (pre.limit() < prefix) {
      throw InputException.inFile(file, "truncated: the file ends inside the .npy preamble");
    }
    pre.order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = major == 1 ? (pre.getShort(8) & 0xffffL) : (pre.getInt(8) & 0xffffffffL);
    if (headerLen > MAX_HEADER_BYTES) {
      throw InputException.inFile(file,
          "header length " + headerLen + " is implausibly large (at most " + MAX_HEADER_BYTES + " bytes are accepted)");
    }
    if (prefix + headerLen > size) {
      throw InputException.inFile(file, "truncated: the header length says " + headerLen
          + " bytes but only " + (size - prefix) + " follow");
    }
    ByteBuffer hb = readFully(ch, prefix, (int) headerLen);
    byte[] raw = new byte[hb.remaining()];
    hb.get(raw);
    if (raw.length < headerLen) {
      // Only when the file shrank while being read.
      throw InputException.inFile(file, "truncated: the file ends inside the .npy header");
    }
    String text = new String(raw, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Object parsed;
    try {
      parsed = PyLiteral.parse(text);
    } catch (PyLiteral.SyntaxError e) {
      throw InputException.inFile(file, "malformed header (" + e.getMessage() + "): " + Problems.show(text.strip()));
    }
    if (!(parsed instanceof Map<?, ?> dict)) {
      throw InputException.inFile(file, "malformed header: not a dictionary: " + Problems.show(text.strip()));
    }
    Object descrValue = entry(file, dict, "descr");
    Object orderValue = entry(file, dict, "fortran_order");
    Object shapeValue = entry(file, dict, "shape");
    String descr = descrValue instanceof String str ? str : PyLiteral.repr(descrValue);
    NpyDtype dtype = descrValue instanceof String str ? NpyDtype.parse(str) : null;
    if (!(orderValue instanceof Boolean fortran)) {
      throw InputException.inFile(file, "header entry 'fortran_order' is "
          + Problems.show(PyLiteral.repr(orderValue)) + "; expected True or False");
    }
    long[] shape = shape(file, shapeValue);
    return new NpyHeader(file, descr, dtype, fortran, shape, prefix + headerLen, size);
  }

  /**
   * Refuses an element type other than float32/float64 (and, when {@code integersToo}, the
   * integer types): {@code "data.npy: dtype '<i8' is not supported; expected float32 or float64"}.
   */
  void requireDtype(boolean integersToo) {
    if (dtype == null || (!integersToo && !dtype.isFloat())) {
      throw InputException.inFile(file, "dtype '" + Problems.show(descr) + "' is not supported; expected "
          + (integersToo ? "float32, float64 or an integer type" : "float32 or float64"));
    }
  }

  /** Number of elements the shape promises (checked when the header was read not to overflow). */
  long elements() {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  /**
   * Refuses a file that holds fewer bytes than the shape and type promise: {@code "data.npy:
   * truncated: header promises 1000 x 4 float64 values (32000 bytes) but the file holds 31992"}.
   * Trailing bytes are ignored, as NumPy ignores them.
   */
  void checkPayload() {
    long need = elements() * dtype.size();
    long have = fileSize - dataOffset;
    if (have < need) {
      throw InputException.inFile(file, "truncated: header promises " + shapeText(" x ") + " " + dtype.name()
          + " values (" + need + " bytes) but the file holds " + have);
    }
    if (have > need) {
      // NumPy writes the array and nothing after it. More bytes mean a header whose shape is
      // short of the data (rows silently dropped) or something appended: either way the rows
      // read would not be the file's.
      throw InputException.inFile(file, "header promises " + shapeText(" x ") + " " + dtype.name() + " values ("
          + need + " bytes) but the file holds " + have + " after the header; is the header's shape wrong?");
    }
  }

  /** The shape as Python writes it: {@code (150, 4)}, {@code (150,)}. */
  String shapeRepr() {
    if (shape.length == 1) {
      return "(" + shape[0] + ",)";
    }
    return "(" + shapeText(", ") + ")";
  }

  private String shapeText(String sep) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      b.append(i > 0 ? sep : "").append(shape[i]);
    }
    return b.toString();
  }

  private static Object entry(Path file, Map<?, ?> dict, String key) {
    if (!dict.containsKey(key)) {
      throw InputException.inFile(file, "malformed header: no '" + key + "' entry");
    }
    return dict.get(key);
  }

  private static long[] shape(Path file, Object value) {
    if (!(value instanceof PyLiteral.Tuple tuple)) {
      throw badShape(file, value);
    }
    List<Object> items = tuple.items();
    for (Object item : items) {
      if (!(item instanceof BigInteger b) || b.signum() < 0) {
        throw badShape(file, value);
      }
    }
    long[] out = new long[items.size()];
    BigInteger product = BigInteger.ONE;
    for (int i = 0; i < out.length; i++) {
      BigInteger b = (BigInteger) items.get(i);
      // A well-formed dimension of 2^62 or more is a size no file holds, not a malformed
      // shape: it is refused as too large, as a product beyond a long is.
      if (b.bitLength() > 62) {
        throw shapeTooLarge(file, value);
      }
      out[i] = b.longValue();
      product = product.multiply(b);
    }
    // 8 bytes per element at most: the byte count must fit a long too.
    if (product.shiftLeft(3).bitLength() > 62) {
      throw shapeTooLarge(file, value);
    }
    return out;
  }

  private static InputException shapeTooLarge(Path file, Object value) {
    return InputException.inFile(file, "shape " + Problems.show(PyLiteral.repr(value)) + " is too large");
  }

  private static InputException badShape(Path file, Object value) {
    return InputException.inFile(file, "header entry 'shape' is " + Problems.show(PyLiteral.repr(value))
        + "; expected a tuple of non-negative integers");
  }

  private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      int r = ch.read(b, position + b.position());
      if (r < 0) {
        break;
      }
    }
    b.flip();
    return b;
  }

  // ---------------------------------------------------------------- writing

  /**
   * A version 1.0 header for a C-order array, padded with blanks so that the values start at a
   * multiple of 64 bytes (as NumPy does, which keeps them aligned for memory mapping).
   */
  static byte[] encode(String descr, long... shape) {
    List<String> dims = new ArrayList<>();
    for (long s : shape) {
      dims.add(Long.toString(s));
    }
    String shapeText = shape.length == 1 ? "(" + dims.get(0) + ",)" : "(" + String.join(", ", dims) + ")";
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    int headerLen = total - MAGIC.length - 4;
    if (headerLen > 0xffff) {
      throw new IllegalArgumentException("shape too long for a version 1.0 header");
    }
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerLen);
    b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
    while (b.position() < total - 1) {
      b.put((byte) ' ');
    }
    b.put((byte) '\n');
    return b.array();
  }
}
