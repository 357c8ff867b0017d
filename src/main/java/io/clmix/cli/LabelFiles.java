package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.Dataset;
import io.clmix.data.NpyWriter;
import io.clmix.engine.Engine;
import io.clmix.engine.PointSink;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes {@code predict}'s labels chunk by chunk as the engine produces them (one per line, or
 * an int32 {@code .npy} vector), so a data set larger than the heap is labelled without
 * holding n labels: the files are those {@code DataFiles.writeLabels} writes.
 */
final class LabelFiles {
  private LabelFiles() {}

  /** The labels of every row of {@code data} under {@code model} into {@code file}. */
  static void write(Model model, Dataset data, Engine engine, Path file) {
    Path name = file.getFileName();
    boolean npy = name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    AtomicOutput.write(file, os -> {
      if (npy) {
        os.write(NpyWriter.header("<i4", data.rows()));
      }
      try {
        stream(model, data, engine, (chunk, firstRow, rows, labels, values, components) -> {
          try {
            if (npy) {
              NpyWriter.putInts(os, labels, rows);
            } else {
              os.write(text(labels, rows).getBytes(StandardCharsets.US_ASCII));
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    });
  }

  /** The labels of every row, one per line, into {@code out} (standard output). */
  static void print(Model model, Dataset data, Engine engine, java.io.PrintWriter out) {
    stream(model, data, engine, (chunk, firstRow, rows, labels, values, components) -> out.print(text(labels, rows)));
  }

  private static String text(int[] labels, int rows) {
    StringBuilder sb = new StringBuilder(rows * 3);
    for (int i = 0; i < rows; i++) {
      sb.append(labels[i]).append('\n');
    }
    return sb.toString();
  }

  private static void stream(Model model, Dataset data, Engine engine, PointSink sink) {
    if (model instanceof KMeansModel km) {
      km.transform(data, engine, sink);
    } else if (model instanceof GaussianMixtureModel gm) {
      gm.pointwise(data, engine, sink);
    } else {
      throw new IllegalArgumentException("no streamed labels for a " + model.algo() + " model");
    }
  }
}
