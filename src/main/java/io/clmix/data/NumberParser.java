package io.clmix.data;

import com.fasterxml.jackson.core.io.NumberInput;

/**
 * Parses one decimal number from a slice of characters, as the text readers need it: strict
 * syntax ({@code [+-]digits[.digits][e[+-]digits]}, surrounding blanks ignored), no hex, no
 * Java suffixes such as {@code 1f}, and the spellings of NaN and infinity recognised so that
 * they can be reported as non-finite rather than as "not a number".
 *
 * <p>Numbers with at most 15 significant digits and a decimal exponent within &plusmn;22 (nearly
 * all data) are converted with one exact multiplication or division, which IEEE rounding makes
 * correctly rounded (Clinger's fast path); the rest go to a full parser. Either way the result
 * is the double nearest to the text, the same as {@link Double#parseDouble} gives.
 *
 * <p>Not thread-safe: {@link #value()} holds the result of the last {@link #parse} call.
 */
final class NumberParser {
  /** The slice is a finite number; {@link #value()} holds it. */
  static final int FINITE = 0;
  /** The slice is not a number at all (or is empty). */
  static final int NOT_A_NUMBER = 1;
  /** The slice spells NaN or infinity ({@code nan}, {@code -inf}, {@code Infinity}). */
  static final int NOT_FINITE = 2;
  /**
   * The slice is a well-formed number too large for a double ({@code 1e400}): the user wrote a
   * number, not an infinity, so it is reported as too large rather than as not finite.
   */
  static final int OVERFLOW = 3;

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private double value;

  /** The value of the last slice that parsed as {@link #FINITE}. */
  double value() {
    return value;
  }

  /** Classifies {@code s} as {@link #FINITE}, {@link #NOT_A_NUMBER}, {@link #NOT_FINITE} or {@link #OVERFLOW}. */
  int parse(String s) {
    return parse(s.toCharArray(), 0, s.length());
  }

  /** Classifies the characters {@code [from, to)} of {@code c}. */
  int parse(char[] c, int from, int to) {
    while (from < to && isBlank(c[from])) {
      from++;
    }
    while (to > from && isBlank(c[to - 1])) {
      to--;
    }
    if (from == to) {
      return NOT_A_NUMBER;
    }
    int i = from;
    boolean negative = false;
    if (c[i] == '+' || c[i] == '-') {
      negative = c[i] == '-';
      i++;
    }
    long mantissa = 0;
    int significant = 0; // digits accumulated into mantissa (leading zeros excluded)
    int dropped = 0; // significant digits beyond what mantissa holds
    int digits = 0;
    int scale = 0; // power of ten the mantissa is to be multiplied by
    while (i < to && isDigit(c[i])) {
      digits++;
      if (mantissa == 0 && c[i] == '0') {
        // leading zero: contributes nothing
      } else if (significant < 18) {
        mantissa = mantissa * 10 + (c[i] - '0');
        significant++;
      } else {
        dropped++;
        scale++;
      }
      i++;
    }
    if (i < to && c[i] == '.') {
      i++;
      while (i < to && isDigit(c[i])) {
        digits++;
        if (mantissa == 0 && c[i] == '0') {
          scale--;
        } else if (significant < 18) {
          mantissa = mantissa * 10 + (c[i] - '0');
          significant++;
          scale--;
        } else {
          dropped++;
        }
        i++;
      }
    }
    if (digits == 0) {
      return spellsNonFinite(c, i, to) ? NOT_FINITE : NOT_A_NUMBER;
    }
    if (i < to && (c[i] == 'e' || c[i] == 'E')) {
      i++;
      boolean negExp = false;
      if (i < to && (c[i] == '+' || c[i] == '-')) {
        negExp = c[i] == '-';
        i++;
      }
      if (i == to || !isDigit(c[i])) {
        return NOT_A_NUMBER;
      }
      int exp = 0;
      while (i < to && isDigit(c[i])) {
        // Saturate: 1e999999999999 is as infinite as 1e400, and must not wrap around.
        exp = Math.min(exp * 10 + (c[i] - '0'), 1_000_000);
        i++;
      }
      scale += negExp ? -exp : exp;
    }
    if (i != to) {
      return NOT_A_NUMBER;
    }
    double v;
    if (mantissa == 0) {
      v = 0.0;
    } else if (dropped == 0 && significant <= 15 && scale >= -22 && scale <= 22) {
      v = scale >= 0 ? mantissa * POW10[scale] : mantissa / POW10[-scale];
    } else {
      v = Math.abs(parseFull(c, from, to - from));
    }
    v = negative ? -v : v;
    if (!Double.isFinite(v)) {
      return OVERFLOW;
    }
    value = v;
    return FINITE;
  }

  /**
   * Converts text already known to be a valid decimal number. Jackson's bundled FastDoubleParser
   * (Eisel-Lemire, correctly rounded like {@link Double#parseDouble}) is several times faster on
   * the 17-digit values that {@code repr} and {@code %.17g} write.
   */
  private static double parseFull(char[] c, int from, int len) {
    try {
      return NumberInput.parseDouble(c, from, len, true);
    } catch (NumberFormatException e) {
      return Double.parseDouble(new String(c, from, len));
    }
  }

  /** Whether {@code [i, to)} (after an optional sign) spells nan, inf or infinity in any case. */
  private static boolean spellsNonFinite(char[] c, int i, int to) {
    int n = to - i;
    return (n == 3 && matches(c, i, "nan")) || (n == 3 && matches(c, i, "inf")) || (n == 8 && matches(c, i, "infinity"));
  }

  private static boolean matches(char[] c, int i, String lower) {
    for (int k = 0; k < lower.length(); k++) {
      if (Character.toLowerCase(c[i + k]) != lower.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char ch) {
    return ch >= '0' && ch <= '9';
  }

  static boolean isBlank(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\u00a0' || ch == '\ufeff';
  }
}
