package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where data are centred: on their column means, bit for bit as before, unless sample weights
 * put the rows that count far from those means (then on the weighted mean of the rows of
 * positive weight), or the first row of a table read in one pass lies far from the rest (then
 * the rows are first stored relative to a robust centre instead of that row).
 */
class WeightedCentringTest {
  @TempDir
  Path dir;

  private static double[][] cloud(int n, long seed) {
    Random r = new Random(seed);
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = new double[] {1000 + r.nextGaussian(), -50 + 3 * r.nextGaussian(), r.nextGaussian()};
    }
    return rows;
  }

  private Path csv(String name, double[][] rows) throws IOException {
    StringBuilder s = new StringBuilder();
    for (double[] r : rows) {
      for (int j = 0; j < r.length; j++) {
        s.append(j > 0 ? "," : "").append(r[j]);
      }
      s.append('\n');
    }
    Path p = dir.resolve(name);
    Files.writeString(p, s);
    return p;
  }

  private static void npy(Path p, double[][] rows) throws IOException {
    NpyBytes.of("<f8", false, rows.length, rows[0].length)
        .values(rows, 8, java.nio.ByteOrder.LITTLE_ENDIAN, false).write(p);
  }

  private static void assertSameBits(Dataset a, Dataset b) {
    assertArrayEquals(a.origin(), b.origin(), 0.0, "origin");
    assertEquals(a.chunkCount(), b.chunkCount());
    for (int c = 0; c < a.chunkCount(); c++) {
      assertArrayEquals(a.chunkValues(c, null), b.chunkValues(c, null), "chunk " + c);
    }
  }

  /** Ordinary weights (unit, or all positive and moderate) leave the data as read without them. */
  @Test
  void ordinaryWeightsChangeNoBit() throws IOException {
    double[][] rows = cloud(3000, 1);
    Path text = csv("d.csv", rows);
    Path npy = dir.resolve("d.npy");
    npy(npy, rows);
    double[] ones = new double[rows.length];
    Arrays.fill(ones, 1);
    double[] mixed = new Random(2).doubles(rows.length, 0.5, 2).toArray();
    for (Path p : new Path[] {text, npy}) {
      Dataset plain = DataFiles.read(p);
      for (double[] w : new double[][] {ones, mixed}) {
        Dataset read = DataFiles.read(p, ReadOptions.defaults(), null, w);
        assertSameBits(plain, read);
        Dataset attached = read.withWeights(w);
        assertSame(read.chunk(0).heapArray(), attached.chunk(0).heapArray(), "attaching shares the rows");
        assertArrayEquals(plain.origin(), attached.origin(), 0.0);
      }
    }
    Dataset built = Dataset.of(rows);
    assertSame(built.chunk(0).heapArray(), built.withWeights(mixed).chunk(0).heapArray());
  }

  /** Far rows of weight 0 move the column means, but not the origin of data read with the weights. */
  @Test
  void farRowsOfWeightZeroDoNotMoveTheOrigin() throws IOException {
    double[][] rows = cloud(2000, 3);
    double[][] all = Arrays.copyOf(rows, rows.length + 20);
    Arrays.fill(all, rows.length, all.length, new double[] {1e7, 1e7, 1e7});
    double[] w = new double[all.length];
    Arrays.fill(w, 0, rows.length, 1);
    Path npy = dir.resolve("all.npy");
    Path alone = dir.resolve("alone.npy");
    npy(npy, all);
    npy(alone, rows);
    double[] far = DataFiles.read(npy).origin();
    assertTrue(far[0] > 5e4, "the column means lie far from the weighted rows: " + far[0]);
    Dataset weighted = DataFiles.read(npy, ReadOptions.defaults(), null, w);
    // The weighted mean is computed as the plain mean of the rows alone: the same bits.
    assertArrayEquals(DataFiles.read(alone).origin(), weighted.origin(), 0.0);
    for (int i = 0; i < rows.length; i += 97) {
      assertArrayEquals(DataFiles.read(alone).localRow(i), weighted.localRow(i), "row " + i);
    }
    Dataset text = DataFiles.read(csv("all.csv", all), ReadOptions.defaults(), null, w);
    assertArrayEquals(weighted.origin(), text.origin(), 1e-9);
    assertEquals(rows[5][1], text.row(5)[1], 1e-5);
    // Attached afterwards, the weights move the origin to the weighted rows too.
    Dataset later = DataFiles.read(npy).withWeights(w);
    assertArrayEquals(weighted.origin(), later.origin(), 1e-2);
    assertNotEquals(far[0], later.origin()[0]);
  }

  /** A first row far from the rest no longer costs the other rows their digits. */
  @Test
  void aFarFirstRowIsNotTheReference() throws IOException {
    double[][] rows = cloud(2000, 4);
    double[][] all = new double[rows.length + 1][];
    all[0] = new double[] {1e7, -1e7, 5e6};
    System.arraycopy(rows, 0, all, 1, rows.length);
    Dataset built = Dataset.of(all);
    Dataset text = DataFiles.read(csv("first.csv", all));
    for (Dataset d : new Dataset[] {built, text}) {
      double worst = 0;
      for (int i = 1; i < all.length; i++) {
        double[] back = d.row(i);
        for (int j = 0; j < 3; j++) {
          worst = Math.max(worst, Math.abs(back[j] - all[i][j]));
        }
      }
      // Stored relative to the first row, the values were rounded at 1e7 (to 0.5).
      assertTrue(worst < 1e-3, "largest error " + worst);
      assertArrayEquals(all[0], d.row(0), 1.0);
    }
  }

  /** An ordinary first row stays the reference: rows stored as (x - first), then shifted by the mean. */
  @Test
  void anOrdinaryFirstRowKeepsTheBits() {
    double[][] rows = cloud(1500, 5);
    Dataset d = Dataset.of(rows);
    double[] sum = new double[3];
    for (double[] r : rows) {
      for (int j = 0; j < 3; j++) {
        sum[j] += r[j] - rows[0][j];
      }
    }
    double[] shift = new double[3];
    for (int j = 0; j < 3; j++) {
      shift[j] = sum[j] / rows.length;
      assertEquals(rows[0][j] + shift[j], d.origin()[j], 0.0, "origin " + j);
    }
    for (int i = 0; i < rows.length; i++) {
      float[] local = d.localRow(i);
      for (int j = 0; j < 3; j++) {
        assertEquals((float) ((float) (rows[i][j] - rows[0][j]) - shift[j]), local[j], 0.0f, "row " + i);
      }
    }
  }
}
