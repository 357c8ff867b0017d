package io.clmix.data;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The entry point for data files, used by the command line and the library: reads and writes
 * by file type, decided by the extension ({@code .npy}; {@code .csv}, {@code .tsv},
 * {@code .txt}). Every problem with a file is an {@link InputException} whose message names the
 * file, and where it applies the line or row, the column and the value.
 */
public final class DataFiles {
  /** What a file argument expects, for the message of a null one. */
  private static final String FILE = "a path to a .npy, .csv, .tsv or .txt file";

  private DataFiles() {}

  /** The kinds of file understood. */
  enum Kind { NPY, TEXT }

  /**
   * Reads a data set with the {@link ReadOptions#defaults() default options}.
   *
   * @throws InputException for an unknown extension or any problem with the file
   */
  public static Dataset read(Path file) {
    return read(file, ReadOptions.defaults());
  }

  /**
   * Reads a data set: a 2-D float32/float64 {@code .npy} array, or a numeric text table whose
   * first line is a header as {@link ReadOptions#header()} says.
   *
   * @throws InputException for an unknown extension or any problem with the file
   */
  public static Dataset read(Path file, ReadOptions options) {
    return read(file, options, null);
  }

  /**
   * Reads a data set as {@link #read(Path, ReadOptions)} does, and tells {@code notes} of the
   * guesses made: for a text table read with {@link ReadOptions.Header#AUTO}, that its first line
   * was taken as a header ({@code "data.csv: line 1 taken as a header ('x', 'y'); --header no
   * reads it as data"}), or that a first line of pandas' numeric column names was read as data.
   * A note may come before the read fails; callers that report notes only for data they use
   * should hold them until this method returns.
   *
   * @param notes receives each note, a message naming the file; null for none
   * @throws InputException for an unknown extension or any problem with the file
   */
  public static Dataset read(Path file, ReadOptions options, Consumer<String> notes) {
    return read(file, options, notes, null);
  }

  /**
   * Reads a data set as {@link #read(Path, ReadOptions, Consumer)} does, centred for the sample
   * weights that are to be attached to it with {@link Dataset#withWeights(double[])} (this
   * method does not attach them). Data are centred on their column means, in which rows of
   * weight 0 count too; when those means lie far from the rows of positive weight (rows of
   * weight 0 far from the others), the origin is the weighted mean of the rows of positive
   * weight instead, computed from the values in the file, so those rows keep their float32
   * digits (the rule: {@code Centring}). Otherwise the data are read exactly as without
   * weights. Weights that cannot serve (not one per row, negative or not finite, none positive)
   * centre on the column means, and are reported when attached.
   *
   * @param weights the sample weights, one per data row, or null
   */
  public static Dataset read(Path file, ReadOptions options, Consumer<String> notes, double[] weights) {
    InputException.required(options, "options", "read options (ReadOptions.defaults())");
    return kindOf(file) == Kind.NPY ? NpyReader.read(file, options, weights) : CsvReader.read(file, options, notes,
        weights);
  }

  /**
   * Reads a vector, such as sample weights or 1-D data: a 1-D or one-column {@code .npy} array
   * (float or integer), or a one-column text table (a header line allowed, as
   * {@link ReadOptions.Header#AUTO} guesses it). Values are checked to be finite; ranges are
   * the caller's to check.
   *
   * @param expectedLength the number of values required, or -1 for any number
   * @param what what the vector is, for messages ("sample weights")
   * @throws InputException when the file cannot be read, holds a bad value, or has a different length:
   *     {@code "w.npy: sample weights: 149 values; expected 150 (one per data row)"}
   */
  public static double[] readVector(Path file, long expectedLength, String what) {
    double[] v = readVectorUnchecked(file, what);
    checkVector(file, v, expectedLength, what);
    return v;
  }

  /**
   * A vector as {@link #readVector} reads it, its length not checked yet (it may be empty): for
   * weights read before the data whose rows they must match ({@link #checkVector} then).
   */
  public static double[] readVectorUnchecked(Path file, String what) {
    return kindOf(file) == Kind.NPY ? NpyReader.readVector(file, what) : CsvReader.readVector(file, what);
  }

