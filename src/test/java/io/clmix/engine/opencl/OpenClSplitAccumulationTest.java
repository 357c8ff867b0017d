package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.KMeansReference;
import io.clmix.engine.ShardedEngine;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.TestData;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The split variant of the register-tiled Lloyd pass ({@link KernelConfig#kmAccSplit}:
 * {@code km_assign_gemm} without its accumulation, then {@code km_accumulate}, which sorts each
 * group's rows by cluster and adds them in row order) against the fused kernel, on the test
 * device described as a GPU so the GPU's kernels and plans run: the same labels, distances,
 * changed counts and statistics, bit for bit; the same bits on every run, streamed or resident;
 * the one-device results on two devices; and the fused kernel where km_accumulate's arrays do
 * not fit local memory.
 */
class OpenClSplitAccumulationTest {
  /**
   * Statistics of two devices against one differ by the rounding of a different float32 order
   * (each shard's groups start at its own first row): each element within this fraction of the
   * sum of its terms' magnitudes (on these data the largest observed on PoCL was 6e-7; one row
   * missing or counted twice would be 1e-3 or more).
   */
  static final double REORDERED = 1e-5;

  private static ClDeviceInfo gpu() {
    return OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
  }

  /** The GPU defaults with the fused accumulation and maxBlockBytes set. */
  private static KernelConfig fused(ClDeviceInfo gpu, long maxBlockBytes) {
    return KernelConfig.defaultsFor(gpu).withMaxBlockBytes(maxBlockBytes)
        .withKmAccumulation(false, KernelConfig.ACC_UNROLL);
  }

  /** The same with the split variant, each work-item of km_accumulate loading unroll rows at a time. */
  private static KernelConfig split(KernelConfig fused, int unroll) {
    return fused.withKmAccumulation(true, unroll);
  }

  @Test
  void theSplitVariantIsTheGpuDefault() {
    assertTrue(KernelConfig.defaultsFor(gpu()).kmAccSplit());
    assertTrue(KernelConfig.defaultsFor(gpu()).kmGroups() > 0, "with the register-tiled kernel");
  }

  /**
   * A device whose groups hold fewer than km_accumulate's {@link KernelConfig#ACC_GROUP}
   * work-items runs the fused kernel: the engine drops the split variant before building it.
   */
  @Test
  void devicesWithSmallGroupsRunTheFusedKernel() {
    ClDeviceInfo g = gpu();
    ClDeviceInfo small = new ClDeviceInfo(g.platformIndex(), g.deviceIndex(), g.platformName(), g.name(), g.vendor(),
        g.type(), g.computeUnits(), g.globalMemBytes(), g.maxAllocBytes(), g.localMemBytes(), g.fp64(), 128,
        g.clockMHz(), g.version(), g.driverVersion());
    Dataset data = TestData.blobs(1500, 8, 4, 700, 131);
    Centroids c = TestData.someCentres(data, 5, 132);
    try (OpenClEngine fe = OpenClEngine.create(small, fused(small, 0));
        OpenClEngine e = OpenClEngine.create(small, KernelConfig.defaultsFor(small));
        DataSession a = fe.open(data);
        DataSession b = e.open(data)) {
      assertFalse(e.config().kmAccSplit(), "the split variant dropped");
      assertTrue(e.config().kmGroups() > 0, "the register-tiled kernel kept");
      OpenClStreamingTest.assertSameBits(a.assign(c), b.assign(c), "the fused kernel");
      assertEquals(0, ((OpenClSession) b).splitPasses());
      assertEquals(1, ((OpenClSession) b).gemmPasses());
    }
  }

  static Stream<Arguments> tileShapes() {
    return Stream.of(
        // wg, ppi, cv, tiles, kg, d, k
        Arguments.of(32, 4, 2, 2, 1, 5, 7),     // tile 128 = 4 x wg: 4 points per work-item in step 4
        Arguments.of(64, 4, 1, 3, 2, 33, 37),   // tile 128 = 2 x wg, 384 rows per group
        Arguments.of(128, 1, 2, 1, 8, 5, 7),    // tile 16 < wg, 16 rows per group: part of a mask word
        Arguments.of(128, 1, 1, 3, 8, 33, 37),  // tile 16, 48 rows per group (not a multiple of 32)
        Arguments.of(16, 1, 1, 5, 16, 6, 9),    // one-point tiles, 5 rows per group
        Arguments.of(256, 2, 4, 1, 4, 32, 64),  // tile 128 < wg 256
        Arguments.of(128, 4, 2, 16, 4, 32, 64)); // 2048 rows per group: two chunks of 1024
  }

  /**
   * Tile shapes other than the default, weighted data: the split pass gives the fused pass's
   * bits and the reference's labels, twice (the second pass sees its own labels: nothing changed).
   */
  @ParameterizedTest
  @MethodSource("tileShapes")
  void otherTileShapesGiveTheFusedBits(int wg, int ppi, int cv, int tiles, int kg, int d, int k) {
    ClDeviceInfo gpu = gpu();
    Dataset data = TestData.weighted(TestData.blobs(3001, d, 6, 700, 71 + d), 72);
    Centroids c = TestData.someCentres(data, k, 73);
    KernelConfig f = new KernelConfig(wg, ppi, cv, tiles, 0, 4L * d * 1234, 8).withKmGroups(kg).withPruning(false)
        .withKmAccumulation(false, 4);
    String what = "wg=" + wg + " ppi=" + ppi + " kg=" + kg + " tiles=" + tiles + " d=" + d + " k=" + k;
    try (OpenClEngine fe = OpenClEngine.create(gpu, f);
        OpenClEngine se = OpenClEngine.create(gpu, f.withKmAccumulation(true, 3));
        DataSession a = fe.open(data);
        DataSession b = se.open(data)) {
      KMeansReference ref = new KMeansReference(data, c);
      SufficientStats fs = a.assign(c);
      SufficientStats ss = b.assign(c);
      assertArrayEquals(ref.labels, b.labels().toArray(), what + ": labels");
      assertEquals(3001, ss.changed(), what + ": every row changed from no label");
      OpenClStreamingTest.assertSameBits(fs, ss, what);
      Reference.assertClose(ref.sum, ss.sum(), 2e-5, 30.0, what + ": sums");
      // The objective sums the exact distances, read back from the staged (swizzled) tile.
      assertEquals(ref.inertia, ss.objective(), 1e-5 * ref.inertia, what + ": objective");
      assertEquals(0, b.assign(c).changed(), what + ": nothing changed in the second pass");
      assertEquals(2, ((OpenClSession) b).splitPasses(), what + ": the split variant ran");
    }
  }

  static Stream<Arguments> shapes() {
    return Stream.of(
        // d, k, weighted, unroll
        Arguments.of(5, 7, true, 4),     // d not a multiple of 4
        Arguments.of(33, 37, true, 4),   // d not a multiple of 4, k of anything
        Arguments.of(32, 64, false, 4),  // the benchmark's shape
        Arguments.of(32, 64, true, 8),   // longer unroll
        Arguments.of(33, 37, false, 1),  // no unroll
        Arguments.of(5, 7, true, 3),     // unroll dividing no cluster's rows evenly
        Arguments.of(32, 64, true, 3),
        Arguments.of(64, 20, true, 4),   // too wide for the default tile: 2 points per work-item
        Arguments.of(128, 12, false, 4)); // 8 work-items per point, 8 centres per step
  }

  /**
   * Three Lloyd passes on both variants with the same centres each time (moved by the fused
   * pass's statistics): labels, distances (the farthest rows), changed counts and statistics
   * identical; the first pass's labels also the plain reference's. 3001 rows in blocks of 1234:
   * groups of 1024 rows cut short at each block's end, and later blocks start at a group base.
   */
  @ParameterizedTest
  @MethodSource("shapes")
  void splitGivesTheFusedKernelsBits(int d, int k, boolean weighted, int unroll) {
    ClDeviceInfo gpu = gpu();
    Dataset plain = TestData.blobs(3001, d, 6, 700, 71 + d);
    Dataset data = weighted ? TestData.weighted(plain, 72) : plain;
    Centroids c = TestData.someCentres(data, k, 73);
    KernelConfig f = fused(gpu, 4L * d * 1234);
    String what = "d=" + d + " k=" + k + " weighted=" + weighted + " U=" + unroll;
    try (OpenClEngine fe = OpenClEngine.create(gpu, f);
        OpenClEngine se = OpenClEngine.create(gpu, split(f, unroll));
        DataSession a = fe.open(data);
        DataSession b = se.open(data)) {
      for (int it = 0; it < 3; it++) {
        String at = what + ", pass " + it;
        SufficientStats fs = a.assign(c);
        SufficientStats ss = b.assign(c);
        int[] labels = b.labels().toArray();
        assertArrayEquals(a.labels().toArray(), labels, at + ": labels");
        if (it == 0) {
          // Later centres, moved towards each other, leave float32 and double scores near ties.
          KMeansReference ref = new KMeansReference(data, c);
          assertArrayEquals(ref.labels, labels, at + ": reference labels");
          assertEquals(ref.inertia, ss.objective(), 1e-5 * ref.inertia, at + ": objective (the exact distances)");
        }
        assertArrayEquals(a.farthest(20), b.farthest(20), at + ": farthest rows (the distances)");
        OpenClStreamingTest.assertSameBits(fs, ss, at);
        c = moved(c, fs);
      }
      assertEquals(0, ((OpenClSession) a).splitPasses(), "the fused session ran no split pass");
      assertEquals(3, ((OpenClSession) a).gemmPasses());
      assertEquals(3, ((OpenClSession) b).splitPasses(), what + ": the split variant ran");
      assertEquals(a.assign(c).changed(), b.assign(c).changed(), what + ": changed after the loop");
    }
  }

  /**
   * A whole fit from two starts, twice on one engine and once on a fresh one: the same bits every
   * time, and the fused kernel's bits.
   */
  @Test
  void splitFitsAreTheFusedFitsBitForBit() {
    ClDeviceInfo gpu = gpu();
    Dataset data = TestData.weighted(TestData.blobs(4003, 33, 5, 900, 81), 82);
    KernelConfig s = split(fused(gpu, 0), KernelConfig.ACC_UNROLL);
    KMeans km = KMeans.k(5).nInit(2).seed(83);
    KMeansResult a;
    KMeansResult b;
    KMeansResult c;
    try (OpenClEngine e = OpenClEngine.create(gpu, s)) {
      a = km.fit(data, e);
      b = km.fit(data, e);
    }
    try (OpenClEngine e = OpenClEngine.create(gpu, s); DataSession session = e.open(data)) {
      c = km.fit(session);
      assertTrue(((OpenClSession) session).splitPasses() > 0, "the split variant ran");
    }
    OpenClReproducibilityTest.assertBitIdentical(a, b, "same engine");
    OpenClReproducibilityTest.assertBitIdentical(a, c, "fresh engine");
    KMeansResult f;
    try (OpenClEngine e = OpenClEngine.create(gpu, fused(gpu, 0))) {
      f = km.fit(data, e);
    }
    OpenClReproducibilityTest.assertBitIdentical(f, a, "the fused kernel's fit");
  }

  /**
   * Whole fits of rows too wide for the GPU default's register-tiled shape (d = 64 and 128 on 48
   * KB, which now get a narrower one: {@code LocalPlanTest}): k-means++ seeding, Lloyd passes on
   * the register-tiled kernel, the Java engine's labels and iterations, its inertia to 1e-6.
   */
  @ParameterizedTest
  @ValueSource(ints = {64, 128})
  void wideRowsFitOnTheRegisterTiledKernelAsOnTheJavaEngine(int d) {
    ClDeviceInfo gpu = gpu();
    Dataset data = TestData.weighted(TestData.blobs(2500, d, 6, 900, 141 + d), 142);
    // One start: with several, the best of two nearly equal objectives may differ between
    // engines in their last bits, which says nothing about the kernels.
    KMeans km = KMeans.k(6).nInit(1).seed(143);
    KMeansResult java;
    try (io.clmix.engine.java.JavaEngine e = new io.clmix.engine.java.JavaEngine(2)) {
      java = km.fit(data, e);
    }
    try (OpenClEngine e = OpenClEngine.create(gpu, KernelConfig.defaultsFor(gpu)); DataSession s = e.open(data)) {
      KMeansResult gpuFit = km.fit(s);
      assertTrue(((OpenClSession) s).gemmPasses() > 0, "d=" + d + ": the register-tiled kernel ran");
      assertArrayEquals(java.labels().toArray(), gpuFit.labels().toArray(), "d=" + d + ": labels");
      assertEquals(java.model().iterations(), gpuFit.model().iterations(), "d=" + d + ": iterations");
      Reference.assertClose(java.model().inertia(), gpuFit.model().inertia(), 1e-6, 1.0, "d=" + d + ": inertia");
    }
  }

  static Stream<Arguments> budgets() {
    // As OpenClStreamingTest: 150 KB keeps the state on the device, 30 KB moves it to the host.
    return Stream.of(Arguments.of(150_000L, true), Arguments.of(30_000L, false));
  }

  /**
   * Streamed (units of whole groups, each unit's two launches before its buffers are reused)
   * against resident, both split: the same bits.
   */
  @ParameterizedTest
  @MethodSource("budgets")
  void streamedSplitPassesGiveTheResidentSplitBits(long budget, boolean stateOnDevice) {
    ClDeviceInfo gpu = gpu();
    int d = 5;
    Dataset data = TestData.weighted(TestData.blobs(5003, d, 6, 1100, 51), 52);
    Centroids c = TestData.someCentres(data, 7, 53);
    KernelConfig s = split(fused(gpu, 4L * d * 3000), KernelConfig.ACC_UNROLL);
    String what = "budget " + budget;
    try (OpenClEngine resident = OpenClEngine.create(gpu, s);
        OpenClEngine streamed = OpenClEngine.create(gpu, s.withDeviceMemoryBudget(budget));
        DataSession a = resident.open(data);
        DataSession b = streamed.open(data)) {
      assertFalse(((OpenClSession) a).streaming());
      assertTrue(((OpenClSession) b).streaming(), what + ": the budget forces streaming");
      assertEquals(stateOnDevice, ((OpenClSession) b).stateOnDevice(), what + ": where the state lives");
      for (int it = 0; it < 3; it++) {
        SufficientStats sa = a.assign(c);
        OpenClStreamingTest.assertSameBits(sa, b.assign(c), what + ": pass " + it);
        assertArrayEquals(a.labels().toArray(), b.labels().toArray(), what + ": labels");
        assertArrayEquals(a.farthest(5), b.farthest(5), what + ": farthest");
        c = moved(c, sa);
      }
      assertEquals(3, ((OpenClSession) b).splitPasses(), what + ": the split variant ran streamed");
      assertTrue(((OpenClSession) b).uploads() >= 3 * 3, what + ": several units per pass");
    }
  }

  /**
   * Two devices (the test device opened twice) against one, both split: each shard's groups
   * start at its own first row, so statistics agree within a reordering, labels exactly; a fit
   * ends with the same labels and iterations.
   */
  @Test
  void shardedSplitPassesGiveTheOneDeviceResults() {
    ClDeviceInfo gpu = gpu();
    Dataset data = TestData.weighted(TestData.blobs(6001, 33, 6, 1000, 91), 92);
    Centroids c = TestData.someCentres(data, 11, 93);
    KernelConfig s = split(fused(gpu, 0), KernelConfig.ACC_UNROLL);
    try (OpenClEngine one = OpenClEngine.create(gpu, s);
        Engine two = new ShardedEngine(List.of(OpenClEngine.create(gpu, s), OpenClEngine.create(gpu, s)));
        DataSession a = one.open(data);
        DataSession b = two.open(data)) {
      for (int it = 0; it < 3; it++) {
        SufficientStats sa = a.assign(c);
        SufficientStats sb = b.assign(c);
        int[] labels = a.labels().toArray();
        assertArrayEquals(labels, b.labels().toArray(), "pass " + it + ": labels");
        assertEquals(sa.changed(), sb.changed(), "pass " + it + ": changed");
        assertReordered(sa, sb, data, c, labels, "pass " + it);
        c = moved(c, sa);
      }
      assertEquals(3, ((OpenClSession) a).splitPasses());
    }
    KMeans km = KMeans.k(6).seed(94);
    try (OpenClEngine one = OpenClEngine.create(gpu, s);
        Engine two = new ShardedEngine(List.of(OpenClEngine.create(gpu, s), OpenClEngine.create(gpu, s)))) {
      KMeansResult a = km.fit(data, one);
      KMeansResult b = km.fit(data, two);
      assertArrayEquals(a.labels().toArray(), b.labels().toArray(), "fit labels");
      assertEquals(a.model().iterations(), b.model().iterations(), "fit iterations");
      Reference.assertClose(a.model().inertia(), b.model().inertia(), 1e-6, 1.0, "fit inertia");
    }
  }

  /**
   * k = 130 centres of 41 columns on 48 KB: the split kernel's centres (192 padded, 32 KB) do
   * not fit beside its tile (26 KB), so it scores them in tiles, and km_accumulate's arrays for
   * the group's 1024 rows (43 036 bytes) just fit. Still the fused kernel's bits.
   */
  @Test
  void centresInTilesAndAFullLocalMemoryKeepTheFusedBits() {
    ClDeviceInfo gpu = gpu();
    int d = 41;
    int k = 130;
    Dataset data = TestData.weighted(TestData.blobs(2500, d, 8, 700, 101), 102);
    Centroids c = TestData.someCentres(data, k, 103);
    KernelConfig f = fused(gpu, 0);
    KernelConfig s = split(f, KernelConfig.ACC_UNROLL);
    KernelConfig resolved = s.forData(d, gpu);
    assertEquals(1024, LocalPlan.accumulateChunk(gpu, k, resolved.gemmRowsPerGroup()), "the group's rows at once");
    assertTrue(LocalPlan.accumulateBytes(k, 1024) > 40 << 10, "nearly filling 48 KB");
    LocalPlan plan = LocalPlan.forGemm(gpu, resolved, k, d, false);
    assertTrue(plan.tileK() < CentreBuffers.padded(k, resolved.paddingStep()), "centres in tiles: " + plan);
    try (OpenClEngine fe = OpenClEngine.create(gpu, f);
        OpenClEngine se = OpenClEngine.create(gpu, s);
        DataSession a = fe.open(data);
        DataSession b = se.open(data)) {
      SufficientStats fs = a.assign(c);
      SufficientStats ss = b.assign(c);
      int[] labels = b.labels().toArray();
      assertArrayEquals(a.labels().toArray(), labels, "labels");
      KMeansReference ref = new KMeansReference(data, c);
      assertArrayEquals(ref.labels, labels, "reference labels");
      // Centres in tiles: the exact distances take the centres from global memory (kg_exact's
      // other branch), and the staged rows through the same swizzle.
      assertEquals(ref.inertia, ss.objective(), 1e-5 * ref.inertia, "objective (the exact distances)");
      OpenClStreamingTest.assertSameBits(fs, ss, "k=130");
      assertEquals(1, ((OpenClSession) b).splitPasses());
    }
  }

  /**
   * k = 400 centres of 33 columns: km_accumulate's masks and first places for 1024 rows (400 x 32
   * words each, 100 KB) do not fit 48 KB, those for 256 rows do, so each group's rows are
   * sorted and added in four chunks, the sums passing through the group's slot: the fused
   * kernel's bits. k = 700: not even 256 rows fit, and the pass runs the fused kernel
   * (statistics in global memory): its bits, of course.
   */
  @ParameterizedTest
  @ValueSource(ints = {400, 700})
  void largeKSortsInChunksOrRunsTheFusedKernel(int k) {
    ClDeviceInfo gpu = gpu();
    int d = 33;
    Dataset data = TestData.weighted(TestData.blobs(2500, d, 8, 700, 111), 112);
    Centroids c = TestData.someCentres(data, k, 113);
    KernelConfig f = fused(gpu, 0);
    KernelConfig s = split(f, KernelConfig.ACC_UNROLL);
    int chunk = LocalPlan.accumulateChunk(gpu, k, s.forData(d, gpu).gemmRowsPerGroup());
    assertEquals(k == 400 ? 256 : 0, chunk);
    try (OpenClEngine fe = OpenClEngine.create(gpu, f);
        OpenClEngine se = OpenClEngine.create(gpu, s);
        DataSession a = fe.open(data);
        DataSession b = se.open(data)) {
      for (int it = 0; it < 2; it++) {
        SufficientStats fs = a.assign(c);
        if (it == 0) {
          double inertia = new KMeansReference(data, c).inertia;
          assertEquals(inertia, fs.objective(), 1e-5 * inertia, "k=" + k + ": objective (the exact distances)");
        }
        OpenClStreamingTest.assertSameBits(fs, b.assign(c), "k=" + k + ", pass " + it);
        assertArrayEquals(a.labels().toArray(), b.labels().toArray(), "k=" + k + ": labels");
        c = moved(c, fs);
      }
      assertEquals(k == 400 ? 2 : 0, ((OpenClSession) b).splitPasses(), "split passes");
      assertEquals(2, ((OpenClSession) b).gemmPasses(), "register-tiled passes");
    }
  }

  /**
   * Rows of 300 columns (302 statistics elements per cluster, more than a group's 256
   * work-items) on a device with 512 KB of local memory, where the register-tiled kernel fits:
   * work-items take several elements each. The fused bits.
   */
  @Test
  void wideRowsGiveWorkItemsSeveralStatisticsElements() {
    ClDeviceInfo big = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 512 << 10);
    int d = 300;
    Dataset data = TestData.weighted(TestData.blobs(1500, d, 4, 700, 121), 122);
    Centroids c = TestData.someCentres(data, 5, 123);
    KernelConfig f = fused(big, 0);
    try (OpenClEngine fe = OpenClEngine.create(big, f);
        OpenClEngine se = OpenClEngine.create(big, split(f, 2));
        DataSession a = fe.open(data);
        DataSession b = se.open(data)) {
      SufficientStats fs = a.assign(c);
      OpenClStreamingTest.assertSameBits(fs, b.assign(c), "split");
      assertArrayEquals(a.labels().toArray(), b.labels().toArray(), "labels");
      assertEquals(1, ((OpenClSession) b).splitPasses());
    }
  }

  /**
   * Statistics {@code b} against {@code a} within {@link #REORDERED} of the magnitudes of their
   * terms, computed from the labels: per cluster and column the sum of w |x - c|, per cluster
   * the weight, and the weighted distances for the objective.
   */
  static void assertReordered(SufficientStats a, SufficientStats b, Dataset data, Centroids c, int[] labels,
      String what) {
    int d = data.cols();
    int k = c.k();
    double[] absSum = new double[k * d];
    double[] absWeight = new double[k];
    double absObjective = 0;
    float[] v = c.values();
    for (int i = 0; i < labels.length; i++) {
      float[] x = data.localRow(i);
      int q = labels[i];
      double w = data.weight(i);
      absWeight[q] += w;
      absObjective += w * KMeansReference.sq(x, v, q * d, d);
      for (int j = 0; j < d; j++) {
        absSum[q * d + j] += w * Math.abs((double) x[j] - v[q * d + j]);
      }
    }
    for (int q = 0; q < k; q++) {
      within(a.weight()[q], b.weight()[q], absWeight[q], what + ": weight " + q);
      for (int j = 0; j < d; j++) {
        within(a.sum()[q * d + j], b.sum()[q * d + j], absSum[q * d + j], what + ": sum " + q + "[" + j + "]");
      }
    }
    within(a.objective(), b.objective(), absObjective, what + ": objective");
  }

  private static void within(double expected, double actual, double magnitude, String what) {
    double tol = REORDERED * magnitude;
    assertTrue(Math.abs(expected - actual) <= tol,
        what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
  }

  /** The centres moved to the means the statistics give (empty clusters stay). */
  private static Centroids moved(Centroids c, SufficientStats st) {
    int d = c.d();
    float[] v = c.values().clone();
    for (int q = 0; q < c.k(); q++) {
      if (st.weight()[q] > 0) {
        for (int j = 0; j < d; j++) {
          v[q * d + j] += (float) (st.sum()[q * d + j] / st.weight()[q]);
        }
      }
    }
    return new Centroids(c.k(), d, v);
  }
}
