package io.clmix.model;

import io.clmix.data.InputException;

/**
 * A row that lies too far from a model for float32 distances ({@link FiniteRows}): bad input,
 * with the row's number so that a caller that knows the file can name it too ({@link #inFile}).
 */
public final class RowOutOfRange extends InputException {
  private static final long serialVersionUID = 1L;

  RowOutOfRange(String message) {
    super(message);
  }

  /** The same failure with {@code file} in front: {@code "data.csv, row 3: ..."}. */
  public InputException inFile(Object file) {
    return new InputException(file + ", " + getMessage(), this);
  }
}
