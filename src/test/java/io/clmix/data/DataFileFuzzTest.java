package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the data readers with Jazzer: whatever bytes a {@code .npy},
 * {@code .csv} or whitespace {@code .txt} file holds, reading it either succeeds or throws the
 * documented {@link InputException} with a one-line message. Any other exception, a hang or a
 * crash is a bug in the reader.
 *
 * <p>Under plain {@code mvn verify} each target runs once per committed seed (regression mode;
 * seeds in {@code src/test/resources/io/clmix/data/DataFileFuzzTestInputs/<method>/}). With the
 * environment variable {@code JAZZER_FUZZ=1} Jazzer mutates inputs for {@code maxDuration},
 * one target per run ({@code .ci/fuzz} runs each); a failing input is saved beside the seeds,
 * so it becomes a regression test once committed.
 */
class DataFileFuzzTest {
  private static final ReadOptions MAPPED = ReadOptions.defaults().withChunkRows(2).withMapThreshold(0);

  @FuzzTest(maxDuration = "15s")
  void npy(byte[] input) {
    Path f = write(".npy", input);
    readEveryWay(f);
    expectInputErrorOnly(() -> DataFiles.read(f, MAPPED).columnVariance()); // memory-mapped chunks
  }

  @FuzzTest(maxDuration = "15s")
  void csv(byte[] input) {
    readEveryWay(write(".csv", input));
  }

  @FuzzTest(maxDuration = "15s")
  void whitespaceText(byte[] input) {
    readEveryWay(write(".txt", input));
  }

  private static void readEveryWay(Path f) {
    expectInputErrorOnly(() -> DataFiles.read(f).columnVariance());
    expectInputErrorOnly(() -> DataFiles.read(f, ReadOptions.defaults().withChunkRows(1)));
    expectInputErrorOnly(() -> DataFiles.readVector(f, -1, "weights"));
    expectInputErrorOnly(() -> DataFiles.readMatrix(f, "centres"));
  }

  /** Runs a read; the only failure allowed is an {@link InputException} with a one-line message. */
  static void expectInputErrorOnly(Runnable read) {
    try {
      read.run();
    } catch (InputException expected) {
      String m = expected.getMessage();
      assertFalse(m == null || m.isBlank() || m.contains("\n") || m.contains("\r"), "message: " + m);
    }
  }

  /** The input as a file of the given type (one file per type, rewritten for each input). */
  private static Path write(String extension, byte[] bytes) {
    try {
      Path f = Scratch.DIR.resolve("input" + extension);
      Files.write(f, bytes);
      return f;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A directory for the inputs, made once per JVM and removed at exit. */
  private static final class Scratch {
    static final Path DIR;

    static {
      try {
        DIR = Files.createTempDirectory("clmix-fuzz");
        DIR.toFile().deleteOnExit();
        for (String ext : new String[] {".npy", ".csv", ".txt"}) {
          DIR.resolve("input" + ext).toFile().deleteOnExit();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
