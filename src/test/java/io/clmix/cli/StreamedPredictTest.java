package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import io.clmix.data.NpyReader;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.KMeans;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.Model;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} streams what it writes chunk by chunk, so data larger than the heap (a
 * memory-mapped .npy) can be labelled: the labels never sit in memory as n ints, and
 * {@code --proba} into a .npy never as an n x k matrix. The files are those the in-memory
 * path writes, bit for bit.
 */
class StreamedPredictTest {
  private static final int N = 400_000;
  private static final int K = 8;
  @TempDir
  static Path dir;
  static Dataset data;
  static GaussianMixtureModel gmm;
  static KMeansModel km;

  @BeforeAll
  static void setUp() {
    // Small chunks, as a memory-mapped file larger than the heap has many.
    DatasetBuilder b = Dataset.builder(3, 5_000);
    Random r = new Random(7);
    double[] row = new double[3];
    for (int i = 0; i < N; i++) {
      int c = i % K;
      for (int j = 0; j < 3; j++) {
        row[j] = 4 * ((c >> j) & 1) + r.nextGaussian();
      }
      b.addRow(row);
    }
    data = b.build();
    try (JavaEngine e = new JavaEngine(2)) {
      gmm = GaussianMixture.k(K).maxIter(3).fit(data, e).model();
      km = KMeans.k(K).maxIter(3).fit(data, e).model();
    }
  }

  @Test
  void probabilitiesIntoNpyAreStreamedNotHeldAsAnNByKMatrix() throws Exception {
    Path file = dir.resolve("proba.npy");
    double[][] expected;
    long allocated;
    try (JavaEngine e = new JavaEngine(2)) {
      expected = gmm.predictProba(data, e);
      long before = threadAllocated();
      Probabilities.write(gmm, data, e, file, new PrintWriter(new StringWriter()));
      allocated = threadAllocated() - before;
    }
    // The sink runs on this thread; holding the matrix would take N * K * 8 bytes (doubles) here.
    assertTrue(allocated < (long) N * K * 4, "predict --proba into .npy allocated " + allocated
        + " bytes on the writing thread for " + N + " x " + K + " probabilities: it holds the matrix");
    double[][] got = NpyReader.readMatrix(file, "probabilities");
    assertEquals(N, got.length);
    for (int i = 0; i < N; i += 997) {
      for (int c = 0; c < K; c++) {
        assertEquals((float) expected[i][c], (float) got[i][c], 0.0f, "row " + i);
      }
    }
  }

  @Test
  void streamedLabelFilesAreTheInMemoryOnes() throws Exception {
    for (Model m : new Model[] {km, gmm}) {
      for (String ext : new String[] {".npy", ".csv"}) {
        Path expected = dir.resolve(m.algo() + "-expected" + ext);
        Path got = dir.resolve(m.algo() + "-got" + ext);
        try (JavaEngine e = new JavaEngine(2)) {
          DataFiles.writeLabels(expected, m.predict(data, e));
          LabelFiles.write(m, data, e, got);
        }
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(got), m.algo() + ext);
      }
      StringWriter out = new StringWriter();
      try (JavaEngine e = new JavaEngine(2)) {
        LabelFiles.print(m, data, e, new PrintWriter(out, true));
      }
      assertEquals(Files.readString(dir.resolve(m.algo() + "-expected.csv")), out.toString());
    }
  }

  private static long threadAllocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }
}
