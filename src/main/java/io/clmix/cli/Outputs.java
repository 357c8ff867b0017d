package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.InputException;
import io.clmix.model.Model;
import io.clmix.model.ModelJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files a command will write. Each is checked before any work starts (its directory
 * exists and is writable, it is not a directory, it is not a file the command reads nor
 * another of its outputs), and each is written through {@link AtomicOutput}: a temporary file
 * moved into place only once it is complete (and, on the command line, only once the whole
 * command succeeded, see {@link Main#run}), so a failed run never leaves a partial file nor
 * clobbers an existing one. Devices and pipes ({@code /dev/null}, {@code /dev/stdout}) are
 * written into as they are.
 */
final class Outputs {
  /** A file the command reads or writes, with what the user calls it. */
  private record Named(String what, Path path) {}

  private final List<Named> inputs = new ArrayList<>();
  private final List<Named> outputs = new ArrayList<>();

  /**
   * Registers a file the command reads ({@code what}: "the data file", "--weights"), which no
   * output may overwrite; null is ignored. Returns this for chaining.
   */
  Outputs reading(String what, Path file) {
    if (file != null) {
      if (AtomicOutput.isStream(file)) {
        // A pipe read for the first input is empty for the second, whose reader would wait for
        // a writer that is gone: refused here rather than a command that never ends.
        for (Named in : inputs) {
          if (same(file, in.path())) {
            throw new InputException(what + " " + file + ": is also " + in.what()
                + "; a pipe can be read only once, so give each input its own file");
          }
        }
      }
      inputs.add(new Named(what, file));
    }
    return this;
  }

  /**
   * Checks that {@code file} (if given) can be written; returns this for chaining. Its format
   * comes from its name ({@code .npy}, {@code .png}), so {@code -} (standard output) is refused.
   */
  Outputs plan(String option, Path file) {
    if (file != null && file.toString().equals("-")) {
      throw new InputException(option + " -: this output's format comes from its file name; name a file");
    }
    return planText(option, file);
  }

  /**
   * As {@link #planText} for a JSON document ({@code what}: "the model"), whose name must not
   * say another format: {@code --model-out labels.csv} would put JSON where the user's tools
   * (and clmix's own readers, which go by the extension) expect rows.
   */
  Outputs planJson(String option, Path file, String what) {
    refuseOtherFormat(option, file, what, "JSON", ".json", ".npy", ".csv", ".tsv", ".png", ".svg");
    return planText(option, file);
  }

  /** As {@link #planJson} for a table of comma- (or tab-) separated values. */
  Outputs planTable(String option, Path file, String what) {
    refuseOtherFormat(option, file, what, "CSV", ".csv", ".npy", ".json", ".png", ".svg");
    return planText(option, file);
  }

  /**
   * As {@link #planText} for labels (one per line, or a {@code .npy} array), whose name must not
   * say JSON or a picture: {@code --labels-out labels.json} wrote lines of numbers into a file
   * whose name promises JSON, as a {@code .npy} model would have been.
   */
  Outputs planLabels(String option, Path file) {
    return planRows(option, file, "the labels", "one label per line (or .npy)");
  }

  /** As {@link #planLabels} for other rows of numbers ({@code what}: "the probabilities"), in {@code format}. */
  Outputs planRows(String option, Path file, String what, String format) {
    // An output over an input or another output is the graver mistake, so it is named first.
    planText(option, file);
    refuseOtherFormat(option, file, what, format, ".txt", ".json", ".png", ".svg");
    return this;
  }

  /**
   * Refuses a {@code file} named with one of {@code others}, extensions of formats other than
   * the {@code format} the option writes, whose own extension is {@code usual}.
   */
  private static void refuseOtherFormat(String option, Path file, String what, String format, String usual,
      String... others) {
    Path name = file == null ? null : file.getFileName();
    if (name == null) {
      return;
    }
    String lower = name.toString().toLowerCase(Locale.ROOT);
    for (String ext : others) {
      if (lower.endsWith(ext)) {
        throw new InputException(option + " " + file + ": " + what + (what.endsWith("s") ? " are " : " is ") + format
            + ", not what a " + ext + " name says; name the file " + usual);
      }
    }
  }

  /**
   * As {@link #plan} for an output of text (a model, labels, a report), which may also be
   * {@code -}, standard output.
   */
  Outputs planText(String option, Path file) {
    if (file == null) {
      return this;
    }
    if (AtomicOutput.linksLoop(file)) {
      // No file at the end of the links: writing would replace the link where following stopped.
      throw new InputException(option + " " + file + ": " + AtomicOutput.LINK_LOOP);
    }
    if (AtomicOutput.isStream(file)) {
      // A device or pipe: written into as it is, so only the file itself must take writes,
      // and two outputs into one stream would mix (except the bottomless /dev/null).
      for (Named in : inputs) {
        if (sameOpenedStream(file, in.path())) {
          throw new InputException(option + " " + file + ": is also " + in.what() + "; an output never replaces an input");
        }
      }
      if (Files.exists(file) && !Files.isWritable(file)) {
        throw new InputException(option + " " + file + ": is not writable");
      }
      String stream = streamName(file);
      for (Named out : outputs) {
        if (!stream.equals("/dev/null") && stream.equals(streamName(out.path()))) {
          throw new InputException(option + " " + file + ": is also " + out.what() + "; give each output its own file");
        }
      }
      outputs.add(new Named(option, file));
      return this;
    }
    for (Named in : inputs) {
      if (same(file, in.path())) {
        throw new InputException(option + " " + file + ": is also " + in.what() + "; an output never replaces an input");
      }
    }
    for (Named out : outputs) {
      if (same(file, out.path())) {
        throw new InputException(option + " " + file + ": is also " + out.what() + "; give each output its own file");
      }
    }
    Path dest = AtomicOutput.destination(file);
    if (Files.isDirectory(dest)) {
      throw new InputException(option + " " + file + ": is a directory");
    }
    Path dir = dest.getParent();
    if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InputException(option + " " + file + ": " + asGiven(file, dest, dir) + " is not a directory");
    }
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException(option + " " + file + ": directory " + asGiven(file, dest, dir) + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new InputException(option + " " + file + ": directory " + asGiven(file, dest, dir) + " is not writable");
    }
    outputs.add(new Named(option, file));
    return this;
  }

  /**
   * {@code dir}, the directory {@code dest} would go into, as the user wrote it when
   * {@code file} names it directly ({@code nodir} for {@code nodir/m.json}); the resolved
   * directory when a link leads elsewhere, since that is the one missing.
   */
  private static Path asGiven(Path file, Path dest, Path dir) {
    Path parent = file.getParent();
    return parent != null && file.toAbsolutePath().normalize().equals(dest) ? parent : dir;
  }

  /**
   * The option of a planned output that writes into standard output ({@code -},
   * {@code /dev/stdout}), or null. Standard output then carries that output alone, so it can be
   * piped as it is: the command prints its report for people on standard error
   * ({@link #reportStream}) and refuses {@code --json}, which would print there too
   * ({@link #refuseJsonBeside}).
   */
  String standardOutputOption() {
    for (Named out : outputs) {
      if (AtomicOutput.isStream(out.path()) && AtomicOutput.standardStream(out.path()) == 1) {
        return out.what();
      }
    }
    return null;
  }

  /** Where the command's report for people goes: {@code err} when an output takes standard output. */
  PrintWriter reportStream(PrintWriter out, PrintWriter err) {
    return standardOutputOption() == null ? out : err;
  }

  /** Refuses {@code --json} (when {@code json}) beside an output into standard output. */
  void refuseJsonBeside(boolean json) {
    String taken = standardOutputOption();
    if (json && taken != null) {
      throw new InputException("--json: prints to standard output, which " + taken
          + " takes; write " + taken + " to a file, or leave out --json");
    }
  }

  /** What a stream output writes into: standard output or error, else the device or pipe itself. */
  private static String streamName(Path file) {
    if (!AtomicOutput.isStream(file)) {
      return "file:" + AtomicOutput.destination(file);
    }
    int fd = AtomicOutput.standardStream(file);
    if (fd != 0) {
      return fd == 1 ? "stdout" : "stderr";
    }
    try {
      return file.toRealPath().toString();
    } catch (IOException e) {
      return file.toAbsolutePath().normalize().toString();
    }
  }

  /**
   * Whether the stream output {@code out} is the file the input {@code in} names, opened anew
   * to be written: a named pipe read to its end has no writer left, and opening it to write
   * would wait forever for a reader (or hand the output to whoever reads next). Standard
   * output and error are written through the process's own streams, never opened, and a
   * character device (a terminal, {@code /dev/null}) takes writes beside reads; neither counts.
   */
  private static boolean sameOpenedStream(Path out, Path in) {
    if (AtomicOutput.standardStream(out) != 0 || AtomicOutput.isCharacterDevice(out)) {
      return false;
    }
    try {
      // Compares device and inode, as stat does: a pipe is never opened to ask.
      return Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in);
    } catch (IOException | SecurityException e) {
      return false; // the write itself will say what is wrong
    }
  }

  /** Whether two paths name the same file: the same file on disk, or the same destination. */
  private static boolean same(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      // Fall back on the names.
    }
    return AtomicOutput.destination(a).normalize().equals(AtomicOutput.destination(b).normalize());
  }

  void writeModel(Path file, Model model) {
    if (file != null) {
      byte[] bytes = ModelJson.toJson(model).getBytes(StandardCharsets.UTF_8);
      AtomicOutput.write(file, os -> os.write(bytes));
    }
  }
}
