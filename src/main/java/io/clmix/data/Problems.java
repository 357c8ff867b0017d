package io.clmix.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The wording of the readers' and writers' messages in one place, so that every file problem
 * reads the same way: {@code "<file>: cannot read: <reason>"}, {@code "<file>, row 17, column 3:
 * value NaN is not a finite number"}.
 */
final class Problems {
  /**
   * Why a finite value is refused: clmix stores and computes in float32, where it would be
   * infinite. (Smaller values whose squared distances overflow are caught by the fits.)
   */
  static final String TOO_LARGE = "is too large: clmix computes in float32, which holds magnitudes up to 3.4e38;"
      + " divide the data by a power of ten";

  /**
   * Why a written number beyond a double's range ({@code 1e400}) is refused where values stay
   * double (sample weights, matrices read without the float32 check).
   */
  static final String TOO_LARGE_FOR_DOUBLE = "is too large: a double holds magnitudes up to 1.8e308;"
      + " divide the values by a power of ten";

  /** Whether a finite double is beyond float32's range. */
  static boolean tooLarge(double v) {
    return Math.abs(v) > Float.MAX_VALUE;
  }

  /** Longest piece of file content quoted in a message; the rest is elided. */
  private static final int MAX_SHOWN = 60;

  private Problems() {}

  /** An I/O failure while reading {@code file}, e.g. {@code "data.csv: cannot read: no such file or directory"}. */
  static InputException cannotRead(Path file, IOException e) {
    return new InputException(file + ": cannot read: " + reason(e), e);
  }

  /** An I/O failure while writing {@code file}. */
  static InputException cannotWrite(Path file, IOException e) {
    return new InputException(file + ": cannot write: " + reason(e), e);
  }

  /**
   * A bad value in a binary file, where rows rather than lines are counted:
   * {@code "data.npy, row 17, column 3: value NaN is not a finite number"}.
   */
  static InputException atRow(Path file, long row, long column, double value, String problem) {
    return new InputException(file + ", row " + row + ", column " + column + ": value " + value + " " + problem);
  }

  /**
   * What a file that is not a regular file is, for messages: {@code "a named pipe"},
   * {@code "a character device"}, {@code "a block device"}, {@code "a socket"}, or
   * {@code "not a regular file"} where the file system does not say (links are followed).
   */
  static String fileType(Path file) {
    String type = switch (typeBits(file)) {
      case S_IFIFO -> "a named pipe";
      case S_IFCHR -> "a character device";
      case 0060000 -> "a block device";
      case 0140000 -> "a socket";
      default -> null;
    };
    return type != null ? type : "not a regular file";
  }

  /** The S_IFMT bits of a named pipe and of a character device. */
  static final int S_IFIFO = 0010000;
  static final int S_IFCHR = 0020000;

  /**
   * The file type bits (S_IFMT) of {@code file}'s st_mode, links followed, or -1 where the file
   * system does not say.
   */
  static int typeBits(Path file) {
    try {
      // The "unix" attribute view (Linux, macOS) holds st_mode.
      return (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
    } catch (IOException | RuntimeException e) { // a missing view (Windows), an unexpected value
      return -1;
    }
  }

  /**
   * The user-facing reason of an I/O exception: the operating system's words where Java keeps
   * them, without the path (the message names the file already), starting in lower case.
   */
  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    String r = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
    if (r == null || r.isBlank()) {
      r = e.getClass().getSimpleName();
    }
    return lowerFirst(r.strip());
  }

  /**
   * What a message adds where the text it quotes holds U+FFFD, which {@link #show} writes
   * {@code \ufffd}: the reader's mark for bytes that are not UTF-8.
   */
  static final String NOT_UTF8_SHOWN = " (\\ufffd stands for bytes that are not UTF-8 text; clmix reads files as UTF-8)";

  /**
   * File content made safe to quote in a one-line message: control characters escaped, U+FFFD
   * (what the reader put for bytes that are not UTF-8) written {@code \ufffd}, long text elided
   * in the middle.
   */
  static String show(CharSequence s) {
    StringBuilder b = new StringBuilder();
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (n > MAX_SHOWN && i == MAX_SHOWN / 2) {
        b.append("...");
        i = n - MAX_SHOWN / 2;
      }
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\\' -> b.append("\\\\");
        case '\uFFFD' -> b.append("\\ufffd");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String lowerFirst(String s) {
    if (s.length() >= 2 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
      return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
    return s;
  }
}
