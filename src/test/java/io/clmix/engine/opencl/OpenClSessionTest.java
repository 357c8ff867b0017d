package io.clmix.engine.opencl;

import static io.clmix.engine.opencl.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineException;
import io.clmix.engine.KMeansReference;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.TestData;
import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL session against double-precision references, on shapes the contract tests do not
 * reach: data split across several device blocks, centres streamed in tiles with statistics in
 * global memory, devices without fp64, and several sessions at once.
 */
class OpenClSessionTest {
  /** Relative tolerance of float32 passes against double references. */
  static final double F32 = 2e-5;

  private ClDeviceInfo device;

  @BeforeEach
  void device() {
    device = OpenClTestSupport.requireDevice();
  }

  /** An engine whose data buffers hold at most {@code rows} rows of {@code d} columns. */
  private OpenClEngine smallBlocks(int rows, int d) {
    return OpenClEngine.create(device, KernelConfig.defaultsFor(device).withMaxBlockBytes(4L * d * rows));
  }

  private static void assertMatches(KMeansReference ref, SufficientStats st, DataSession s, String what) {
    assertArrayEquals(ref.labels, s.labels().toArray(), what + ": labels");
    assertClose(ref.weight, st.weight(), 1e-6, 1.0, what + ": weights");
    assertClose(ref.sum, st.sum(), F32, 30.0, what + ": sums of differences");
    assertClose(ref.inertia, st.objective(), F32, 1.0, what + ": inertia");
  }

  /**
   * A pass that runs out of device memory while growing its buffers leaves the session usable
   * for passes that fit: the buffers closed before the failed allocation are made again, not
   * handed released to the kernels ("buffer mixture scratch has been released" used to stop
   * every later pass of, say, a model selection over k on one session). The device here
   * allocates at most 20000 bytes at once, so k = 2 fits and k = 64 (mixtures) or 2000
   * (K-means) does not.
   */
  @Test
  void aPassThatRunsOutOfMemoryLeavesTheSessionUsable() {
    ClDeviceInfo small = new ClDeviceInfo(device.platformIndex(), device.deviceIndex(), device.platformName(),
        device.name(), device.vendor(), device.type(), device.computeUnits(), device.globalMemBytes(), 20_000,
        device.localMemBytes(), device.fp64(), device.maxWorkGroupSize(), device.clockMHz(), device.version(),
        device.driverVersion());
    Dataset data = TestData.blobs(4000, 3, 3, 1000, 5);
    try (OpenClEngine engine = OpenClEngine.create(small); DataSession s = engine.open(data)) {
      Centroids two = TestData.someCentres(data, 2, 1);
      SufficientStats before = s.assign(two);
      EngineException tooMany = assertThrows(EngineException.class, () -> s.assign(TestData.someCentres(data, 2000, 2)));
      assertEquals(EngineException.Kind.ALLOCATION, tooMany.kind());
      SufficientStats after = s.assign(two);
      assertArrayEquals(before.sum(), after.sum(), "K-means: the same pass after the failed one");

      MixtureParams p2 = MixtureReference.random(data, 2, CovarianceType.FULL, 1.0, 3);
      SufficientStats first = s.expect(p2);
      MixtureParams p64 = MixtureReference.random(data, 64, CovarianceType.FULL, 1.0, 4);
      assertEquals(EngineException.Kind.ALLOCATION, assertThrows(EngineException.class, () -> s.expect(p64)).kind());
      assertEquals(first.objective(), s.expect(p2).objective(), 0.0, "mixture: the same pass after the failed one");
    }
  }

  @Test
  void assignAcrossBlocksThatSplitChunks() {
    Dataset data = TestData.weighted(TestData.blobs(5000, 5, 7, 700, 1), 2);
    Centroids c = TestData.someCentres(data, 7, 3);
    KMeansReference ref = new KMeansReference(data, c);
    try (OpenClEngine engine = smallBlocks(1100, 5); DataSession s = engine.open(data)) {
      SufficientStats st = s.assign(c);
      assertMatches(ref, st, s, "blocks of 1100 rows over chunks of 700");
      assertEquals(5000, st.changed());
      Labels l = s.labels();
      assertEquals(data.chunkCount(), l.chunkCount());
      assertEquals(data.rowsIn(7), l.chunk(7).length);
      assertEquals(0, s.assign(c).changed());
    }
  }

