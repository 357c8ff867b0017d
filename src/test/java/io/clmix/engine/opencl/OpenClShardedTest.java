package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.CountingEngine;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.ShardedEngine;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.TestData;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several OpenCL devices ({@code --device opencl:all} or a list) give one device's fit: the
 * same PoCL device opened twice, as two engines that each take a contiguous run of the data's
 * chunks, against one engine over all of it. Whole fits (k-means++ seeding, Lloyd passes, every
 * covariance type's EM, the final labels), resident and streamed, under the CPU defaults and the
 * GPU defaults' kernels (the register-tiled Lloyd kernel, masked mixture jobs).
 *
 * <p>The results must be the same bits: labels, iteration counts, objectives and every
 * parameter. The engine cuts the shards where the device's work-groups end
 * ({@link OpenClEngine#shardRows}), each shard forms the groups one device would over all the
 * rows, and the shards chain their reductions ({@code SegmentReduction}), so every value is
 * added in one device's order.
 */
class OpenClShardedTest {
  private static final int N = 12_003;
  private static final int D = 6;
  private static final int CHUNK_ROWS = 1_500;

  static Stream<Arguments> configs() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(device, 48 * 1024);
    return Stream.of(
        Arguments.of("CPU defaults, resident", device, KernelConfig.defaultsFor(device)),
        Arguments.of("CPU defaults, streamed", device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(120_000)),
        Arguments.of("GPU defaults, resident", gpu, KernelConfig.defaultsFor(gpu)),
        Arguments.of("GPU defaults, streamed", gpu, KernelConfig.defaultsFor(gpu).withDeviceMemoryBudget(120_000)));
  }

  /** The resident cases of {@link #configs} (the streamed ones stream through 120 kB, too slow for large data). */
  static Stream<Arguments> residentConfigs() {
    return configs().filter(a -> ((String) a.get()[0]).endsWith("resident"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void kMeansOnTwoShardsIsTheOneDeviceFit(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(N, D, 5, CHUNK_ROWS, 301), 302);
    // One start: with two, both reach the same partition here, and which of the two wins (its
    // labels a permutation of the other's) is decided by float rounding of equal inertias.
    KMeans km = KMeans.k(5).seed(303);
    compare(device, config, engine -> {
      KMeansResult r = km.fit(data, engine);
      return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia(),
          flat(r.model().clusterCenters()));
    }, what + ", K-means");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void mixturesOnTwoShardsAreTheOneDeviceFit(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.blobs(N, D, 4, CHUNK_ROWS, 311);
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixture gm = GaussianMixture.k(4).covariance(type).seed(312).maxIter(15);
      compare(device, config, engine -> {
        return mixture(gm.fit(data, engine));
      }, what + ", " + type);
    }
  }

  /** Data of one chunk are cut into a piece per device ({@link Dataset#inPieces}), read on the device through copies. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void dataOfOneChunkAreSplitAcrossBothDevices(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(N, D, 4, N, 321), 322);
    assertEquals(1, data.chunkCount());
    List<Long> opened = new java.util.ArrayList<>();
    try (ShardedEngine sharded = new ShardedEngine(CountingEngine.all(
        List.of(OpenClEngine.create(device, config), OpenClEngine.create(device, config)), opened))) {
      KMeans.k(4).seed(323).maxIter(1).fit(data, sharded);
    }
    assertEquals(List.of((long) N / 2, (long) N - N / 2), opened, what + ": both devices get rows");
    KMeans km = KMeans.k(4).seed(323);
    compare(device, config, engine -> {
      KMeansResult r = km.fit(data, engine);
      return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia(),
          flat(r.model().clusterCenters()));
    }, what + ", one chunk, K-means");
    GaussianMixture gm = GaussianMixture.k(4).covariance(CovarianceType.DIAG).seed(324).maxIter(15);
    compare(device, config, engine -> {
      return mixture(gm.fit(data, engine));
    }, what + ", one chunk, diag");
  }

  /**
   * Three devices over data of many reduction segments: the shards' segments close inside them,
   * the middle shard both continues and hands on, and groups are sized by the whole data set.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("residentConfigs")
  void threeDevicesOverManySegmentsGiveTheSameBits(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(200_003, 4, 6, 1 << 15, 331), 332);
    KMeans km = KMeans.k(6).seed(333).maxIter(8);
    compare(device, config, 3, engine -> {
      KMeansResult r = km.fit(data, engine);
      return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia(),
          flat(r.model().clusterCenters()));
    }, what + ", three devices, K-means");
    for (CovarianceType type : new CovarianceType[] {CovarianceType.FULL, CovarianceType.DIAG}) {
      GaussianMixture gm = GaussianMixture.k(6).covariance(type).seed(334).maxIter(4);
      compare(device, config, 3, engine -> mixture(gm.fit(data, engine)), what + ", three devices, " + type);
    }
  }

  /**
   * Data with fewer rows than a work-group's worth per device ({@link OpenClEngine#shardRows})
   * are still cut where groups end: the first devices get whole groups' worth and the last the
   * rest, or one device gets all of them. So they too give one device's bits.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void fewRowsPerDeviceStillGiveTheOneDeviceBits(String what, ClDeviceInfo device, KernelConfig config) {
    try (OpenClEngine probe = OpenClEngine.create(device, config)) {
      for (int devices : new int[] {2, 3}) {
        Dataset shape = TestData.blobs(1000, D, 4, 1000, 361);
        long align = probe.shardRows(shape);
        int rows = (int) (align * (devices - 1) + align / 3);
        Dataset data = TestData.weighted(TestData.blobs(rows, D, 4, CHUNK_ROWS, 362), 363);
        KMeans km = KMeans.k(4).seed(364);
        compare(device, config, devices, engine -> {
          KMeansResult r = km.fit(data, engine);
          return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia(),
              flat(r.model().clusterCenters()));
        }, what + ", " + rows + " rows on " + devices + " devices, K-means");
        GaussianMixture gm = GaussianMixture.k(4).covariance(CovarianceType.DIAG).seed(365).maxIter(10);
        compare(device, config, devices, engine -> mixture(gm.fit(data, engine)),
            what + ", " + rows + " rows on " + devices + " devices, diag");
      }
    }
  }

  /**
   * Data in several device buffers ({@link KernelConfig#maxBlockBytes} of 3,000 rows, fewer
   * than a shard's rows and not a multiple of a work-group's worth): one device's buffers and
   * each shard's end where the same groups end, so the bits are still one device's.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("residentConfigs")
  void dataInSeveralBuffersGiveTheOneDeviceBits(String what, ClDeviceInfo device, KernelConfig config) {
    KernelConfig small = config.withMaxBlockBytes(4L * D * 3000);
    Dataset data = TestData.weighted(TestData.blobs(3 * N, D, 5, CHUNK_ROWS, 371), 372);
    for (int devices : new int[] {2, 3}) {
      KMeans km = KMeans.k(5).seed(373);
      compare(device, small, devices, engine -> {
        KMeansResult r = km.fit(data, engine);
        return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia(),
            flat(r.model().clusterCenters()));
      }, what + ", buffers of 3000 rows, " + devices + " devices, K-means");
      GaussianMixture gm = GaussianMixture.k(5).covariance(CovarianceType.DIAG).seed(374).maxIter(10);
      compare(device, small, devices, engine -> mixture(gm.fit(data, engine)),
          what + ", buffers of 3000 rows, " + devices + " devices, diag");
    }
  }

  /** Buffers end on the shards' lattice: multiples of the alignment, else a divisor of it. */
  @org.junit.jupiter.api.Test
  void buffersEndOnTheLatticeShardsStartOn() {
    assertEquals(8192L * 24, RowBlocks.alignedBlockBytes(10_000L * 24, 6, 4096), "a multiple of 4096 rows");
    assertEquals(2048L * 24, RowBlocks.alignedBlockBytes(3_000L * 24, 6, 4096), "the largest divisor that fits");
    assertEquals(1000L * 24, RowBlocks.alignedBlockBytes(1_000L * 24 + 5, 6, 3000), "a divisor of 3000");
    assertEquals(20, RowBlocks.alignedBlockBytes(20, 6, 4096), "not one row: left for RowBlocks to refuse");
    long huge = RowBlocks.alignedBlockBytes(Long.MAX_VALUE / 2, 1, 4096);
    assertEquals(0, huge / 4 % 4096, "capped at RowBlocks' rows and still aligned");
    org.junit.jupiter.api.Assertions.assertTrue(huge / 4 <= RowBlocks.MAX_ROWS_PER_BLOCK, "within RowBlocks' cap");
  }

  /**
   * k-means++ seeding chains its potentials too: every potential a sharded session returns
   * (from the first centre, each candidate's, after each commit) is one device's to the bit,
   * and every target is found at the row one device finds.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("residentConfigs")
  void seedingPotentialsAndDrawsAreOneDevicesBits(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(200_003, 4, 6, 1 << 15, 351), 352);
    Centroids picks = TestData.someCentres(data, 6, 353);
    float[] first = java.util.Arrays.copyOfRange(picks.values(), 0, 4);
    float[] candidates = java.util.Arrays.copyOfRange(picks.values(), 4, 6 * 4);
    for (int devices : new int[] {2, 3}) {
      List<Engine> engines = new java.util.ArrayList<>();
      for (int i = 0; i < devices; i++) {
        engines.add(OpenClEngine.create(device, config));
      }
      try (OpenClEngine single = OpenClEngine.create(device, config); DataSession one = single.open(data);
          ShardedEngine sharded = new ShardedEngine(engines); DataSession many = sharded.open(data)) {
        String where = what + ", " + devices + " devices";
        double potential = one.seedStart(first);
        assertEquals(potential, many.seedStart(first), 0.0, where + ": first potential, to the bit");
        for (int round = 0; round < 3; round++) {
          double[] trials = one.seedTrial(candidates, 5);
          assertArrayEquals(trials, many.seedTrial(candidates, 5), 0.0, where + ": candidates' potentials");
          double[] targets = targets(potential, 400, 354 + round);
          assertArrayEquals(one.seedSample(targets), many.seedSample(targets), where + ": drawn rows");
          float[] commit = java.util.Arrays.copyOfRange(candidates, round * 4, round * 4 + 4);
          potential = one.seedCommit(commit, null);
          assertEquals(potential, many.seedCommit(commit, null), 0.0, where + ": potential after commit " + round);
        }
      }
    }
  }

  /**
   * One device routes a target by its work-groups' sums, then scans the rows' own running sum,
   * and where rounding leaves the target past the group's last row the scan goes on into the
   * next group. At a shard's end that group is the next shard's: the shard hands its scan on
   * ({@code SeedDraws}) instead of taking its own last row. Per shard boundary the targets
   * are the smallest that one device draws at or after the boundary (found by bisection, so
   * exactly where a scan runs out), and its neighbours.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("residentConfigs")
  void drawsWhereAScanRunsPastAShardsEndAreOneDevicesRows(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(60_001, 4, 6, 1 << 14, 361), 362);
    Centroids picks = TestData.someCentres(data, 5, 363);
    for (int devices : new int[] {2, 3}) {
      List<Long> opened = new java.util.ArrayList<>();
      List<OpenClEngine> engines = new java.util.ArrayList<>();
      for (int i = 0; i < devices; i++) {
        engines.add(OpenClEngine.create(device, config));
      }
      try (OpenClEngine single = OpenClEngine.create(device, config); DataSession one = single.open(data);
          ShardedEngine sharded = new ShardedEngine(CountingEngine.aligned(engines, opened));
          DataSession many = sharded.open(data)) {
        assertEquals(devices, opened.size(), what + ": every device holds a shard");
        double potential = one.seedStart(java.util.Arrays.copyOfRange(picks.values(), 0, 4));
        many.seedStart(java.util.Arrays.copyOfRange(picks.values(), 0, 4));
        for (int round = 0; round < 4; round++) {
          long boundary = 0;
          for (int s = 0; s + 1 < devices; s++) {
            boundary += opened.get(s);
            double first = smallestTargetDrawing(one, boundary, potential);
            double[] targets = {Math.nextDown(Math.nextDown(first)), Math.nextDown(first), first, Math.nextUp(first)};
            assertArrayEquals(one.seedSample(targets), many.seedSample(targets),
                what + ", " + devices + " devices, round " + round + ": draws at the end of shard " + s);
          }
          if (round < 3) {
            float[] commit = java.util.Arrays.copyOfRange(picks.values(), (round + 1) * 4, (round + 2) * 4);
            potential = one.seedCommit(commit, null);
            many.seedCommit(commit, null);
          }
        }
      }
    }
  }

  /** The smallest target in [0, potential] that {@code session} draws at row {@code row} or later. */
  private static double smallestTargetDrawing(DataSession session, long row, double potential) {
    double below = 0; // draws before row (row 0 is not a boundary)
    double atOrAfter = potential;
    while (Math.nextUp(below) < atOrAfter) {
      double mid = below + (atOrAfter - below) / 2;
      if (mid <= below || mid >= atOrAfter) {
        mid = Math.nextUp(below);
      }
      if (session.seedSample(new double[] {mid})[0] >= row) {
        atOrAfter = mid;
      } else {
        below = mid;
      }
    }
    return atOrAfter;
  }

  /** {@code count} ascending targets in [0, potential), uniform, with both ends. */
  private static double[] targets(double potential, int count, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    double[] t = new double[count];
    for (int i = 1; i < count - 1; i++) {
      t[i] = rng.nextDouble() * potential;
    }
    t[count - 1] = Math.nextDown(potential);
    java.util.Arrays.sort(t);
    return t;
  }

  /**
   * A shard on the Java engine cannot continue a device's sums: the chain breaks there, the
   * next device starts afresh, and the pieces' results are added, so the statistics are still
   * every row's (to the tolerance between engines).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void aJavaShardBetweenDevicesBreaksTheChainNotTheSums(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(N, D, 4, CHUNK_ROWS, 341), 342);
    Centroids centres = TestData.someCentres(data, 4, 343);
    MixtureParams params = MixtureReference.random(data, 4, CovarianceType.DIAG, 1.5, 344);
    SufficientStats one;
    SufficientStats oneMix;
    try (OpenClEngine single = OpenClEngine.create(device, config); DataSession s = single.open(data)) {
      one = s.assign(centres);
      oneMix = s.expect(params);
    }
    try (ShardedEngine mixed = new ShardedEngine(List.of(OpenClEngine.create(device, config),
        new io.clmix.engine.java.JavaEngine(1), OpenClEngine.create(device, config)));
        DataSession s = mixed.open(data)) {
      SufficientStats three = s.assign(centres);
      SufficientStats threeMix = s.expect(params);
      assertEquals(one.changed(), three.changed(), what + ": every row's label counted once");
      Reference.assertClose(one.objective(), three.objective(), 1e-6, 1.0, what + ": inertia");
      Reference.assertClose(one.weight(), three.weight(), 1e-6, 1.0, what + ": weights");
      Reference.assertClose(oneMix.objective(), threeMix.objective(), 1e-6, 1.0, what + ": log-likelihood");
      Reference.assertClose(oneMix.weight(), threeMix.weight(), 1e-6, 1.0, what + ": responsibilities");
    }
  }

  private record Outcome(int[] labels, int iterations, double objective, double[] parameters) {}

  private static Outcome mixture(GaussianMixtureResult r) {
    double[] means = flat(r.model().means());
    double[] weights = r.model().weights();
    double[] cov = r.model().covariances();
    double[] all = new double[means.length + weights.length + cov.length];
    System.arraycopy(means, 0, all, 0, means.length);
    System.arraycopy(weights, 0, all, means.length, weights.length);
    System.arraycopy(cov, 0, all, means.length + weights.length, cov.length);
    return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().lowerBound(), all);
  }

  private static double[] flat(double[][] rows) {
    return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static void compare(ClDeviceInfo device, KernelConfig config, Function<Engine, Outcome> fit, String what) {
    compare(device, config, 2, fit, what);
  }

  /** The fit on one device and on the same device opened {@code devices} times. */
  private static void compare(ClDeviceInfo device, KernelConfig config, int devices, Function<Engine, Outcome> fit,
      String what) {
    long live = OpenCl.liveObjects();
    Outcome one;
    Outcome two;
    try (OpenClEngine single = OpenClEngine.create(device, config)) {
      one = fit.apply(single);
    }
    List<Engine> engines = new java.util.ArrayList<>();
    for (int i = 0; i < devices; i++) {
      engines.add(OpenClEngine.create(device, config));
    }
    try (ShardedEngine sharded = new ShardedEngine(engines)) {
      two = fit.apply(sharded);
    }
    assertArrayEquals(one.labels(), two.labels(), what + ": labels");
    assertEquals(one.iterations(), two.iterations(), what + ": iterations");
    assertEquals(one.objective(), two.objective(), 0.0, what + ": objective, to the bit");
    assertArrayEquals(one.parameters(), two.parameters(), 0.0, what + ": parameters, to the bit");
    assertEquals(live, OpenCl.liveObjects(), what + ": both shards' engines released everything");
  }
}
