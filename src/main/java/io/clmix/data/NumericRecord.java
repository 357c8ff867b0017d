package io.clmix.data;

/**
 * One line of a text table as the tokenisers hand it over: its line number, how many fields it
 * has, their values, and the first field that is not a finite number. Reused from line to line;
 * fields are parsed as they arrive, so no string is made for a well-formed value.
 */
final class NumericRecord {
  /** Fields beyond this many are counted but not kept, so a hostile line cannot exhaust memory. */
  static final int MAX_FIELDS = 1 << 20;
  /** The preview stops growing at this length; the note shows less. */
  private static final int PREVIEW_CHARS = 256;

  /** Line the record starts on, from 1. */
  long line;
  /** Number of fields. */
  int count;
  /** The values of the first {@code min(count, MAX_FIELDS)} fields (0 where a field is bad). */
  double[] values = new double[16];
  /** Index (from 0) of the first field that is not a finite number, or -1. */
  int badField;
  /**
   * Why that field is bad: {@link NumberParser#NOT_A_NUMBER}, {@link NumberParser#NOT_FINITE} or
   * {@link NumberParser#OVERFLOW} (a number beyond a double, which the reader calls too large).
   */
  int badStatus;
  /** That field's text, trimmed. */
  String badText;
  /**
   * Index (from 0) of the first finite field beyond float32's range ({@link Problems#tooLarge}),
   * or -1: a data value the engines could not hold, refused where the data become float32.
   */
  int largeField;
  /** That field's text as written, trimmed, so the message quotes the file, not the parsed double. */
  String largeText;
  /** Non-empty fields that are column names ({@link #isName}). */
  int names;
  /** Fields that are empty (or blank). */
  int empty;
  /**
   * When not null, the fields that are not numbers are written here, quoted and comma-separated,
   * for the note that tells a guessed header; only the first record needs it.
   */
  StringBuilder preview;
  /** A blank or comment line, to be ignored. */
  boolean skip;

  private final NumberParser parser = new NumberParser();

  void begin(long line) {
    this.line = line;
    count = 0;
    badField = -1;
    badText = null;
    largeField = -1;
    largeText = null;
    names = 0;
    empty = 0;
    skip = false;
    if (preview != null) {
      preview.setLength(0);
    }
  }

  /** Adds the field {@code c[from, to)}; {@code quoted} when it was quoted (never a comment). */
  void field(char[] c, int from, int to, boolean quoted) {
    int index = count++;
    if (index == 0 && !quoted) {
      int i = from;
      while (i < to && NumberParser.isBlank(c[i])) {
        i++;
      }
      if (i < to && c[i] == '#') {
        // A comment line that does not start in the first column, which the CSV parser misses.
        skip = true;
      }
    }
    if (skip || index >= MAX_FIELDS) {
      return;
    }
    if (index == values.length) {
      values = java.util.Arrays.copyOf(values, Math.min(MAX_FIELDS, 2 * values.length));
    }
    int status = parser.parse(c, from, to);
    if (status == NumberParser.FINITE) {
      double v = parser.value();
      values[index] = v;
      if (largeField < 0 && Problems.tooLarge(v)) {
        largeField = index;
        largeText = new String(c, from, to - from).strip();
      }
      return;
    }
    values[index] = 0;
    String text = new String(c, from, to - from).strip();
    if (text.isEmpty()) {
      empty++;
    } else if (status == NumberParser.NOT_A_NUMBER && isName(text)) {
      names++;
    }
    // The preview lists what is not a number; 1e400 is one, only too large for a double.
    if (preview != null && preview.length() < PREVIEW_CHARS && status != NumberParser.OVERFLOW) {
      preview.append(preview.isEmpty() ? "'" : ", '").append(text).append('\'');
    }
    if (badField < 0) {
      badField = index;
      badStatus = status;
      badText = text;
    }
  }

  /**
   * Whether this record looks like a header of column names: at least one field is a name and
   * every other field is empty. See {@link ReadOptions.Header#AUTO}.
   */
  boolean looksLikeHeader() {
    return names > 0 && names + empty == count;
  }

  /**
   * Whether {@code text} (not empty, and not a number by {@link NumberParser}) is a plausible
   * column name rather than a malformed number: it must not start with a digit, a sign or a
   * decimal point, as {@code 0x10}, {@code 1f}, {@code 1d0}, {@code 1_000}, {@code 1e},
   * {@code -} and {@code .} do, which other parsers (Java's, C's, Python's) read as numbers or
   * which mark a missing value.
   */
  static boolean isName(String text) {
    int i = 0;
    while (i < text.length() && NumberParser.isBlank(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return false;
    }
    char c = text.charAt(i);
    return !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.';
  }

  /** Ends the record: a single blank field is a blank line. */
  void end() {
    if (count == 1 && badField == 0 && badText.isEmpty()) {
      skip = true;
    }
  }
}
