package io.clmix.data;

import java.nio.ByteOrder;

/**
 * A NumPy array-protocol type string such as {@code '<f8'}: element kind, size and byte order.
 * Only the numeric types the readers can turn into doubles are represented.
 */
record NpyDtype(char kind, int size, ByteOrder order, String descr) {

  /**
   * Parses {@code descr}; {@code null} when it is not a float, signed or unsigned integer type
   * of a supported size, or its byte-order character is not legal for it ({@code '|'} only
   * fits one-byte types).
   */
  static NpyDtype parse(String descr) {
    if (descr.isEmpty()) {
      return null;
    }
    char o = descr.charAt(0);
    String rest = descr;
    ByteOrder order = ByteOrder.nativeOrder();
    boolean notApplicable = false;
    if (o == '<' || o == '>' || o == '=' || o == '|') {
      rest = descr.substring(1);
      if (o == '<') {
        order = ByteOrder.LITTLE_ENDIAN;
      } else if (o == '>') {
        order = ByteOrder.BIG_ENDIAN;
      }
      notApplicable = o == '|';
    }
    if (rest.length() != 2) {
      return null;
    }
    char kind = rest.charAt(0);
    int size = rest.charAt(1) - '0';
    boolean ok = switch (kind) {
      case 'f' -> size == 4 || size == 8;
      case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
      default -> false;
    };
    if (!ok || (notApplicable && size != 1)) {
      return null;
    }
    return new NpyDtype(kind, size, order, descr);
  }

  boolean isFloat() {
    return kind == 'f';
  }

  /** "float32", "int64", ...: the NumPy name, for messages. */
  String name() {
    return (kind == 'f' ? "float" : kind == 'i' ? "int" : "uint") + (8 * size);
  }
}
