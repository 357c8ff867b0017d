package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.CsvWriter;
import io.clmix.data.Dataset;
import io.clmix.data.NpyWriter;
import io.clmix.engine.Engine;
import io.clmix.engine.PointSink;
import io.clmix.model.GaussianMixtureModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes a mixture's responsibilities (predict --proba) chunk by chunk, as text or as one
 * float32 n x k {@code .npy} matrix, so n x k values never sit in memory at once. Text takes
 * the separator its file name asks for, as every text table clmix writes
 * ({@link CsvWriter#separatorFor}): a {@code .tsv} file of commas would not read back.
 */
final class Probabilities {
  private Probabilities() {}

  static void write(GaussianMixtureModel model, Dataset data, Engine engine, Path file, PrintWriter stdout) {
    int k = model.k();
    if (file != null && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
      // Streamed like the text: the header knows n and k up front, and each chunk's float32
      // responsibilities follow it, so n x k values never sit in memory at once.
      AtomicOutput.write(file, os -> {
        os.write(NpyWriter.header("<f4", data.rows(), k));
        try {
          model.pointwise(data, engine, new PointSink() {
            @Override
            public boolean wantsComponents() {
              return true;
            }

            @Override
            public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
              try {
                NpyWriter.putFloats(os, components, rows * k);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          });
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      });
      return;
    }
    if (file == null) {
      model.pointwise(data, engine, sink(k, ',', line -> {
        stdout.print(line);
        StandardOutputClosed.check(stdout); // | head: the rest would go nowhere
      }));
      return;
    }
    AtomicOutput.write(file, os -> {
      try {
        model.pointwise(data, engine, sink(k, CsvWriter.separatorFor(file), line -> write(os, line)));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    });
  }

  private static void write(OutputStream os, String s) {
    try {
      os.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A sink that passes {@code lines} each chunk's rows of k probabilities, {@code sep} between them. */
  private static PointSink sink(int k, char sep, java.util.function.Consumer<String> lines) {
    return new PointSink() {
      @Override
      public boolean wantsComponents() {
        return true;
      }

      @Override
      public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
        StringBuilder sb = new StringBuilder(rows * k * 12);
        for (int i = 0; i < rows; i++) {
          for (int c = 0; c < k; c++) {
            if (c > 0) {
              sb.append(sep);
            }
            sb.append(components[i * k + c]);
          }
          sb.append('\n');
        }
        lines.accept(sb.toString());
      }
    };
  }
}
