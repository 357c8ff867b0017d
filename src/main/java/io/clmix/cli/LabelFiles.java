package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.Dataset;
import io.clmix.data.NpyWriter;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.PointSink;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    try (DataSession session = engine.open(data)) {
      write(model, session, file);
    }
  }

  /**
   * The labels of every row of the session's data under {@code model} into {@code file}, on
   * that session (the one a fit ran on: the data are not uploaded again).
   */
  static void write(Model model, DataSession session, Path file) {
    Path name = file.getFileName();
    boolean npy = name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    AtomicOutput.write(file, os -> {
      if (npy) {
        os.write(NpyWriter.header("<i4", session.data().rows()));
      }
      TextBuffer text = new TextBuffer();
      try {
        stream(model, session, (chunk, firstRow, rows, labels, values, components) -> {
          try {
            if (npy) {
              NpyWriter.putInts(os, labels, rows);
            } else {
              text.write(os, labels, rows);
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
    try (DataSession session = engine.open(data)) {
      stream(model, session, (chunk, firstRow, rows, labels, values, components) -> {
        StringBuilder sb = new StringBuilder(rows * 3);
        for (int i = 0; i < rows; i++) {
          sb.append(labels[i]).append('\n');
        }
        out.print(sb);
        StandardOutputClosed.check(out); // | head: the rest would go nowhere
      });
    }
  }

  /**
   * Labels as ASCII lines through one reused byte buffer, so a chunk of millions of labels
   * costs no text copies of itself on the heap.
   */
  private static final class TextBuffer {
    private final byte[] buf = new byte[1 << 16];
    private final byte[] digits = new byte[11];

    void write(java.io.OutputStream os, int[] labels, int rows) throws IOException {
      int at = 0;
      for (int i = 0; i < rows; i++) {
        if (at > buf.length - 12) {
          os.write(buf, 0, at);
          at = 0;
        }
        int v = labels[i]; // a cluster index: >= 0
        int n = 0;
        do {
          digits[n++] = (byte) ('0' + v % 10);
          v /= 10;
        } while (v > 0);
        while (n > 0) {
          buf[at++] = digits[--n];
        }
        buf[at++] = '\n';
      }
      os.write(buf, 0, at);
    }
  }

  private static void stream(Model model, DataSession session, PointSink sink) {
    if (model instanceof KMeansModel km) {
      km.transform(session, sink);
    } else if (model instanceof GaussianMixtureModel gm) {
      gm.pointwise(session, sink);
    } else {
      throw new IllegalArgumentException("no streamed labels for a " + model.algo() + " model");
    }
  }
}
