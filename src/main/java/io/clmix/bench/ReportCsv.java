package io.clmix.bench;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import de.siegmar.fastcsv.writer.QuoteStrategies;
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
 * Unknown numbers are empty fields. A file takes its separator from its name, as every text
 * table clmix writes ({@link io.clmix.data.CsvWriter#separatorFor}): tabs in a {@code .tsv}
 * file, spaces in a {@code .txt} file, commas otherwise.
 */
public final class ReportCsv {
  private ReportCsv() {}

  /** The CSV text, LF line ends. */
  public static String toCsv(BenchReport report) {
    return toText(report, ',');
  }

  /**
   * The report with {@code separator} between fields, LF line ends; a field that holds the
   * separator (a device name with a space) is quoted.
   */
  public static String toText(BenchReport report, char separator) {
    StringWriter sw = new StringWriter();
    CsvWriter.CsvWriterBuilder builder = CsvWriter.builder().fieldSeparator(separator).lineDelimiter(LineDelimiter.LF);
    if (separator == ' ') {
      // Readers of space-separated text take a run of spaces for one separator, so an empty
      // field (an unknown number) would vanish and shift the columns after it: it is "" there.
      builder.quoteStrategy(QuoteStrategies.EMPTY);
    }
    try (CsvWriter csv = builder.build(sw)) {
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

  /**
   * Writes the report to {@code file}, all or nothing, with the separator its name calls for
   * (a {@code .tsv} file of commas is one column of text to every reader, clmix's included).
   */
  public static void write(Path file, BenchReport report) {
    byte[] bytes = toText(report, io.clmix.data.CsvWriter.separatorFor(file)).getBytes(StandardCharsets.UTF_8);
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
