package io.clmix.data;

/**
 * One line of a text table as the tokenisers hand it over: its line number, how many fields it
 * has, their values, and the first field that is not a finite number. Reused from line to line;
 * fields are parsed as they arrive, so no string is made for a well-formed value.
 */
final class NumericRecord {
  /** Fields beyond this many are counted but not kept, so a hostile line cannot exhaust memory. */
  static final int MAX_FIELDS = 1 << 20;

  /** Line the record starts on, from 1. */
  long line;
  /** Number of fields. */
  int count;
  /** The values of the first {@code min(count, MAX_FIELDS)} fields (0 where a field is bad). */
  double[] values = new double[16];
  /** Index (from 0) of the first field that is not a finite number, or -1. */
  int badField;
  /** Why that field is bad: {@link NumberParser#NOT_A_NUMBER} or {@link NumberParser#NOT_FINITE}. */
  int badStatus;
  /** That field's text, trimmed. */
  String badText;
  /** Whether some non-empty field is not a number (and not a NaN/infinity spelling): a header line. */
  boolean hasText;
  /** A blank or comment line, to be ignored. */
  boolean skip;

  private final NumberParser parser = new NumberParser();

  void begin(long line) {
    this.line = line;
    count = 0;
    badField = -1;
    badText = null;
    hasText = false;
    skip = false;
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
      values[index] = parser.value();
      return;
    }
    values[index] = 0;
    String text = new String(c, from, to - from).strip();
    if (status == NumberParser.NOT_A_NUMBER && !text.isEmpty()) {
      hasText = true;
    }
    if (badField < 0) {
      badField = index;
      badStatus = status;
      badText = text;
    }
  }

  /** Ends the record: a single blank field is a blank line. */
  void end() {
    if (count == 1 && badField == 0 && badText.isEmpty()) {
      skip = true;
    }
  }
}
