package io.clmix.cli;

import io.clmix.data.InputException;
import java.util.TreeSet;

/**
 * Parses the numbers of clusters to try, as {@code clmix select -k} takes them: a range
 * {@code 1..10}, a list {@code 1,2,5}, or both ({@code 1..4,8,16}). The result is sorted and
 * without repeats.
 */
final class KRange {
  /** More fits than this is almost certainly a typo (1..1000000). */
  static final int MAX_VALUES = 1000;
  private static final String ACCEPTS =
      "a range a..b with 1 <= a <= b (such as 1..10), a list such as 1,2,5, or both (1..4,8)";

  private KRange() {}

  /** The values of {@code spec}, ascending; an {@link InputException} naming {@code option} otherwise. */
  static int[] parse(String option, String spec) {
    if (spec == null || spec.isBlank()) {
      throw InputException.parameter(option, "an empty value", ACCEPTS);
    }
    TreeSet<Integer> values = new TreeSet<>();
    for (String part : spec.split(",", -1)) {
      String p = part.trim();
      int dots = p.indexOf("..");
      if (dots >= 0) {
        int a = number(option, spec, p.substring(0, dots));
        int b = number(option, spec, p.substring(dots + 2));
        if (b < a) {
          throw new InputException(option + ": '" + spec + "' is not allowed: the range " + p
              + " ends before it starts; expected " + ACCEPTS);
        }
        if ((long) b - a + 1 > MAX_VALUES) {
          throw new InputException(option + ": '" + spec + "' asks for " + ((long) b - a + 1)
              + " values of k; at most " + MAX_VALUES + " are allowed");
        }
        for (int k = a; k <= b; k++) {
          values.add(k);
        }
      } else {
        values.add(number(option, spec, p));
      }
      if (values.size() > MAX_VALUES) {
        throw new InputException(option + ": '" + spec + "' asks for more than " + MAX_VALUES + " values of k");
      }
    }
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The values as the fits run them, for the report's header: runs of three or more as ranges
   * ({@code 1..4,8,16}), so {@code 1,1,2} or {@code 3..5,4} read as what is fitted.
   */
  static String describe(int[] ks) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ks.length; ) {
      int j = i;
      while (j + 1 < ks.length && ks[j + 1] == ks[j] + 1) {
        j++;
      }
      sb.append(sb.length() == 0 ? "" : ",");
      if (j - i >= 2) {
        sb.append(ks[i]).append("..").append(ks[j]);
        i = j + 1;
      } else {
        sb.append(ks[i]);
        i++;
      }
    }
    return sb.toString();
  }

  private static int number(String option, String spec, String s) {
    String t = s.trim();
    int v;
    try {
      v = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw InputException.parameter(option, "'" + spec + "'",
          ACCEPTS + " ('" + t + "' is not a whole number)");
    }
    if (v < 1) {
      throw InputException.parameter(option, "'" + spec + "'", ACCEPTS + " (k = " + v + " is less than 1)");
    }
    return v;
  }
}
