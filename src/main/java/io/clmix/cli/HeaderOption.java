package io.clmix.cli;

import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.ReadOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The {@code --header} option of every command that reads a data file, and the note on stderr
 * when {@code auto} took a text file's first line for a header: a guess changes which rows are
 * read, so it is never made silently.
 */
final class HeaderOption {
  @Option(names = "--header", paramLabel = "MODE", defaultValue = "auto",
      description = "yes: the first line of a text DATA file is a header of column names, skipped; no: it is data; "
          + "auto: it is a header when its fields are names (text starting with no digit, sign or point) or empty, "
          + "noted on stderr. Default: ${DEFAULT-VALUE}.")
  String header;

  /** The choice, checked: {@code --header: 'maybe' is not allowed; expected auto, yes or no}. */
  ReadOptions.Header choice() {
    try {
      return ReadOptions.Header.parse(header);
    } catch (InputException e) {
      throw InputException.parameter("--header", "'" + header + "'", "auto, yes or no");
    }
  }

  /**
   * Reads {@code data} with the chosen header; a guessed header is noted on {@code err} as
   * {@code clmix: note: data.csv: line 1 taken as a header ('x', 'y'); --header no reads it as
   * data}, once the whole file has been read (a failed read prints its error line alone).
   */
  Dataset read(Path data, PrintWriter err) {
    return read(data, err, null);
  }

  /**
   * Reads {@code data} as {@link #read(Path, PrintWriter)} does, centred for the sample weights
   * {@code weights} that will be attached (null for none; see
   * {@link DataFiles#read(Path, ReadOptions, java.util.function.Consumer, double[])}).
   */
  Dataset read(Path data, PrintWriter err, double[] weights) {
    List<String> notes = new ArrayList<>();
    Dataset ds = DataFiles.read(data, ReadOptions.defaults().withHeader(choice()), notes::add, weights);
    for (String note : notes) {
      err.println("clmix: note: " + ErrorHandler.oneLine(note));
    }
    err.flush();
    return ds;
  }
}
