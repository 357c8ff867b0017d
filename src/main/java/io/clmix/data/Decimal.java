package io.clmix.data;

import java.util.Locale;

/**
 * A number given as text outside a data file (a command-line option, a list of values) read as
 * the data files read theirs ({@link NumberParser}): decimal, with an optional exponent; not
 * Java's wider syntax (hexadecimal {@code 0x1p3}, suffixes {@code 1d} and {@code 2f}), which a
 * data file refuses and an option therefore must too.
 */
public final class Decimal {
  private Decimal() {}

  /**
   * The value of {@code text} (blanks around it ignored). NaN and the infinities, spelled as the
   * data readers recognise them ({@code nan}, {@code inf}, {@code -Infinity}) or as a number
   * beyond a double ({@code 1e400}), come back as those values, so that the caller's range
   * check can name them.
   *
   * @throws NumberFormatException when {@code text} is not a decimal number
   */
  public static double parse(String text) {
    NumberParser p = new NumberParser();
    switch (p.parse(text)) {
      case NumberParser.FINITE:
        return p.value();
      case NumberParser.NOT_FINITE:
      case NumberParser.OVERFLOW: {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.contains("nan")) {
          return Double.NaN;
        }
        return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
      default:
        throw new NumberFormatException("'" + text + "' is not a decimal number");
    }
  }
}
