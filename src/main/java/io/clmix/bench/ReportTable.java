package io.clmix.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report as a table for people: a header that says what ran and on what, then one line per
 * device. Unknown values print as "n/a"; a failed device prints its reason instead of figures.
 */
public final class ReportTable {
  private static final String[] HEADER = {"device", "s/iter", "GFLOP/s", "%peak", "GB/s", "%peak", "upload s",
      "RSS MiB", "CPU/wall", "objective", "rel.diff"};

  private ReportTable() {}

  /** How the table's runs were warmed up, after "repeats". */
  static String warmup(BenchSpec s) {
    if (s.warmupSeconds() == 0) {
      return " after a warm-up run";
    }
    return " after a warm-up of " + BenchSpec.plain(s.warmupSeconds()) + " s";
  }

  /** The table, with a trailing newline. */
  public static String toText(BenchReport r) {
    StringBuilder sb = new StringBuilder();
    sb.append("clmix bench: ").append(r.spec().describe()).append("; median over ").append(r.spec().repeats())
        .append(r.spec().repeats() == 1 ? " repeat" : " repeats").append(warmup(r.spec())).append('\n');
    sb.append(String.format(Locale.ROOT, "work per iteration: %.4g flop (%s), %.4g bytes (4nd)%n", r.cost().flops(),
        r.cost().formula(), r.cost().bytes()));
    sb.append("host: ").append(r.host().describe()).append('\n');
    if (r.loadBefore() >= 0) {
      sb.append(String.format(Locale.ROOT, "load average: %.2f before, %.2f after%n", r.loadBefore(), r.loadAfter()));
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    for (BenchRow row : r.rows()) {
      if (!row.ok()) {
        lines.add(new String[] {row.device(), "failed: " + row.error()});
        continue;
      }
      lines.add(new String[] {row.device(), fmt("%.4g", row.secondsPerIteration()), fmt("%.1f", row.gflops()),
          percent(row.flopFraction()), fmt("%.2f", row.gbs()), percent(row.bandwidthFraction()),
          fmt("%.3f", row.uploadSeconds()), row.rssPeakMiB() < 0 ? "n/a" : fmt("%.0f", row.rssPeakMiB()),
          fmt("%.2f", row.cpuPerWall()), fmt("%.10g", row.objective()), fmt("%.1e", row.objectiveRelDiff())});
    }
    int[] width = new int[HEADER.length];
    for (String[] line : lines) {
      if (line.length == HEADER.length) {
        for (int i = 0; i < line.length; i++) {
          width[i] = Math.max(width[i], line[i].length());
        }
      }
    }
    for (String[] line : lines) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        boolean last = i == line.length - 1;
        // Text columns (device, a failure) align left; numbers right.
        l.append(i == 0 || line.length != HEADER.length ? pad(line[i], width[i], last) : padLeft(line[i], width[i]));
        if (!last) {
          l.append("  ");
        }
      }
      sb.append(l.toString().stripTrailing()).append('\n');
    }
    for (BenchRow row : r.rows()) {
      if (row.ok() && !"unknown".equals(row.peakSource())) {
        sb.append("peak of ").append(row.device()).append(": ").append(row.peakSource()).append('\n');
      }
    }
    for (BenchRow row : r.rows()) {
      if (row.kernels() != null) {
        sb.append("kernels of ").append(row.device()).append(": ").append(row.kernels()).append('\n');
      }
    }
    return sb.toString();
  }

  private static String fmt(String format, double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, format, v) : "n/a";
  }

  private static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", 100 * fraction) : "n/a";
  }

  private static String pad(String s, int w, boolean last) {
    return last || s.length() >= w ? s : s + " ".repeat(w - s.length());
  }

  private static String padLeft(String s, int w) {
    return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
  }
}
