package io.clmix.bench;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.clmix.data.AtomicOutput;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report as CSV: a header, then one record per device with the workload's columns first
 * ({@link BenchReport#rowFields}), so files of several benchmarks concatenate into one table.
 * Unknown numbers are empty fields.
 */
public final class ReportCsv {
  private ReportCsv() {}

  /** The CSV text, LF line ends. */
  public static String toCsv(BenchReport report) {
    StringWriter sw = new StringWriter();
    try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(sw)) {
      List<String> header = null;
      for (BenchRow row : report.rows()) {
        Map<String, Object> f = report.rowFields(row);
        if (header == null) {
          header = new ArrayList<>(f.keySet());
          csv.writeRecord(header);
        }
        List<String> values = new ArrayList<>();
        for (Object v : f.values()) {
          values.add(text(v));
        }
        csv.writeRecord(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return sw.toString();
  }

  /** Writes the CSV to {@code file}, all or nothing. */
  public static void write(Path file, BenchReport report) {
    byte[] bytes = toCsv(report).getBytes(StandardCharsets.UTF_8);
    AtomicOutput.write(file, out -> out.write(bytes));
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double x) {
      return Double.isFinite(x) ? Double.toString(x) : "";
    }
    return v.toString();
  }
}
