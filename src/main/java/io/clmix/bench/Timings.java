package io.clmix.bench;

import java.util.Arrays;
import java.util.List;

/** Summaries of per-iteration times. The median, because one slow iteration (a GC, a context switch) must not move the figure. */
final class Timings {
  private Timings() {}

  /** The median (the mean of the two middle values for an even count); NaN for no values. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** The smallest value; NaN for no values. */
  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  /** All values of all runs in one array, in run order. */
  static double[] pooled(List<double[]> runs) {
    return runs.stream().flatMapToDouble(Arrays::stream).toArray();
  }
}
