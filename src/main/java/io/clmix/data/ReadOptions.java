package io.clmix.data;

import java.util.Locale;

/**
 * How {@link DataFiles} reads and lays out the data.
 *
 * @param chunkRows rows per {@link Chunk}; 0 (the default) means
 *     {@link Dataset#defaultChunkRows(int)} for the file's column count. Larger values are
 *     reduced to what one chunk may hold (a Java array, or a 2 GiB mapping).
 * @param mapThresholdBytes a little-endian float32 C-order {@code .npy} file whose values take
 *     more bytes than this is not copied onto the heap but read through memory-mapped chunks,
 *     so the data need no heap (a fit on the Java engine still keeps up to 16 bytes per row
 *     there, one on an OpenCL device none; docs/getting-started.md). Default: a third of the maximum heap; 0 maps every such file,
 *     {@link Long#MAX_VALUE} none.
 * @param header whether the first line of a text table ({@code .csv}, {@code .tsv},
 *     {@code .txt}) is a header of column names; {@code .npy} files have none. Default:
 *     {@link Header#AUTO}.
 */
public record ReadOptions(int chunkRows, long mapThresholdBytes, Header header) {

  /**
   * Whether the first line of a text table (the first that is neither blank nor a comment) is a
   * header. Only a header line is skipped; a line of data is never dropped, and a value that is
   * not a number is an error wherever it is, line 1 included.
   */
  public enum Header {
    /**
     * Guess from the line itself: it is a header when at least one of its fields is a column
     * name and every other field is empty. A <em>name</em> is text that is not a number (nor a
     * spelling of NaN or infinity) and does not start as a number does, with a digit, a sign or
     * a decimal point; so {@code x}, {@code sepal length}, {@code Unnamed: 0} and {@code e5} are
     * names, while {@code 0x10}, {@code 1f}, {@code 1d0}, {@code 1_000}, {@code 1e}, {@code -}
     * and {@code .} are values a number parser nearly accepts, and make the line data (which
     * then fails on them as any later line would). A line of numbers, such as pandas' default
     * names {@code 0,1}, is data: say {@link #YES} to skip it. Empty fields are allowed beside
     * names, as pandas writes an empty name for the index column ({@code ,a,b}). The guess is
     * told to the notes of {@link DataFiles#read(java.nio.file.Path, ReadOptions, java.util.function.Consumer)}.
     */
    AUTO,
    /** The first line is a header, skipped whatever it holds (numbers included); it fixes the number of columns. */
    YES,
    /** There is no header: every line is data, and a first line of names is reported as bad values. */
    NO;

    /** The lower-case name the command line uses: {@code auto}, {@code yes}, {@code no}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The choice named {@code s} ({@code auto}, {@code yes} or {@code no}, in any case).
     *
     * @throws InputException {@code "header: 'maybe' is not allowed; expected auto, yes or no"}
     */
    public static Header parse(String s) {
      for (Header h : values()) {
        if (s != null && h.id().equals(s.strip().toLowerCase(Locale.ROOT))) {
          return h;
        }
      }
      throw InputException.parameter("header", "'" + s + "'", "auto, yes or no");
    }
  }

  /** @throws InputException naming the first argument out of its range */
  public ReadOptions {
    if (chunkRows < 0) {
      throw InputException.parameter("chunkRows", chunkRows, "an integer >= 0 (0 for the default)");
    }
    if (mapThresholdBytes < 0) {
      throw InputException.parameter("mapThresholdBytes", mapThresholdBytes, "a number of bytes >= 0");
    }
    if (header == null) {
      throw InputException.parameter("header", null, "AUTO, YES or NO");
    }
  }

  /** Options with the header guessed ({@link Header#AUTO}), as before the header could be chosen. */
  public ReadOptions(int chunkRows, long mapThresholdBytes) {
    this(chunkRows, mapThresholdBytes, Header.AUTO);
  }

  /**
   * Default chunking; files over a third of the maximum heap are memory-mapped when their layout
   * allows; a text file's header is guessed ({@link Header#AUTO}).
   */
  public static ReadOptions defaults() {
    return new ReadOptions(0, Runtime.getRuntime().maxMemory() / 3, Header.AUTO);
  }

  /** These options with {@code chunkRows} rows per chunk (0 for the default). */
  public ReadOptions withChunkRows(int chunkRows) {
    return new ReadOptions(chunkRows, mapThresholdBytes, header);
  }

  /** These options with a different mapping threshold in bytes. */
  public ReadOptions withMapThreshold(long bytes) {
    return new ReadOptions(chunkRows, bytes, header);
  }

  /** These options with {@code header} deciding whether a text file's first line is a header. */
  public ReadOptions withHeader(Header header) {
    return new ReadOptions(chunkRows, mapThresholdBytes, header);
  }

  /** The rows per chunk to use for {@code cols} columns when each chunk may hold at most {@code maxElements} values. */
  int chunkRowsFor(int cols, long maxElements) {
    long wanted = chunkRows == 0 ? Dataset.defaultChunkRows(cols) : chunkRows;
    return (int) Math.max(1, Math.min(wanted, maxElements / cols));
  }
}