  @Test
  void manyCentresStreamThroughLocalMemoryWithStatisticsInGlobalMemory() {
    int k = 2100;
    int d = 64;
    Dataset data = TestData.blobs(1500, d, 40, 1500, 4);
    Centroids c = TestData.someCentres(data, k, 5);
    KernelConfig config = KernelConfig.defaultsFor(device);
    LocalPlan plan = LocalPlan.forAssign(device, config, k, d);
    assertTrue(plan.tileK() < CentreBuffers.padded(k, config.centreStep()) && !plan.accLocal(),
        "the test needs the tiled path on this device: " + plan);
    KMeansReference ref = new KMeansReference(data, c);
    try (OpenClEngine engine = OpenClEngine.create(device); DataSession s = engine.open(data)) {
      assertMatches(ref, s.assign(c), s, "k=2100, d=64");
      float[] values = new float[1500];
      int[] labels = new int[1500];
      s.pointwise(c, (chunk, first, rows, lab, val, comp) -> {
        System.arraycopy(lab, 0, labels, (int) first, rows);
        System.arraycopy(val, 0, values, (int) first, rows);
      });
      assertArrayEquals(ref.labels, labels, "pointwise labels with tiled centres");
      for (int i = 0; i < labels.length; i++) {
        assertClose(ref.dist[i], values[i], 1e-5, 1.0, "distance " + i);
      }
    }
  }

  @Test
  void compensatedFloatAccumulatorsWithoutFp64() {
    ClDeviceInfo noFp64 = OpenClTestSupport.withoutFp64(device);
    Dataset data = TestData.weighted(TestData.blobs(20000, 3, 5, 6000, 6), 7);
    Centroids c = TestData.someCentres(data, 5, 8);
    KMeansReference ref = new KMeansReference(data, c);
    try (OpenClEngine engine = OpenClEngine.create(noFp64); DataSession s = engine.open(data)) {
      assertMatches(ref, s.assign(c), s, "without fp64");
      double pot = 0;
      float[] first = data.localRow(3);
      for (int i = 0; i < data.rows(); i++) {
        pot += data.weight(i) * KMeansReference.sq(data.localRow(i), first, 0, 3);
      }
      assertClose(pot, s.seedStart(first), F32, 1.0, "potential without fp64");
    }
  }

  @Test
  void seedingAcrossBlocks() {
    Dataset data = TestData.weighted(TestData.blobs(3000, 4, 4, 800, 9), 10);
    int n = 3000;
    int d = 4;
    float[] first = data.localRow(0);
    double[] dx = new double[n];
    double[] cum = new double[n];
    double pot = 0;
    for (int i = 0; i < n; i++) {
      dx[i] = KMeansReference.sq(data.localRow(i), first, 0, d);
      pot += data.weight(i) * dx[i];
      cum[i] = pot;
    }
    try (OpenClEngine engine = smallBlocks(900, d); DataSession s = engine.open(data)) {
      assertClose(pot, s.seedStart(first), F32, 1.0, "start potential");
      double[] targets = {0, 0.1 * pot, 0.5 * pot, 0.5 * pot, 0.999 * pot};
      long[] rows = s.seedSample(targets);
      for (int t = 0; t < targets.length; t++) {
        int expected = 0;
        while (expected < n - 1 && cum[expected] <= targets[t]) {
          expected++;
        }
        assertTrue(Math.abs(rows[t] - expected) <= 1, "target " + t + ": row " + rows[t] + ", expected " + expected);
      }
      assertEquals(1, s.seedSample(new double[] {0})[0], "row 0 is the centre (D = 0); row 1 is the first to exceed 0");
      assertEquals(n - 1, s.seedSample(new double[] {2 * pot})[0]);
      assertThrows(IllegalArgumentException.class, () -> s.seedSample(new double[] {2, 1}));

      // 11 candidates: more than one launch's worth (MAX_TRIALS = 8).
      int m = 11;
      float[] cands = new float[m * d];
      for (int t = 0; t < m; t++) {
        System.arraycopy(data.localRow(97 * t + 5), 0, cands, t * d, d);
      }
      double[] trial = new double[m];
      for (int t = 0; t < m; t++) {
        for (int i = 0; i < n; i++) {
          trial[t] += data.weight(i) * Math.min(dx[i], KMeansReference.sq(data.localRow(i), cands, t * d, d));
        }
      }
      assertClose(trial, s.seedTrial(cands, m), F32, 1.0, "trial potentials");

      float[] second = Arrays.copyOfRange(cands, 2 * d, 3 * d);
      s.seedCommit(second);
      double after = 0;
      for (int i = 0; i < n; i++) {
        dx[i] = Math.min(dx[i], KMeansReference.sq(data.localRow(i), second, 0, d));
        after += data.weight(i) * dx[i];
      }
      assertClose(after, s.seedTrial(second, 1)[0], F32, 1.0, "potential after commit");
      // The sample after a commit uses the new D.
      long row = s.seedSample(new double[] {0.5 * after})[0];
      double run = 0;
      int expected = 0;
      for (; expected < n - 1; expected++) {
        run += data.weight(expected) * dx[expected];
        if (run > 0.5 * after) {
          break;
        }
      }
      assertTrue(Math.abs(row - expected) <= 1, "after commit: row " + row + ", expected " + expected);
    }
  }

