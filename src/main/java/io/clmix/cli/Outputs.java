package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.DataFiles;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.model.Model;
import io.clmix.model.ModelJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a command will write. Each is checked before any work starts (its directory
 * exists and is writable, it is not a directory), and each is written through
 * {@link AtomicOutput}: a temporary file moved into place only once it is complete, so a
 * failed run never leaves a partial file nor clobbers an existing one.
 */
final class Outputs {

  /** Checks that {@code file} (if given) can be written; returns this for chaining. */
  Outputs plan(String option, Path file) {
    if (file == null) {
      return this;
    }
    if (Files.isDirectory(file)) {
      throw new InputException(option + " " + file + ": is a directory");
    }
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException(option + " " + file + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new InputException(option + " " + file + ": directory " + dir + " is not writable");
    }
    return this;
  }

  void writeModel(Path file, Model model) {
    if (file != null) {
      byte[] bytes = ModelJson.toJson(model).getBytes(StandardCharsets.UTF_8);
      AtomicOutput.write(file, os -> os.write(bytes));
    }
  }

  void writeLabels(Path file, Labels labels) {
    if (file != null) {
      DataFiles.writeLabels(file, labels);
    }
  }
}