  /**
   * Refuses a vector read from {@code file} that does not hold {@code expectedLength} values
   * (any length when negative) or holds none, with {@link #readVector}'s messages.
   */
  public static void checkVector(Path file, double[] v, long expectedLength, String what) {
    if (expectedLength >= 0 && v.length != expectedLength) {
      throw InputException.inFile(file, what + ": " + v.length + (v.length == 1 ? " value" : " values")
          + "; expected " + expectedLength + " (one per data row)");
    }
    if (v.length == 0) {
      throw InputException.inFile(file, what + ": no values");
    }
  }

  /**
   * Reads a small matrix, such as initial centres: a 2-D {@code .npy} array (float or integer)
   * or a numeric text table (a header line allowed, as {@link ReadOptions.Header#AUTO} guesses it).
   * Values are returned as they are in the file (not centred) and checked to be finite.
   *
   * @param what what the matrix is, for messages ("initial centres")
   */
  public static double[][] readMatrix(Path file, String what) {
    return readMatrix(file, what, false);
  }

  /**
   * As {@link #readMatrix(Path, String)}; with {@code float32}, values beyond float32's range
   * are refused as the data's are, naming the line (or row), column and value: for matrices the
   * engines compute with in float32, such as {@code --init} centres and means.
   */
  public static double[][] readMatrix(Path file, String what, boolean float32) {
    return kindOf(file) == Kind.NPY ? NpyReader.readMatrix(file, what, float32)
        : CsvReader.readMatrix(file, what, float32);
  }

  /** The most columns {@link #read} takes from a {@code .npy} file. */
  public static final int MAX_NPY_COLUMNS = NpyReader.MAX_COLUMNS;

  /** The most columns {@link #read} takes from a text table ({@code .csv}, {@code .tsv}, {@code .txt}). */
  public static final int MAX_TEXT_COLUMNS = NumericRecord.MAX_FIELDS;

  /**
   * The most columns {@link #read} takes from a file of {@code file}'s kind: a writer of data
   * (clmix generate) refuses wider rows up front rather than write a file no command can read.
   *
   * @throws InputException for an unknown extension, as {@link #read} and {@link #write} do
   */
  public static int maxColumns(Path file) {
    return kindOf(file) == Kind.NPY ? MAX_NPY_COLUMNS : MAX_TEXT_COLUMNS;
  }

  /**
   * Writes a data set in its own coordinates: {@code .npy} in the given precision, or a text
   * table (comma-separated {@code .csv}, tab-separated {@code .tsv}, space-separated
   * {@code .txt}) without a header.
   */
  public static void write(Path file, Dataset data, Precision precision) {
    InputException.required(data, "data", "a data set to write");
    InputException.required(precision, "precision", "FLOAT32 or FLOAT64");
    if (kindOf(file) == Kind.NPY) {
      NpyWriter.write(file, data, precision);
    } else {
      CsvWriter.write(file, data, null, precision);
    }
  }

  /**
   * Writes labels: an int32 vector for a {@code .npy} file, otherwise text with one integer per
   * line (whatever the extension).
   */
  public static void writeLabels(Path file, Labels labels) {
    InputException.required(file, "file", FILE);
    InputException.required(labels, "labels", "the labels to write");
    if (hasExtension(file, ".npy")) {
      NpyWriter.writeLabels(file, labels);
    } else {
      CsvWriter.writeLabels(file, labels);
    }
  }

  /**
   * Checks that {@code file}, given as {@code option} on the command line, names a kind of data
   * file that {@link #write} writes, before the data are made: the message names the option, as
   * every other option's error does.
   *
   * @throws InputException {@code "--save-data data.xyz: unknown file type; expected .npy, .csv, .tsv or .txt"}
   */
  public static void checkType(String option, Path file) {
    try {
      kindOf(file);
    } catch (InputException e) {
      throw new InputException(option + " " + e.getMessage(), e);
    }
  }

  /**
   * The kind of {@code file} by its extension, ignoring case.
   *
   * @throws InputException {@code "data.xyz: unknown file type; expected .npy, .csv, .tsv or .txt"}
   */
  static Kind kindOf(Path file) {
    InputException.required(file, "file", FILE);
    if (hasExtension(file, ".npy")) {
      return Kind.NPY;
    }
    if (hasExtension(file, ".csv") || hasExtension(file, ".tsv") || hasExtension(file, ".txt")) {
      return Kind.TEXT;
    }
    throw InputException.inFile(file, "unknown file type; expected .npy, .csv, .tsv or .txt");
  }

  private static boolean hasExtension(Path file, String ext) {
    Path name = file.getFileName();
    return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(ext);
  }
}
