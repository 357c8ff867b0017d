package io.clmix.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.fit.CentreUpdate;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansInit;
import io.clmix.fit.KMeansResult;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pruned Lloyd passes give exactly the bits of unpruned ones, on one engine per subclass: the
 * same labels, statistics (weights and sums), inertia and changed counts after every pass of
 * whole fits, and hence the same fits. Data sets: generated blobs (several chunks), weighted
 * blobs, blobs of 32 columns, digits (integer pixels: many exact ties and near ties between
 * centres), points on an integer grid with centres placed on their bisectors (exact ties
 * everywhere), restarts (nInit > 1: the centres jump between runs), empty clusters re-seeded
 * from the farthest points, and k = 1.
 */
public abstract class PruningContractTest {
  protected Engine pruned;
  protected Engine plain;

  /** An engine of the kind under test that prunes ({@code true}) or not. */
  protected abstract Engine createEngine(boolean pruning);

  /**
   * Called with the pruned session after a lockstep run over a data set whose later passes
   * keep labels: subclasses that can see inside check that the bounds did keep points there.
   */
  protected void checkPruned(DataSession prunedSession, String what) {}

  @BeforeEach
  void open() {
    pruned = createEngine(true);
    plain = createEngine(false);
  }

  @AfterEach
  void close() {
    // Null where the engines' set-up skipped the test (no OpenCL).
    if (pruned != null) {
      pruned.close();
    }
    if (plain != null) {
      plain.close();
    }
  }

  // ------------------------------------------------------------------ data

