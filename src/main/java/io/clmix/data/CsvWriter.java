package io.clmix.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes numeric text tables that {@link CsvReader} (and NumPy, pandas, spreadsheets) read back
 * exactly: values in Java's shortest round-trip form ({@link Float#toString(float)} /
 * {@link Double#toString(double)}), an optional header line, LF line ends. The separator
 * follows the file name: tab for {@code .tsv}, a space for {@code .txt}, a comma otherwise.
 * Files are written through {@link AtomicOutput}.
 */
public final class CsvWriter {
  private CsvWriter() {}

  /**
   * Writes {@code data} in its own coordinates (stored value + origin, added in double), one
   * row per line, without its weights.
   *
   * @param header column names, or {@code null} for none; one per column
   */
  public static void write(Path file, Dataset data, List<String> header, Precision precision) {
    int d = data.cols();
    checkHeader(header, d);
    double[] origin = data.origin();
    char sep = separatorFor(file);
    AtomicOutput.write(file, out -> {
      Writer w = writer(out);
      writeHeader(w, header, sep);
      RowSlices s = new RowSlices(data);
      for (int c = 0; c < data.chunkCount(); c++) {
        for (s.start(c); s.next(); ) {
          float[] v = s.values();
          for (int i = 0, o = 0; i < s.rows(); i++) {
            for (int j = 0; j < d; j++, o++) {
              if (j > 0) {
                w.write(sep);
              }
              w.write(format(v[o] + origin[j], precision));
            }
            w.write('\n');
          }
        }
      }
      w.flush();
    });
  }

  /**
   * Writes {@code rows} (all of one length, at least one column) in double precision.
   *
   * @param header column names, or {@code null} for none; one per column
   */
  public static void write(Path file, double[][] rows, List<String> header) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("a table to write needs at least one row and one column");
    }
    int d = rows[0].length;
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values; row 0 has " + d);
      }
    }
    checkHeader(header, d);
    char sep = separatorFor(file);
    AtomicOutput.write(file, out -> {
      Writer w = writer(out);
      writeHeader(w, header, sep);
      for (double[] r : rows) {
        for (int j = 0; j < d; j++) {
          if (j > 0) {
            w.write(sep);
          }
          w.write(Double.toString(r[j]));
        }
        w.write('\n');
      }
      w.flush();
    });
  }

  /** Writes labels as text, one integer per line. */
  public static void writeLabels(Path file, Labels labels) {
    AtomicOutput.write(file, out -> {
      Writer w = writer(out);
      for (int c = 0; c < labels.chunkCount(); c++) {
        for (int v : labels.chunk(c)) {
          w.write(Integer.toString(v));
          w.write('\n');
        }
      }
      w.flush();
    });
  }

  /**
   * Tab for {@code .tsv}, a space for {@code .txt}, a comma for anything else: the separator of
   * every text table clmix writes, so that {@link CsvReader} (which takes a {@code .tsv} file
   * for tab-separated) reads each back. Public for the writers that stream their rows.
   */
  public static char separatorFor(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".tsv") ? '\t' : name.endsWith(".txt") ? ' ' : ',';
  }

  private static String format(double v, Precision precision) {
    return precision == Precision.FLOAT32 ? Float.toString((float) v) : Double.toString(v);
  }

  private static Writer writer(java.io.OutputStream out) {
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
  }

  private static void checkHeader(List<String> header, int cols) {
    if (header != null && header.size() != cols) {
      throw new IllegalArgumentException("header has " + header.size() + " names for " + cols + " columns");
    }
  }

  private static void writeHeader(Writer w, List<String> header, char sep) throws IOException {
    if (header == null) {
      return;
    }
    for (int j = 0; j < header.size(); j++) {
      if (j > 0) {
        w.write(sep);
      }
      w.write(quote(header.get(j), sep));
    }
    w.write('\n');
  }

  /**
   * A header name as a field: quoted (RFC 4180) when it holds the separator, a quote or a line
   * break, or starts with {@code #} (which would make the line a comment). A space-separated
   * file cannot quote, so there blanks and commas (a comma would make the reader take the file
   * for comma-separated) become underscores, and a leading {@code #} or an empty name gets an
   * underscore in front. {@link CsvReader} guesses a header ({@link ReadOptions.Header#AUTO})
   * only when its names do not start as numbers do (a digit, a sign, a decimal point): a header
   * of other names must be read back with {@link ReadOptions.Header#YES}.
   */
  static String quote(String name, char sep) {
    if (sep == ' ') {
      String s = name.replaceAll("[\\s,]", "_");
      return s.isEmpty() || s.startsWith("#") ? "_" + s : s;
    }
    boolean needs = name.indexOf(sep) >= 0 || name.indexOf('"') >= 0 || name.indexOf('\n') >= 0
        || name.indexOf('\r') >= 0 || name.startsWith("#") || name.isEmpty();
    return needs ? '"' + name.replace("\"", "\"\"") + '"' : name;
  }
}
