package io.clmix.engine;

import static io.clmix.engine.KMeansReference.sq;
import static io.clmix.engine.TestData.blobs;
import static io.clmix.engine.TestData.someCentres;
import static io.clmix.engine.TestData.weighted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every engine honours for the K-means passes, checked against a plain
 * double-precision computation ({@link KMeansReference}). One thin subclass per engine supplies
 * the engine (EJML's generic test bases).
 *
 * <p>Engines compute distances in float32, so statistics are compared with a tolerance for
 * float32 passes ({@link #F32}); labels, counts and changed-counts must match exactly.
 */
public abstract class EngineContractTest {
  /** Relative tolerance for statistics from float32 passes. */
  protected static final double F32 = 2e-5;

  protected Engine engine;

  /** The engine under test; closed after each test. */
  protected abstract Engine createEngine();

  @BeforeEach
  void openEngine() {
    engine = createEngine();
  }

  @AfterEach
  void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }

  // ------------------------------------------------------------------ tolerances (data: TestData)

  protected static void assertClose(double expected, double actual, double rel, String what) {
    double tol = rel * Math.max(1.0, Math.abs(expected));
    assertTrue(Math.abs(expected - actual) <= tol,
        what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
  }

  protected static void assertClose(double[] expected, double[] actual, double rel, double scale, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(scale, Math.abs(expected[i]));
      assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
          what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i] + " (tolerance " + tol + ")");
    }
  }

  // ------------------------------------------------------------------ assign

  @Test
  void assignMatchesTheReference() {
    Dataset data = blobs(3000, 5, 6, 700, 1);
    Centroids c = someCentres(data, 6, 2);
    KMeansReference ref = new KMeansReference(data, c);
    try (DataSession s = engine.open(data)) {
      SufficientStats st = s.assign(c);
      assertArrayEquals(ref.labels, s.labels().toArray(), "labels");
      assertArrayEquals(ref.weight, st.weight(), 0.0, "counts");
      assertClose(ref.sum, st.sum(), F32, 30.0, "sums of differences");
      assertClose(ref.inertia, st.objective(), F32, "inertia");
      assertEquals(3000, st.changed(), "every label changes on the first pass");
    }
  }

  @Test
  void assignWithWeights() {
    Dataset data = weighted(blobs(2500, 4, 5, 600, 3), 4);
    Centroids c = someCentres(data, 5, 5);
    KMeansReference ref = new KMeansReference(data, c);
    try (DataSession s = engine.open(data)) {
      SufficientStats st = s.assign(c);
      assertArrayEquals(ref.labels, s.labels().toArray(), "labels");
      assertClose(ref.weight, st.weight(), 1e-6, 1.0, "weights per cluster");
      assertClose(ref.sum, st.sum(), F32, 30.0, "weighted sums");
      assertClose(ref.inertia, st.objective(), F32, "weighted inertia");
    }
  }

  @Test
  void changedCountsOnlyLabelsThatMoved() {
    Dataset data = blobs(2000, 3, 4, 512, 6);
    Centroids a = someCentres(data, 4, 7);
    Centroids b = someCentres(data, 4, 8);
    int[] la = new KMeansReference(data, a).labels;
    int[] lb = new KMeansReference(data, b).labels;
    long moved = 0;
    for (int i = 0; i < la.length; i++) {
      moved += la[i] != lb[i] ? 1 : 0;
    }
    assertTrue(moved > 0, "the test needs two different partitions");
    try (DataSession s = engine.open(data)) {
      s.assign(a);
      assertEquals(0, s.assign(a).changed(), "the same centres move nothing");
      assertEquals(moved, s.assign(b).changed(), "labels that differ between the partitions");
    }
  }

  @Test
  void tiesGoToTheLowerIndex() {
    Dataset data = blobs(300, 3, 2, 300, 9);
    float[] one = someCentres(data, 1, 10).values();
    float[] twice = new float[6];
    System.arraycopy(one, 0, twice, 0, 3);
    System.arraycopy(one, 0, twice, 3, 3);
    try (DataSession s = engine.open(data)) {
      SufficientStats st = s.assign(new Centroids(2, 3, twice));
      assertEquals(300.0, st.weight()[0], "identical centres: all points go to centre 0");
      assertEquals(0.0, st.weight()[1]);
    }
  }

  @Test
  void samePassTwiceGivesTheSameBits() {
    Dataset data = weighted(blobs(5000, 6, 8, 1000, 11), 12);
    Centroids c = someCentres(data, 8, 13);
    try (DataSession s1 = engine.open(data); DataSession s2 = engine.open(data)) {
      SufficientStats a = s1.assign(c);
      SufficientStats b = s2.assign(c);
      assertArrayEquals(a.sum(), b.sum(), 0.0);
      assertArrayEquals(a.weight(), b.weight(), 0.0);
      assertEquals(a.objective(), b.objective(), 0.0);
    }
  }

  @Test
  void chunkingDoesNotChangeTheAnswer() {
    Dataset whole = blobs(4000, 5, 5, 4000, 14);
    Dataset chunked = blobs(4000, 5, 5, 333, 14);
    Centroids c = someCentres(whole, 5, 15);
    try (DataSession a = engine.open(whole); DataSession b = engine.open(chunked)) {
      SufficientStats sa = a.assign(c);
      SufficientStats sb = b.assign(c);
      assertArrayEquals(a.labels().toArray(), b.labels().toArray());
      assertArrayEquals(sa.weight(), sb.weight(), 0.0);
      assertClose(sa.sum(), sb.sum(), 1e-5, 30.0, "sums");
      assertClose(sa.objective(), sb.objective(), 1e-6, "inertia");
    }
  }

  // ------------------------------------------------------------------ farthest

  @Test
  void farthestPointsComeFarthestFirst() {
    Dataset data = blobs(2000, 4, 3, 450, 16);
    Centroids c = someCentres(data, 3, 17);
    KMeansReference ref = new KMeansReference(data, c);
    Integer[] order = new Integer[ref.dist.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(ref.dist[y], ref.dist[x]));
    try (DataSession s = engine.open(data)) {
      s.assign(c);
      long[] far = s.farthest(5);
      assertEquals(5, far.length);
      for (int i = 0; i < 5; i++) {
        assertEquals((long) order[i], far[i], "farthest #" + i);
      }
    }
  }

  @Test
  void farthestLeavesOutRowsOfWeightZero() {
    // Every other row has weight zero, the farthest ones among them: only rows of positive
    // weight may re-seed an empty cluster, and fewer than asked for come back when few have one.
    Dataset plain = blobs(2000, 4, 3, 450, 16);
    Centroids c = someCentres(plain, 3, 17);
    KMeansReference ref = new KMeansReference(plain, c);
    double[] w = new double[(int) plain.rows()];
    for (int i = 1; i < w.length; i += 2) {
      w[i] = 1 + i % 5;
    }
    Integer[] order = new Integer[w.length / 2];
    for (int i = 0; i < order.length; i++) {
      order[i] = 2 * i + 1;
    }
    Arrays.sort(order, (x, y) -> Double.compare(ref.dist[y], ref.dist[x]));
    try (DataSession s = engine.open(plain.withWeights(w))) {
      s.assign(c);
      long[] far = s.farthest(5);
      assertEquals(5, far.length);
      for (int i = 0; i < 5; i++) {
        assertEquals((long) order[i], far[i], "farthest of positive weight #" + i);
      }
    }
    double[] two = new double[w.length];
    two[3] = 1;
    two[1500] = 0.5;
    try (DataSession s = engine.open(plain.withWeights(two))) {
      s.assign(c);
      long[] far = s.farthest(4);
      long[] expected = ref.dist[3] >= ref.dist[1500] ? new long[] {3, 1500} : new long[] {1500, 3};
      assertArrayEquals(expected, far, "only the two rows of positive weight");
    }
  }

  // ------------------------------------------------------------------ seeding

  @Test
  void seedingPotentialsMatchTheReference() {
    Dataset data = weighted(blobs(3000, 4, 4, 800, 18), 19);
    int d = data.cols();
    int n = (int) data.rows();
    float[] first = data.localRow(10);
    float[] cands = new float[3 * d];
    for (int t = 0; t < 3; t++) {
      System.arraycopy(data.localRow(100 + 500 * t), 0, cands, t * d, d);
    }
    double[] dx = new double[n];
    double pot = 0;
    for (int i = 0; i < n; i++) {
      dx[i] = sq(data.localRow(i), first, 0, d);
      pot += data.weight(i) * dx[i];
    }
    double[] trial = new double[3];
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < n; i++) {
        trial[t] += data.weight(i) * Math.min(dx[i], sq(data.localRow(i), cands, t * d, d));
      }
    }
    try (DataSession s = engine.open(data)) {
      assertClose(pot, s.seedStart(first), F32, "start potential");
      assertClose(trial, s.seedTrial(cands, 3), F32, 1.0, "trial potentials");
      float[] second = Arrays.copyOfRange(cands, d, 2 * d);
      s.seedCommit(second);
      double after = 0;
      for (int i = 0; i < n; i++) {
        dx[i] = Math.min(dx[i], sq(data.localRow(i), second, 0, d));
        after += data.weight(i) * dx[i];
      }
      double[] again = s.seedTrial(second, 1);
      assertClose(after, again[0], F32, "potential after commit");
    }
  }

  @Test
  void seedSampleFollowsTheRunningSum() {
    Dataset data = weighted(blobs(2000, 3, 3, 300, 20), 21);
    int d = data.cols();
    int n = (int) data.rows();
    float[] first = data.localRow(0);
    double[] cum = new double[n];
    double run = 0;
    for (int i = 0; i < n; i++) {
      run += data.weight(i) * sq(data.localRow(i), first, 0, d);
      cum[i] = run;
    }
    try (DataSession s = engine.open(data)) {
      double pot = s.seedStart(first);
      double[] targets = {0.001 * pot, 0.25 * pot, 0.5 * pot, 0.5 * pot, 0.999 * pot};
      long[] rows = s.seedSample(targets);
      for (int t = 0; t < targets.length; t++) {
        int expected = 0;
        while (expected < n - 1 && cum[expected] <= targets[t]) {
          expected++;
        }
        // float32 distances may move a boundary by one row at most
        assertTrue(Math.abs(rows[t] - expected) <= 1, "target " + t + ": row " + rows[t] + ", expected " + expected);
      }
      long[] last = s.seedSample(new double[] {pot * 2});
      assertEquals(n - 1, last[0], "targets beyond the total clip to the last row");
    }
  }

  // ------------------------------------------------------------------ pointwise

  @Test
  void pointwiseAgreesWithAssign() {
    Dataset data = blobs(2100, 4, 5, 500, 22);
    Centroids c = someCentres(data, 5, 23);
    KMeansReference ref = new KMeansReference(data, c);
    int k = c.k();
    List<int[]> labels = new ArrayList<>();
    double[][] comps = new double[(int) data.rows()][];
    float[] values = new float[(int) data.rows()];
    try (DataSession s = engine.open(data)) {
      s.pointwise(c, new PointSink() {
        @Override
        public boolean wantsComponents() {
          return true;
        }

        @Override
        public void accept(int chunk, long firstRow, int rows, int[] lab, float[] val, float[] comp) {
          assertEquals(data.chunkStart(chunk), firstRow);
          assertEquals(data.rowsIn(chunk), rows);
          labels.add(Arrays.copyOf(lab, rows));
          for (int i = 0; i < rows; i++) {
            values[(int) firstRow + i] = val[i];
            comps[(int) firstRow + i] = new double[k];
            for (int q = 0; q < k; q++) {
              comps[(int) firstRow + i][q] = comp[i * k + q];
            }
          }
        }
      });
    }
    int[] all = labels.stream().flatMapToInt(Arrays::stream).toArray();
    assertArrayEquals(ref.labels, all, "pointwise labels");
    for (int i = 0; i < all.length; i++) {
      assertClose(ref.dist[i], values[i], 1e-5, "distance of row " + i);
      assertClose(ref.dist[i], comps[i][ref.labels[i]], 1e-5, "component distance of row " + i);
    }
  }

  @Test
  void labelsAreAlignedWithChunks() {
    Dataset data = blobs(1000, 2, 3, 128, 24);
    Centroids c = someCentres(data, 3, 25);
    try (DataSession s = engine.open(data)) {
      s.assign(c);
      Labels l = s.labels();
      assertEquals(1000, l.size());
      assertEquals(data.chunkCount(), l.chunkCount());
      int[] ref = new KMeansReference(data, c).labels;
      for (int i = 0; i < 1000; i += 97) {
        assertEquals(ref[i], l.get(i), "label of row " + i);
      }
    }
  }

  @Test
  void closeIsIdempotent() {
    DataSession s = engine.open(blobs(100, 2, 2, 100, 26));
    s.close();
    s.close();
  }
}
