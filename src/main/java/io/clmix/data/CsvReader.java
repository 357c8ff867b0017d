package io.clmix.data;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Reads numeric text tables ({@code .csv}, {@code .tsv}, {@code .txt}) into a {@link Dataset}.
 *
 * <p><b>Layout.</b> A {@code .tsv} file is tab-separated. Otherwise the first line that is
 * neither blank nor a comment decides: with a comma the file is comma-separated; with tabs
 * between column names that contain spaces, tab-separated; otherwise fields are separated by
 * runs of spaces and tabs, as NumPy's {@code savetxt} writes them. Comma- and tab-separated
 * files may quote fields (RFC 4180). Lines may end
 * in LF or CRLF; blank lines and lines starting with {@code #} are skipped; a UTF-8 byte-order
 * mark is ignored.
 *
 * <p><b>Header.</b> {@link ReadOptions#header()} says whether the first line (the first that is
 * neither blank nor a comment) is a header of column names: {@link ReadOptions.Header#YES} skips
 * it whatever it holds, {@link ReadOptions.Header#NO} reads it as data, and
 * {@link ReadOptions.Header#AUTO} (the default) takes it for a header only when at least one
 * field is a name and every other field is empty, a name being text that is not a number and
 * does not start with a digit, a sign or a decimal point. A line that is not a header is data,
 * validated as every other line: the guess never drops a line of values, nor skips one that
 * holds a malformed number such as {@code 0x10} or {@code 1f}. A header fixes the number of
 * columns; otherwise the first row does. Vectors and matrices ({@link #readVector},
 * {@link #readMatrix}) always guess.
 *
 * <p><b>Validation.</b> Every row must have as many values as the header or first row, and
 * every value must be a finite decimal number. Messages name the file, the line and the column
 * (from 1) and quote the value: {@code "data.csv, line 12, column 3: value 'abc' is not a
 * number"}.
 */
public final class CsvReader {
  /** How fields are separated. */
  enum Layout { COMMA, TAB, BLANKS }

  /** Characters examined to decide the layout. */
  private static final int SNIFF_CHARS = 1 << 16;

  /** Bytes read ahead to hold {@link #SNIFF_CHARS} characters: UTF-8 takes at most 4 bytes for one. */
  private static final int SNIFF_BYTES = 4 * SNIFF_CHARS;

  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

  private CsvReader() {}

  /** Receives validated rows; {@code values} holds {@code cols} numbers and is reused. */
  interface RowVisitor {
    void row(long line, double[] values, int cols);
  }

  /** Reads {@code file} with the {@link ReadOptions#defaults() default options}. */
  public static Dataset read(Path file) {
    return read(file, ReadOptions.defaults());
  }

  /**
   * Reads a numeric table as a data set, centred on its column means.
   *
   * @throws InputException when the file cannot be read, or a row or value is not valid
   */
  public static Dataset read(Path file, ReadOptions options) {
    return read(file, options, null);
  }

  /**
   * Reads a numeric table as a data set, centred on its column means, and tells {@code notes}
   * what {@link ReadOptions.Header#AUTO} guessed about the first line: that it was taken as a
   * header ({@code "data.csv: line 1 taken as a header ('x', 'y'); --header no reads it as
   * data"}), or that a line reading 0, 1, ..., D-1, pandas' header for unnamed columns, was
   * read as data. The note comes as soon as the guess is made, before the rest of the file is
   * read, which may still fail.
   *
   * @param notes receives the note, or null for none
   * @throws InputException when the file cannot be read, or a row or value is not valid
   */
  public static Dataset read(Path file, ReadOptions options, Consumer<String> notes) {
    return read(file, options, notes, null);
  }

  /**
   * Reads a numeric table as {@link #read(Path, ReadOptions, Consumer)} does, centred for the
   * sample weights {@code weights} that will be attached to them (see {@link DatasetBuilder};
   * not attached here). Null, or weights that cannot serve, centre on the plain column means.
   */
  static Dataset read(Path file, ReadOptions options, Consumer<String> notes, double[] weights) {
    DatasetBuilder[] builder = new DatasetBuilder[1];
    double[][] row = new double[1][];
    // Data become float32, so values beyond its range are refused; weights stay double.
    scan(file, options.header(), true, true, notes, (line, values, cols) -> {
      if (builder[0] == null) {
        builder[0] = new DatasetBuilder(cols, options.chunkRowsFor(cols, MAX_ARRAY), weights);
        row[0] = new double[cols];
      }
      System.arraycopy(values, 0, row[0], 0, cols);
      builder[0].addRow(row[0]);
    });
    return builder[0].build();
  }

  /**
   * Reads a one-column table (a header line allowed) as a vector.
   *
   * @param what what the vector is, for messages ("sample weights")
   */
  public static double[] readVector(Path file, String what) {
    double[][] out = {new double[1024]};
    int[] n = {0};
    scan(file, ReadOptions.Header.AUTO, false, false, null, (line, values, cols) -> {
      if (cols != 1) {
        throw InputException.inFile(file, what + ": " + cols + " columns; expected one value per line");
      }
      if (n[0] == out[0].length) {
        if (n[0] == MAX_ARRAY) {
          throw InputException.inFile(file, what + ": more values than one array can hold");
        }
        out[0] = Arrays.copyOf(out[0], (int) Math.min(MAX_ARRAY, 2L * n[0]));
      }
      out[0][n[0]++] = values[0];
    });
    return Arrays.copyOf(out[0], n[0]);
  }

  /**
   * Reads a small table as rows of doubles, not centred.
   *
   * @param what what the matrix is, for messages ("initial centres")
   */
  public static double[][] readMatrix(Path file, String what) {
    return readMatrix(file, what, false);
  }

  /**
   * As {@link #readMatrix(Path, String)}; with {@code float32}, values beyond float32's range
   * are refused as the data's are, quoted as written (for matrices the engines compute with in
   * float32, such as initial centres: such a value would be infinite on an OpenCL device and
   * finite on the Java engine).
   */
  public static double[][] readMatrix(Path file, String what, boolean float32) {
    List<double[]> rows = new ArrayList<>();
    scan(file, ReadOptions.Header.AUTO, false, float32, null, (line, values, cols) -> {
      if (rows.size() == MAX_ARRAY) {
        throw InputException.inFile(file, what + ": more rows than one array can hold");
      }
      rows.add(Arrays.copyOf(values, cols));
    });
    return rows.toArray(new double[0][]);
  }

  /**
   * Reads {@code file}, validates every line, and hands each data row to {@code visitor}.
   *
   * @param header whether the first line is a header
   * @param hint whether a bad value on a first line that holds names suggests saying
   *     {@code --header yes} (for data files, where that option exists)
   * @param float32 whether values beyond float32's range are refused, quoted as written
   * @param notes receives the note of a guessed header, or null
   * @throws InputException for every problem, naming the file (and line and column)
   */
  static void scan(Path file, ReadOptions.Header header, boolean hint, boolean float32, Consumer<String> notes,
      RowVisitor visitor) {
    if (Files.isDirectory(file)) {
      throw InputException.inFile(file, "cannot read: is a directory");
    }
    // The file is opened once: its first bytes decide the layout and are then read again from
    // memory. A named pipe, a device or /dev/fd/N can be read only once; opening such a file a
    // second time waits for a writer that never comes.
    try (InputStream raw = Files.newInputStream(file)) {
      byte[] head = raw.readNBytes(SNIFF_BYTES);
      Layout layout = sniff(file, head);
      InputStream in = new SequenceInputStream(new ByteArrayInputStream(head), raw);
      NumericRecord record = new NumericRecord();
      if (header == ReadOptions.Header.AUTO && notes != null) {
        record.preview = new StringBuilder();
      }
      Rows rows = new Rows(file, header, hint, float32, notes, visitor);
      if (layout == Layout.BLANKS) {
        WhitespaceRecords lines = new WhitespaceRecords(file, reader(in), record);
        while (lines.next()) {
          rows.accept(record);
        }
      } else {
        readDelimited(file, layout == Layout.COMMA ? ',' : '\t', record, rows, in);
      }
      // Not Files.size: a pipe's size is 0 whatever it carries.
      rows.finish(head.length == 0);
    } catch (IOException e) {
      throw Problems.cannotRead(file, e);
    }
  }

  private static void readDelimited(Path file, char separator, NumericRecord record, Rows rows, InputStream in)
      throws IOException {
    try (de.siegmar.fastcsv.reader.CsvReader<NumericRecord> csv = de.siegmar.fastcsv.reader.CsvReader.builder()
        .fieldSeparator(separator)
        .quoteCharacter('"')
        .commentStrategy(CommentStrategy.SKIP)
        .commentCharacter('#')
        .skipEmptyLines(true)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .detectBomHeader(true)
        .build(new NumericRecordHandler(record), in, StandardCharsets.UTF_8)) {
      Iterator<NumericRecord> it = csv.iterator();
      while (true) {
        NumericRecord r;
        try {
          if (!it.hasNext()) {
            break;
          }
          r = it.next();
        } catch (UncheckedIOException e) {
          throw Problems.cannotRead(file, e.getCause());
        } catch (CsvParseException e) {
          throw parseProblem(file, e, record.line, record.count + 1);
        }
        if (!r.skip) {
          rows.accept(r);
        }
      }
    }
  }

  /** FastCSV's words for text after a closing quote, with the character. */
  private static final java.util.regex.Pattern AFTER_QUOTE =
      java.util.regex.Pattern.compile("Unexpected character after closing quote: '(.*)' \\(0x[0-9a-fA-F]+\\)");

  /**
   * A failure inside the CSV parser as a one-line message. FastCSV refuses a field that does
   * not fit its 16 Mi-character buffer, which in practice means an opening quote without its
   * closing quote, and text after a field's closing quote ({@code "6"x}); {@code line} is where
   * the record being parsed started (0 when unknown), {@code column} the field it was parsing
   * (the handler has been given the fields before it).
   */
  private static InputException parseProblem(Path file, CsvParseException e, long line, int column) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof InputException ie) {
      return ie;
    }
    if (t instanceof IOException io) {
      return Problems.cannotRead(file, io);
    }
    String where = line > 0 ? file + ", line " + line + ": " : file + ": ";
    String why = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
    if (why.contains("maximum buffer size")) {
      return new InputException(where + "a field is too long to be a number; is a quote (\") missing its closing quote?", e);
    }
    java.util.regex.Matcher afterQuote = AFTER_QUOTE.matcher(why);
    if (line > 0 && afterQuote.matches()) {
      return new InputException(file + ", line " + line + ", column " + column + ": '" + Problems.show(afterQuote.group(1))
          + "' after the closing quote of a quoted field; a quoted field must end at its closing quote",
          e);
    }
    return new InputException(where + "cannot parse as CSV: " + Problems.show(why), e);
  }

  /**
   * Decides the layout from the first line that is neither blank nor a comment nor a single
   * field among the first {@link #SNIFF_CHARS} characters of {@code head}, the file's first
   * bytes; blank-separated where every such line holds one field.
   */
  static Layout sniff(Path file, byte[] head) {
    // Malformed UTF-8 is replaced, as the readers replace it, rather than failing here.
    String text = new String(head, StandardCharsets.UTF_8);
    char[] buf = text.substring(0, Math.min(text.length(), SNIFF_CHARS)).toCharArray();
    int n = buf.length;
    boolean tsv = file.getFileName() != null
        && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv");
    int start = 0;
    while (start < n) {
      int end = start;
      while (end < n && buf[end] != '\n' && buf[end] != '\r') {
        end++;
      }
      String line = new String(buf, start, end - start).replace("\ufeff", "").strip();
      // A line of one field (one column, or a short first row) says nothing about the
      // separator: the next line decides, so '1' then '3,4' is read as ragged comma-separated
      // rows, not as the value '3,4'.
      boolean oneField = line.indexOf(',') < 0 && line.indexOf('\t') < 0 && line.indexOf(' ') < 0;
      if (!line.isEmpty() && !line.startsWith("#") && (tsv || !oneField)) {
        return tsv ? Layout.TAB : layoutOf(line);
      }
      start = end + 1;
    }
    return tsv ? Layout.TAB : Layout.BLANKS;
  }

  /**
   * The layout a first line implies outside a {@code .tsv} file: a comma means comma-separated;
   * tabs mean tab-separated only when a field between them holds blanks and words (a column
   * name such as "sepal length"), since aligned numbers mix tabs and spaces freely.
   */
  static Layout layoutOf(String line) {
    if (line.indexOf(',') >= 0) {
      return Layout.COMMA;
    }
    if (line.indexOf('\t') >= 0) {
      NumberParser p = new NumberParser();
      for (String field : line.split("\t")) {
        String f = field.strip();
        if (f.indexOf(' ') < 0) {
          continue;
        }
        for (String word : f.split(" +")) {
          if (p.parse(word) == NumberParser.NOT_A_NUMBER) {
            return Layout.TAB;
          }
        }
      }
    }
    return Layout.BLANKS;
  }

  private static Reader reader(InputStream in) {
    // InputStreamReader replaces malformed UTF-8 instead of failing: a bad byte in a header
    // must not stop the read, and one in a value is reported as that value.
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  /** The header decision, the column count, and the checks that need them. */
  private static final class Rows {
    /** Longest header text quoted in the note of a guessed header. */
    private static final int NOTE_CHARS = 60;

    private final Path file;
    private final ReadOptions.Header mode;
    private final boolean hint;
    private final boolean float32;
    private final Consumer<String> notes;
    private final RowVisitor visitor;
    private int cols = -1;
    private boolean header;
    /** The first line was not taken for a header although some of its fields are names. */
    private boolean namesInData;
    private long dataRows;

    Rows(Path file, ReadOptions.Header mode, boolean hint, boolean float32, Consumer<String> notes,
        RowVisitor visitor) {
      this.file = file;
      this.mode = mode;
      this.hint = hint;
      this.float32 = float32;
      this.notes = notes;
      this.visitor = visitor;
    }

    void accept(NumericRecord r) {
      if (r.count > NumericRecord.MAX_FIELDS) {
        throw InputException.atLine(file, r.line, "more than " + NumericRecord.MAX_FIELDS + " values; at most "
            + NumericRecord.MAX_FIELDS + " columns are supported");
      }
      if (cols < 0) {
        cols = r.count;
        boolean guessed = mode == ReadOptions.Header.AUTO && r.looksLikeHeader();
        if (guessed && notes != null) {
          // A guess changes what is read, so the caller is told, with the names to check it by.
          boolean notUtf8 = r.preview != null && r.preview.indexOf("\uFFFD") >= 0;
          notes.accept(file + ": line " + r.line + " taken as a header (" + shown(r.preview)
              + "); --header no reads it as data" + (notUtf8 ? Problems.NOT_UTF8_SHOWN : ""));
        } else if (mode == ReadOptions.Header.AUTO && notes != null && pandasNames(r)) {
          notes.accept(file + ": line " + r.line + " (" + pandasList(r.count) + ") read as data; if it is pandas'"
              + " header for unnamed columns, --header yes skips it");
        }
        r.preview = null; // later lines need none
        if (mode == ReadOptions.Header.YES || guessed) {
          header = true;
          return;
        }
        namesInData = hint && mode == ReadOptions.Header.AUTO && r.names > 0;
      }
      if (r.count != cols) {
        throw InputException.atLine(file, r.line, r.count + (r.count == 1 ? " value" : " values") + " where the "
            + (header ? "header" : "first row") + " has " + cols);
      }
      boolean large = float32 && r.largeField >= 0;
      if (large && (r.badField < 0 || r.largeField < r.badField)) {
        throw InputException.atValue(file, r.line, r.largeField + 1, Problems.show(r.largeText), Problems.TOO_LARGE);
      }
      if (r.badField >= 0 && r.badStatus == NumberParser.OVERFLOW) {
        // A number written beyond a double (1e400) is too large, as 1e39 is, not "not finite":
        // the user wrote no infinity, and dividing the data is the cure in both cases.
        throw InputException.atValue(file, r.line, r.badField + 1, Problems.show(r.badText),
            float32 ? Problems.TOO_LARGE : Problems.TOO_LARGE_FOR_DOUBLE);
      }
      if (r.badField >= 0) {
        boolean empty = r.badText.isEmpty();
        String problem = r.badStatus == NumberParser.NOT_FINITE ? "is not a finite number"
            : empty ? "is not a number (the field is empty)" : "is not a number";
        if (r.badText.indexOf('\uFFFD') >= 0) {
          // The reader decodes UTF-8 and puts U+FFFD for bytes that are none (Latin-1's 0xe9).
          problem += Problems.NOT_UTF8_SHOWN;
        }
        if (namesInData && dataRows == 0) {
          // Names beside numbers: perhaps a header with a numeric column name. AUTO does not
          // take such a line for a header, since a line of data with a stray word looks the same.
          problem += " (if line " + r.line + " is a header, say so with --header yes)";
        }
        throw InputException.atValue(file, r.line, r.badField + 1, Problems.show(r.badText), problem);
      }
      visitor.row(r.line, r.values, cols);
      dataRows++;
    }

    /**
     * Whether a first line of data reads 0, 1, ..., D-1 (D at least 2): the header pandas writes
     * for a frame without column names ({@code df.to_csv(index=False)}). It is data by the rule,
     * as any line of numbers is, but worth a note.
     */
    private static boolean pandasNames(NumericRecord r) {
      if (r.count < 2 || r.badField >= 0) {
        return false;
      }
      for (int j = 0; j < r.count; j++) {
        if (r.values[j] != j) {
          return false;
        }
      }
      return true;
    }

    /** {@code 0, 1, 2} or {@code 0, 1, ..., 9}: the line the note names. */
    private static String pandasList(int count) {
      if (count > 4) {
        return "0, 1, ..., " + (count - 1);
      }
      StringBuilder b = new StringBuilder("0");
      for (int j = 1; j < count; j++) {
        b.append(", ").append(j);
      }
      return b.toString();
    }

    /** The header's names as the note quotes them, cut after {@link #NOTE_CHARS} characters. */
    private static String shown(StringBuilder names) {
      String s = names == null ? "" : names.toString();
      return Problems.show(s.length() > NOTE_CHARS ? s.substring(0, NOTE_CHARS - 3) + "..." : s);
    }

    void finish(boolean emptyFile) {
      if (dataRows > 0) {
        return;
      }
      if (header) {
        throw InputException.inFile(file, "no data rows (only a header)");
      }
      throw InputException.inFile(file, emptyFile ? "empty file" : "no data rows (only blank lines and comments)");
    }
  }
}
