package io.clmix.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.Dataset;
import io.clmix.fit.FitReport;
import java.io.PrintWriter;
import java.util.Locale;

/** Shared formatting of results for people (tables of numbers) and for scripts (one JSON line). */
final class Printing {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Rows of a matrix printed in full; larger ones are elided in the middle. */
  private static final int MAX_ROWS = 12;
  private static final int MAX_COLS = 8;

  private Printing() {}

  /**
   * {@code "1 iteration"}, {@code "12 iterations"}: a count with its noun, singular for one (a
   * fit can converge after one iteration, a cluster hold one point).
   */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  static String compact(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The fields every fit's JSON line has. */
  static ObjectNode fitJson(String algo, int k, Dataset data, FitReport report) {
    ObjectNode o = JSON.createObjectNode();
    o.put("algo", algo);
    o.put("k", k);
    o.put("n", data.rows());
    o.put("d", data.cols());
    o.put("device", report.engine().id());
    o.put("deviceName", report.engine().name());
    if (report.engine().kernels() != null) {
      o.put("kernels", report.engine().kernels()); // defaults, or the device's tuning (clmix tune)
    }
    if (report.fallback() != null) {
      o.put("fallback", report.fallback());
    } else {
      o.putNull("fallback");
    }
    o.put("runs", report.runs());
    o.put("bestRun", report.bestRun());
    o.put("totalIterations", report.totalIterations());
    o.put("seconds", report.seconds());
    o.put("secondsPerIteration", report.secondsPerIteration());
    return o;
  }

  /** A matrix with a title, one row per line, elided when large. */
  static void centres(PrintWriter out, String title, double[][] m) {
    out.println(title + ":");
    for (int i = 0; i < m.length; i++) {
      if (m.length > MAX_ROWS && i == MAX_ROWS / 2) {
        out.printf("  ... %d more ...%n", m.length - MAX_ROWS);
        i = m.length - MAX_ROWS / 2;
      }
      out.println("  " + row(m[i]));
    }
  }

  static String row(double[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int j = 0; j < v.length; j++) {
      if (v.length > MAX_COLS && j == MAX_COLS / 2) {
        sb.append(" ...");
        j = v.length - MAX_COLS / 2;
      }
      sb.append(j == 0 ? "" : " ").append(String.format(Locale.ROOT, "%10.4f", v[j]));
    }
    return sb.append(" ]").toString();
  }
}
