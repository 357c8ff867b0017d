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
    return readEarly(file).attach(data);
  }

  /**
   * The weights in {@code file}, read before the data so that the data can be centred for them
   * ({@link DataFiles#read(Path, io.clmix.data.ReadOptions, java.util.function.Consumer, double[])}),
   * or null when the file is null. A problem with the file is not thrown but kept in
   * {@link Early#problem}, for {@link Early#attach} to throw once the data were read: the data
   * file's own problems are reported first, as when the weights were read after it. Their length
   * is checked against the data's rows then too.
   */
  static Early readEarly(Path file) {
    if (file == null) {
      return new Early(null, null, null);
    }
    try {
      return new Early(file, DataFiles.readVectorUnchecked(file, "--weights"), null);
    } catch (InputException e) {
      return new Early(file, null, e);
    }
  }

  /** Weights read before the data: {@link #values} for centring, or the {@link #problem} found. */
  record Early(Path file, double[] values, InputException problem) {
    /** {@code data} with these weights attached, checked against its rows; {@code data} when there is no file. */
    Dataset attach(Dataset data) {
      if (file == null) {
        return data;
      }
      if (problem != null) {
        throw problem;
      }
      DataFiles.checkVector(file, values, data.rows(), "--weights");
      return Weights.attach(data, file, values);
    }
  }

  private static Dataset attach(Dataset data, Path file, double[] w) {
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
