package io.clmix.cli;

import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import java.nio.file.Path;

/** The {@code --weights} file: read, checked and attached, with messages that name the file. */
final class Weights {
  private Weights() {}

  /**
   * {@code data} with the sample weights in {@code file} attached, or {@code data} when the file
   * is null.
   *
   * @throws InputException naming the file, and the row of a bad weight:
   *     {@code "w.csv: --weights: value -2.0 at row 2 is not allowed; expected a finite number >= 0"}
   */
  static Dataset attach(Dataset data, Path file) {
    if (file == null) {
      return data;
    }
    double[] w = DataFiles.readVector(file, data.rows(), "--weights");
    try {
      return data.withWeights(w);
    } catch (InputException e) {
      String m = e.getMessage();
      String prefix = "sample weights: ";
      // Worded as the reader words the file's other problems: "<file>: --weights: <problem>".
      throw new InputException(file + ": --weights: " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m), e);
    }
  }
}
