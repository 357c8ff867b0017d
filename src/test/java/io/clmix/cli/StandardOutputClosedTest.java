package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code predict | head -1}: once standard output fails, the labels and probabilities of the
 * chunks left are not computed and written into nothing. A stream whose reader has gone takes
 * no writes; the chunks after the first must not try any. Wired as in production: picocli's
 * writer over {@code System.out}, a PrintStream that keeps the failure to itself.
 */
class StandardOutputClosedTest {
  /** A pipe whose reader has gone: every write fails, and each attempt is counted. */
  private static final class GonePipe extends OutputStream {
    int attempts;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      attempts++;
      throw new IOException("Broken pipe");
    }
  }

  /** 40 rows in chunks of 4: ten chunks. */
  private static Dataset tenChunks() {
    DatasetBuilder b = Dataset.builder(2, 4);
    for (int i = 0; i < 40; i++) {
      b.addRow(new double[] {i % 2 == 0 ? 0 : 5, i * 0.01});
    }
    return b.build();
  }

  @Test
  void labelsStopAtTheFirstChunkThatCannotBeWritten() {
    Dataset data = tenChunks();
    assertEquals(10, data.chunkCount());
    KMeansModel model = new KMeansModel(new double[][] {{0, 0}, {5, 0}}, 1, 1, true);
    GonePipe pipe = new GonePipe();
    try (JavaEngine engine = new JavaEngine(1)) {
      onStandardOutput(pipe, out -> assertThrows(StandardOutputClosed.class,
          () -> LabelFiles.print(model, data, engine, out)));
    }
    assertEquals(1, pipe.attempts, "one failed write, then no more");
  }

  @Test
  void probabilitiesStopAtTheFirstChunkThatCannotBeWritten() {
    Dataset data = tenChunks();
    GaussianMixtureModel model = new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {0.5, 0.5},
        new double[][] {{0, 0}, {5, 0}}, new double[] {1, 1}, true, 1, -1);
    GonePipe pipe = new GonePipe();
    try (JavaEngine engine = new JavaEngine(1)) {
      onStandardOutput(pipe, out -> assertThrows(StandardOutputClosed.class,
          () -> Probabilities.write(model, data, engine, null, out)));
    }
    assertEquals(1, pipe.attempts, "one failed write, then no more");
  }

  /** Runs {@code test} with System.out over {@code pipe} and a writer as picocli makes it. */
  private static void onStandardOutput(OutputStream pipe, java.util.function.Consumer<PrintWriter> test) {
    java.io.PrintStream saved = System.out;
    java.io.PrintStream stream = new java.io.PrintStream(pipe, false);
    System.setOut(stream);
    try {
      test.accept(new PrintWriter(new java.io.BufferedWriter(new java.io.OutputStreamWriter(System.out)), true));
    } finally {
      System.setOut(saved);
    }
  }
}