  @Test
  void farthestAndPointwiseAcrossBlocks() {
    Dataset data = TestData.blobs(2600, 3, 3, 500, 11);
    Centroids c = TestData.someCentres(data, 3, 12);
    KMeansReference ref = new KMeansReference(data, c);
    Integer[] order = new Integer[2600];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(ref.dist[y], ref.dist[x]));
    try (OpenClEngine engine = smallBlocks(777, 3); DataSession s = engine.open(data)) {
      assertThrows(IllegalStateException.class, () -> s.farthest(3), "farthest needs an assign");
      assertThrows(IllegalStateException.class, s::labels, "labels need an assign");
      s.assign(c);
      long[] far = s.farthest(6);
      for (int i = 0; i < 6; i++) {
        assertEquals((long) order[i], far[i], "farthest #" + i);
      }
      assertEquals(0, s.farthest(0).length);
      assertEquals(2600, s.farthest(5000).length);

      List<Integer> chunks = new ArrayList<>();
      int[] labels = new int[2600];
      s.pointwise(c, new PointSink() {
        @Override
        public boolean wantsComponents() {
          return true;
        }

        @Override
        public void accept(int chunk, long firstRow, int rows, int[] lab, float[] val, float[] comp) {
          chunks.add(chunk);
          assertEquals(data.chunkStart(chunk), firstRow);
          assertEquals(data.rowsIn(chunk), rows);
          for (int i = 0; i < rows; i++) {
            int row = (int) firstRow + i;
            labels[row] = lab[i];
            assertClose(ref.dist[row], val[i], 1e-5, 1.0, "distance of row " + row);
            for (int q = 0; q < 3; q++) {
              assertClose(KMeansReference.sq(data.localRow(row), c.values(), q * 3, 3), comp[i * 3 + q], 1e-5, 1.0,
                  "distance of row " + row + " to centre " + q);
            }
          }
        }
      });
      assertEquals(List.of(0, 1, 2, 3, 4, 5), chunks, "chunks in order");
      assertArrayEquals(ref.labels, labels);
    }
  }

  @Test
  void moreCentresThanRowsAndTinyData() {
    Dataset data = TestData.blobs(3, 2, 1, 3, 13);
    Centroids c = TestData.someCentres(data, 20, 14);
    KMeansReference ref = new KMeansReference(data, c);
    try (OpenClEngine engine = OpenClEngine.create(device); DataSession s = engine.open(data)) {
      assertMatches(ref, s.assign(c), s, "3 rows, 20 centres");
    }
  }

  @Test
  void mixturePassesCheckTheirArgumentsAndHandleTinyData() {
    Dataset data = TestData.blobs(10, 2, 1, 10, 15);
    MixtureParams p = new MixtureParams(1, 2, CovarianceType.SPHERICAL, new double[2], new double[] {1}, new double[1]);
    MixtureParams wide = new MixtureParams(1, 3, CovarianceType.SPHERICAL, new double[3], new double[] {1}, new double[1]);
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      DataSession s = engine.open(data);
      // One component holds every point: N = 10, objective = sum of log-densities.
      SufficientStats st = s.expect(p);
      assertEquals(10.0, st.weight()[0], 1e-6);
      MixtureReference ref = new MixtureReference(data, p, io.clmix.engine.Responsibilities.SOFT);
      assertEquals(ref.stats.objective(), st.objective(), 1e-5 * Math.abs(ref.stats.objective()));
      assertThrows(IllegalArgumentException.class, () -> s.expect(wide));
      assertThrows(IllegalArgumentException.class, () -> s.pointwise(wide, (chunk, first, rows, lab, val, comp) -> { }));
      s.close();
      assertThrows(IllegalStateException.class, () -> s.expect(p));
    }
  }

  @Test
  void argumentsAndStateAreChecked() {
    Dataset data = TestData.blobs(10, 2, 1, 10, 16);
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      DataSession s = engine.open(data);
      assertThrows(IllegalArgumentException.class, () -> s.assign(new Centroids(1, 3, new float[3])));
      assertThrows(IllegalStateException.class, () -> s.seedSample(new double[] {0}));
      assertThrows(IllegalStateException.class, () -> s.seedTrial(new float[2], 1));
      assertThrows(IllegalArgumentException.class, () -> s.seedStart(new float[3]));
      s.close();
      s.close();
      assertThrows(IllegalStateException.class, () -> s.assign(new Centroids(1, 2, new float[2])));
    }
  }

  @Test
  void everythingCreatedIsReleased() {
    long before = OpenCl.liveObjects();
    Dataset data = TestData.weighted(TestData.blobs(2000, 4, 3, 600, 17), 18);
    Centroids c = TestData.someCentres(data, 3, 19);
    OpenClEngine engine = smallBlocks(700, 4);
    assertEquals(engine.pruning() ? 5 : 4, engine.programCount(),
        "the engine built its programs (kmeans, seed, reduce, gmm, and kmeans_pruned when pruning) when created");
    try (DataSession a = engine.open(data); DataSession b = engine.open(data)) {
      a.assign(c);
      b.seedStart(data.localRow(0));
      b.seedTrial(data.localRow(1), 1);
      a.pointwise(c, (chunk, first, rows, lab, val, comp) -> { });
      assertTrue(OpenCl.liveObjects() > before);
    }
    engine.close();
    engine.close();
    assertEquals(before, OpenCl.liveObjects(), "every buffer, kernel, program, queue and context released");
    assertThrows(IllegalStateException.class, () -> engine.open(data));

    // Sessions still open when the engine closes are closed with it.
    OpenClEngine second = OpenClEngine.create(device);
    second.open(data).assign(c);
    second.close();
    assertEquals(before, OpenCl.liveObjects());
  }

  @Test
  void severalThreadsShareOneEngine() throws Exception {
    Dataset data = TestData.weighted(TestData.blobs(6000, 6, 5, 1000, 20), 21);
    Dataset other = TestData.blobs(4000, 6, 4, 4000, 22);
    Centroids c = TestData.someCentres(data, 5, 23);
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      SufficientStats expectedData;
      SufficientStats expectedOther;
      try (DataSession s = engine.open(data)) {
        expectedData = s.assign(c);
      }
      try (DataSession s = engine.open(other)) {
        expectedOther = s.assign(c);
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          Dataset ds = t % 2 == 0 ? data : other;
          SufficientStats want = t % 2 == 0 ? expectedData : expectedOther;
          results.add(pool.submit(() -> {
            try (DataSession s = engine.open(ds)) {
              for (int it = 0; it < 3; it++) {
                SufficientStats got = s.assign(c);
                if (!Arrays.equals(got.sum(), want.sum()) || !Arrays.equals(got.weight(), want.weight())
                    || got.objective() != want.objective()) {
                  return false;
                }
              }
              return true;
            }
          }));
        }
        for (Future<Boolean> f : results) {
          assertTrue(f.get(), "a concurrent session gave different bits");
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void programsAreSharedBetweenSessionsOfTheSameDimension() {
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      int base = engine.programCount();
      Dataset a = TestData.blobs(100, 9, 2, 100, 24);
      Dataset b = TestData.blobs(200, 9, 2, 50, 25);
      engine.open(a).close();
      int afterFirst = engine.programCount();
      engine.open(b).close();
      assertEquals(afterFirst, engine.programCount());
      assertFalse(afterFirst < base);
    }
  }
}
