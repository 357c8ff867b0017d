package io.clmix.data;

import java.nio.file.Path;

/**
 * Bad input: a file that cannot be read as data, a value that is not a finite number, a
 * parameter outside what it accepts. The message is complete and meant for the user: it names
 * the file, line (row), column and the offending value, or the parameter and what it accepts.
 *
 * <p>The command line prints it as one line {@code clmix: error: <message>} and exits with
 * status 2; library callers catch it as an {@link IllegalArgumentException}.
 */
public class InputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A problem with a whole file: {@code "data.npy: <problem>"}. */
  public static InputException inFile(Path file, String problem) {
    return new InputException(file + ": " + problem);
  }

  /**
   * A file that cannot be read, in the operating system's words as every reader gives them:
   * {@code "model.json: cannot read: is a directory"}.
   */
  public static InputException cannotRead(Path file, java.io.IOException e) {
    return Problems.cannotRead(file, e);
  }

  /**
   * A problem with one value: {@code "data.csv, line 12, column 3: value 'abc' <problem>"}.
   * Lines and columns count from 1, as editors show them.
   */
  public static InputException atValue(Path file, long line, int column, String value, String problem) {
    return new InputException(
        file + ", line " + line + ", column " + column + ": value '" + value + "' " + problem);
  }

  /** A problem with a row as a whole: {@code "data.csv, line 12: <problem>"}. */
  public static InputException atLine(Path file, long line, String problem) {
    return new InputException(file + ", line " + line + ": " + problem);
  }

  /**
   * {@code value}, or an exception naming the argument when it is null: {@code "engine: null is
   * not allowed; expected an engine"}. For the library's entry points, which answer bad
   * arguments with this exception rather than a NullPointerException later.
   */
  public static <T> T required(T value, String name, String expected) {
    if (value == null) {
      throw parameter(name, "null", expected);
    }
    return value;
  }

  /** A parameter outside its range: {@code "--k: 0 is not allowed; expected an integer >= 1"}. */
  public static InputException parameter(String name, Object value, String accepts) {
    return new InputException(name + ": " + value + " is not allowed; expected " + accepts);
  }
}
