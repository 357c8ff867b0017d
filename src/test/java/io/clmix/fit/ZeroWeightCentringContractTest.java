package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.ReadOptions;
import io.clmix.engine.Engine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows of weight 0 far from the others do not cost the weighted rows their digits: 4000 rows
 * around four centres of unit spread, plus 40 rows at 1e7 weighted 0. The column means sit
 * 1e5 from the weighted rows; before data were centred for their weights, K-means from the
 * true centres left a cluster empty with an inertia of 136326 against 8040.6. Read with their
 * weights, the data must give the fit of the 4000 rows alone: the same labels and an inertia
 * within 1e-6 relative, whether the far rows come last or first, from {@code .npy} (float64,
 * or float32 memory-mapped) or text; attached to data read without them, the weights re-centre
 * the data (exactly for mapped chunks, within the rounding already done for heap chunks).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ZeroWeightCentringContractTest {
  private static final double[][] CENTRES = {{0, 0}, {8, 0}, {0, 8}, {8, 8}};
  private static final int PER = 1000;
  private static final int FAR = 40;

  private Engine engine;
  private double[][] rows;

  @TempDir
  Path dir;

  /** The engine under test, created once for the class. */
  protected abstract Engine createEngine();

  @BeforeAll
  void open() {
    engine = createEngine();
    Random r = new Random(0);
    rows = new double[CENTRES.length * PER][];
    for (int c = 0, i = 0; c < CENTRES.length; c++) {
      for (int a = 0; a < PER; a++, i++) {
        rows[i] = new double[] {CENTRES[c][0] + r.nextGaussian(), CENTRES[c][1] + r.nextGaussian()};
      }
    }
  }

  @AfterAll
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  private KMeansResult fit(Dataset data) {
    return KMeans.k(4).init(KMeansInit.centres(CENTRES)).seed(0).fit(data, engine);
  }

  /** The rows with the far ones last or first, and the weights that drop the far ones. */
  private double[][] withFar(boolean first) {
    return withFar(first, 1e7);
  }

  private double[][] withFar(boolean first, double at) {
    double[][] far = new double[FAR][];
    Arrays.fill(far, new double[] {at, at});
    double[][] out = new double[rows.length + FAR][];
    System.arraycopy(first ? far : rows, 0, out, 0, first ? FAR : rows.length);
    System.arraycopy(first ? rows : far, 0, out, first ? FAR : rows.length, first ? rows.length : FAR);
    return out;
  }

  private static double[] weights(boolean first) {
    double[] w = new double[CENTRES.length * PER + FAR];
    Arrays.fill(w, 1);
    Arrays.fill(w, first ? 0 : w.length - FAR, first ? FAR : w.length, 0);
    return w;
  }

  private void assertSameFit(KMeansResult alone, KMeansResult weighted, boolean first, String what) {
    double a = alone.model().inertia();
    double b = weighted.model().inertia();
    assertEquals(a, b, 1e-6 * a, what + ": inertia");
    int offset = first ? FAR : 0;
    for (int i = 0; i < rows.length; i++) {
      assertEquals(alone.labels().get(i), weighted.labels().get(i + offset), what + ": label of row " + i);
    }
  }

  @ParameterizedTest(name = "{0}, far rows first: {1}")
  @CsvSource({"npy8, false", "npy8, true", "npy4map, false", "npy4map, true", "csv, false", "csv, true"})
  void readWithTheirWeightsTheWeightedRowsKeepTheirDigits(String kind, boolean first) throws IOException {
    ReadOptions options = kind.equals("npy4map") ? ReadOptions.defaults().withMapThreshold(0) : ReadOptions.defaults();
    Path alone = write("alone", kind, rows);
    Path all = write("all" + first, kind, withFar(first));
    double[] w = weights(first);
    KMeansResult reference = fit(DataFiles.read(alone, options));
    assertTrue(reference.model().inertia() < 8100, "the 4000 rows alone: " + reference.model().inertia());
    KMeansResult weighted = fit(DataFiles.read(all, options, null, w).withWeights(w));
    assertSameFit(reference, weighted, first, kind);
  }

  @ParameterizedTest(name = "far rows first: {0}")
  @CsvSource({"false", "true"})
  void attachedLaterTheWeightsReCentreTheData(boolean first) throws IOException {
    double[] w = weights(first);
    // Mapped chunks take the new origin and keep the file's digits: the same fit.
    ReadOptions mapped = ReadOptions.defaults().withMapThreshold(0);
    KMeansResult reference = fit(DataFiles.read(write("alone", "npy4map", rows), mapped));
    KMeansResult weighted = fit(DataFiles.read(write("all" + first, "npy4map", withFar(first)), mapped).withWeights(w));
    assertSameFit(reference, weighted, first, "mapped");
    // Heap chunks were rounded 1e5 from the weighted rows (to 0.004); re-centred, no cluster empties.
    KMeansResult plain = fit(Dataset.of(rows));
    KMeansResult heap = fit(Dataset.of(withFar(first)).withWeights(w));
    assertEquals(plain.model().inertia(), heap.model().inertia(), 1e-4 * plain.model().inertia(), "heap");
  }

  /**
   * From a poor start with the default tolerance, the same fit: K-means' tolerance is relative
   * to the weighted variance, so the far rows neither stop the fit after one iteration (a
   * tolerance of 1e-4 of a variance of 1e12 passes any centre shift) nor, at 1e18, make the
   * data "too spread out" (they were refused, with advice to divide the data by 1e17).
   */
  @ParameterizedTest(name = "far rows at {0}")
  @CsvSource({"1e7", "1e18"})
  void theToleranceAndTheRangeCheckCountRowsAsTheirWeightsDo(double at) {
    KMeansInit start = KMeansInit.centres(new double[][] {{3, 3}, {4, 3}, {3, 4}, {5, 5}});
    KMeansResult alone = KMeans.k(4).init(start).fit(Dataset.of(rows), engine);
    KMeansResult weighted = KMeans.k(4).init(start).fit(Dataset.of(withFar(false, at), weights(false)), engine);
    assertTrue(alone.model().iterations() > 2, "the start must take the fit some way: " + alone.model().iterations());
    assertEquals(alone.model().iterations(), weighted.model().iterations(), "iterations");
    assertSameFit(alone, weighted, false, "far rows at " + at);
  }

  private Path write(String name, String kind, double[][] data) throws IOException {
    Path p = dir.resolve(name + "-" + kind + (kind.equals("csv") ? ".csv" : ".npy"));
    if (kind.equals("csv")) {
      StringBuilder s = new StringBuilder();
      for (double[] r : data) {
        s.append(r[0]).append(',').append(r[1]).append('\n');
      }
      Files.writeString(p, s);
      return p;
    }
    boolean f4 = kind.equals("npy4map");
    String header = "{'descr': '<f" + (f4 ? 4 : 8) + "', 'fortran_order': False, 'shape': (" + data.length + ", 2), }";
    int pad = 64 - (10 + header.length() + 1) % 64;
    header = header + " ".repeat(pad % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length * 2 * (f4 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    for (double[] r : data) {
      for (double v : r) {
        if (f4) {
          b.putFloat((float) v);
        } else {
          b.putDouble(v);
        }
      }
    }
    Files.write(p, b.array());
    return p;
  }
}