  static Dataset fixture(String name) {
    try {
      return DataFiles.read(Path.of(PruningContractTest.class.getResource("/fixtures/" + name + ".npy").toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Blobs in chunks of 1000 rows (several blocks per chunk, a short last chunk). */
  static Dataset blobs() {
    return Blobs.of(12_345, 6, 9, 7).generate(1000);
  }

  static Dataset weightedBlobs() {
    Dataset d = Blobs.of(5_000, 5, 7, 11).generate(777);
    SplittableRandom rng = new SplittableRandom(3);
    double[] w = new double[(int) d.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.25 + rng.nextInt(8) * 0.5;
    }
    return d.withWeights(w);
  }

  /** Points of a 2-D integer grid: exact ties between centres on integer or half-integer places. */
  static Dataset grid() {
    double[][] rows = new double[21 * 21][];
    int i = 0;
    for (int a = -10; a <= 10; a++) {
      for (int b = -10; b <= 10; b++) {
        rows[i++] = new double[] {a, b};
      }
    }
    return Dataset.of(rows);
  }

  /**
   * Blobs of 32 columns: wide enough that the GPU kernels' staged tiles use every one of their
   * layouts (kmeans_gemm.cl's KG_XAT changes from column 8 on, in four steps up to column 31).
   */
  static Dataset wideBlobs() {
    return Blobs.of(3_000, 32, 8, 13).generate(1000);
  }

  static Stream<String> dataSets() {
    return Stream.of("blobs", "weighted", "digits", "grid", "wide");
  }

  static Dataset data(String name) {
    switch (name) {
      case "blobs":
        return blobs();
      case "weighted":
        return weightedBlobs();
      case "digits":
        return fixture("digits");
      case "grid":
        return grid();
      case "wide":
        return wideBlobs();
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /** k distinct-ish rows of {@code data} from {@code seed}, as a start. */
  protected static double[][] startRows(Dataset data, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] out = new double[k][];
    for (int c = 0; c < k; c++) {
      float[] r = data.localRow(rng.nextLong(data.rows()));
      out[c] = new double[r.length];
      for (int j = 0; j < r.length; j++) {
        out[c][j] = r[j];
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ lockstep

  /**
   * Runs Lloyd iterations from {@code start} on a pruned and an unpruned session side by side,
   * each following its own centres, and checks after every pass that everything is the same
   * bits. {@code between} may move the centres between passes (restarts, jumps).
   */
  protected void lockstep(Dataset data, double[][] start, int passes, String what) {
    try (DataSession a = pruned.open(data); DataSession b = plain.open(data)) {
      lockstep(a, b, start, passes, what);
      checkPruned(a, what);
    }
  }

  private static double[][] lockstep(DataSession a, DataSession b, double[][] start, int passes, String what) {
    double[][] ca = start;
    double[][] cb = start;
    for (int it = 0; it < passes; it++) {
      Centroids sa = Centroids.of(ca);
      Centroids sb = Centroids.of(cb);
      SufficientStats x = a.assign(sa);
      SufficientStats y = b.assign(sb);
      String at = what + ", pass " + it;
      assertSameBits(x, y, at);
      assertArrayEquals(b.labels().toArray(), a.labels().toArray(), at + ": labels");
      assertArrayEquals(b.farthest(5), a.farthest(5), at + ": farthest (distances)");
      ca = CentreUpdate.of(x, sa, a).centres();
      cb = CentreUpdate.of(y, sb, b).centres();
      for (int c = 0; c < ca.length; c++) {
        assertArrayEquals(cb[c], ca[c], at + ": centre " + c);
      }
    }
    return ca;
  }

  static void assertSameBits(SufficientStats x, SufficientStats y, String at) {
    assertEquals(Double.doubleToRawLongBits(y.objective()), Double.doubleToRawLongBits(x.objective()),
        at + ": inertia " + x.objective() + " vs " + y.objective());
    assertEquals(y.changed(), x.changed(), at + ": changed");
    assertArrayEquals(y.weight(), x.weight(), at + ": weights");
    assertArrayEquals(y.sum(), x.sum(), at + ": sums");
  }

  // ------------------------------------------------------------------ tests

  @ParameterizedTest
  @MethodSource("dataSets")
  void passesFromRandomRowsGiveTheSameBits(String name) {
    Dataset data = data(name);
    int k = name.equals("grid") ? 6 : name.equals("digits") ? 10 : 9;
    lockstep(data, startRows(data, k, 5), 30, name);
  }

  @Test
  void exactTiesOnBisectorsGiveTheSameBits() {
    // Centres on half-integer places of the integer grid: every grid point on the lines between
    // them is equally far from two (or four) centres, and stays so while the centres stay put.
    double[][] start = {{-0.5, -0.5}, {0.5, -0.5}, {-0.5, 0.5}, {0.5, 0.5}, {3, 3}, {-3, 3}};
    Dataset data = grid();
    double[] origin = data.origin();
    for (double[] c : start) {
      for (int j = 0; j < c.length; j++) {
        c[j] -= origin[j];
      }
    }
    lockstep(data, start, 15, "grid ties");
  }

  @Test
  void centresThatJumpBetweenPassesGiveTheSameBits() {
    // Restarts inside one session: bounds left by a converged run meet centres from elsewhere.
    Dataset data = blobs();
    try (DataSession a = pruned.open(data); DataSession b = plain.open(data)) {
      for (long seed = 1; seed <= 4; seed++) {
        lockstep(a, b, startRows(data, 9, seed), 12, "restart " + seed);
      }
      // Another k on the same session, then the first k again.
      lockstep(a, b, startRows(data, 4, 99), 5, "k = 4");
      lockstep(a, b, startRows(data, 9, 1), 5, "k = 9 again");
      checkPruned(a, "restarts");
    }
  }

  @Test
  void emptyClustersReSeededFromTheFarthestPointsGiveTheSameBits() {
    // Three centres far outside the data get no points and are re-seeded from the farthest ones:
    // a large shift for them, a small one for the rest.
    Dataset data = blobs();
    double[][] start = startRows(data, 9, 2);
    for (int c = 6; c < 9; c++) {
      java.util.Arrays.fill(start[c], 1e4 * (c - 5));
    }
    lockstep(data, start, 15, "empty clusters");
  }

  @Test
  void oneCentreGivesTheSameBits() {
    Dataset data = weightedBlobs();
    lockstep(data, startRows(data, 1, 4), 4, "k = 1");
  }

  @Test
  void pointwiseBetweenPassesChangesNothing() {
    Dataset data = blobs();
    try (DataSession a = pruned.open(data); DataSession b = plain.open(data)) {
      double[][] c = lockstep(a, b, startRows(data, 9, 8), 6, "before pointwise");
      PointSink none = (chunk, firstRow, rows, labels, values, components) -> {};
      a.pointwise(Centroids.of(startRows(data, 9, 9)), none);
      b.pointwise(Centroids.of(startRows(data, 9, 9)), none);
      lockstep(a, b, c, 6, "after pointwise");
    }
  }

  @ParameterizedTest
  @MethodSource("dataSets")
  void fitsWithRestartsAreIdentical(String name) {
    Dataset data = data(name);
    int k = name.equals("grid") ? 5 : 8;
    KMeans km = KMeans.k(k).nInit(3).seed(17).maxIter(100);
    KMeansResult x = km.fit(data, pruned);
    KMeansResult y = km.fit(data, plain);
    assertArrayEquals(y.labels().toArray(), x.labels().toArray(), name + ": labels");
    assertEquals(Double.doubleToRawLongBits(y.model().inertia()), Double.doubleToRawLongBits(x.model().inertia()),
        name + ": inertia");
    assertEquals(y.model().iterations(), x.model().iterations(), name + ": iterations");
    assertArrayEquals(y.model().clusterCenters(), x.model().clusterCenters(), name + ": centres");
    assertEquals(y.report().iterations().size(), x.report().iterations().size(), name + ": iteration log");
    for (int i = 0; i < x.report().iterations().size(); i++) {
      var p = x.report().iterations().get(i);
      var q = y.report().iterations().get(i);
      assertEquals(q.changedLabels(), p.changedLabels(), name + ": changed at " + i);
      assertEquals(Double.doubleToRawLongBits(q.objective()), Double.doubleToRawLongBits(p.objective()),
          name + ": objective at " + i);
    }
  }

  @Test
  void givenStartFitsAreIdentical() {
    Dataset data = fixture("digits");
    double[][] start = startRows(data, 10, 21);
    double[][] global = new double[start.length][];
    for (int c = 0; c < start.length; c++) {
      global[c] = data.toGlobal(start[c]);
    }
    KMeans km = KMeans.k(10).init(KMeansInit.centres(global)).maxIter(300);
    KMeansResult x = km.fit(data, pruned);
    KMeansResult y = km.fit(data, plain);
    assertArrayEquals(y.labels().toArray(), x.labels().toArray());
    assertEquals(Double.doubleToRawLongBits(y.model().inertia()), Double.doubleToRawLongBits(x.model().inertia()));
    assertEquals(y.model().iterations(), x.model().iterations());
    assertTrue(x.model().iterations() > 5, "enough iterations for the bounds to matter");
  }
}
