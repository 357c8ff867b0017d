package io.clmix.data;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Path;

/**
 * Splits text into lines and each line into fields separated by runs of blanks (spaces, tabs),
 * as NumPy's {@code savetxt} writes and {@code loadtxt} reads. Lines may end in LF, CRLF or CR;
 * lines whose first non-blank character is {@code #} are skipped, as are blank lines.
 */
final class WhitespaceRecords {
  /** Lines longer than this are refused rather than buffered: no numeric table has them. */
  static final int MAX_LINE_CHARS = 1 << 24;

  private final Path file;
  private final Reader in;
  private final NumericRecord record;
  private char[] buf = new char[1 << 16];
  private int pos;
  private int lim;
  private boolean eof;
  private long line;

  WhitespaceRecords(Path file, Reader in, NumericRecord record) {
    this.file = file;
    this.in = in;
    this.record = record;
  }

  /** Fills the record with the next line that has fields; {@code false} at the end of the input. */
  boolean next() throws IOException {
    while (true) {
      int eol = findLineEnd();
      if (eol < 0) {
        return false;
      }
      line++;
      int from = pos;
      if (line == 1 && from < eol && buf[from] == '\ufeff') {
        from++; // byte-order mark
      }
      split(from, eol);
      consumeLineEnd(eol);
      if (!record.skip && record.count > 0) {
        return true;
      }
    }
  }

  private void split(int from, int to) {
    record.begin(line);
    int i = from;
    while (true) {
      while (i < to && isSeparator(buf[i])) {
        i++;
      }
      if (i == to) {
        break;
      }
      if (record.count == 0 && buf[i] == '#') {
        record.skip = true;
        return;
      }
      int start = i;
      while (i < to && !isSeparator(buf[i])) {
        i++;
      }
      record.field(buf, start, i, false);
    }
    record.end();
  }

  /** Index of the end of the current line (its CR or LF, or the end of the input); -1 when no line is left. */
  private int findLineEnd() throws IOException {
    int scanned = pos;
    while (true) {
      for (int i = scanned; i < lim; i++) {
        char c = buf[i];
        if (c == '\n' || c == '\r') {
          return i;
        }
      }
      if (eof) {
        return pos < lim ? lim : -1;
      }
      int already = lim - pos;
      if (already >= MAX_LINE_CHARS) {
        throw InputException.atLine(file, line + 1, "longer than " + MAX_LINE_CHARS + " characters");
      }
      fill();
      scanned = pos + already;
    }
  }

  private void consumeLineEnd(int eol) throws IOException {
    pos = eol;
    if (pos < lim && buf[pos] == '\r') {
      pos++;
      if (pos == lim && !eof) {
        fill();
      }
      if (pos < lim && buf[pos] == '\n') {
        pos++;
      }
    } else if (pos < lim) {
      pos++; // '\n'
    }
  }

  /** Moves the unread text to the front, grows the buffer when it is full, and reads more. */
  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, lim - pos);
      lim -= pos;
      pos = 0;
    }
    if (lim == buf.length) {
      buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE_CHARS + 2, buf.length * 2));
    }
    int r = in.read(buf, lim, buf.length - lim);
    if (r < 0) {
      eof = true;
    } else {
      lim += r;
    }
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '\t' || c == '\f' || c == '\u000b';
  }
}
