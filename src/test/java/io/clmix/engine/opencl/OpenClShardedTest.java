package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.CountingEngine;
import io.clmix.engine.Engine;
import io.clmix.engine.ShardedEngine;
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
 * <p>Labels and iteration counts must be identical. Objectives agree to float rounding, not to
 * the bit: a work-group's partial sums are float32 over its rows, and a shard's groups start at
 * its first chunk, so the rows a group sums differ from the single device's where a shard
 * boundary falls inside one of its groups.
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void kMeansOnTwoShardsIsTheOneDeviceFit(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.weighted(TestData.blobs(N, D, 5, CHUNK_ROWS, 301), 302);
    // One start: with two, both reach the same partition here, and which of the two wins (its
    // labels a permutation of the other's) is decided by float rounding of equal inertias.
    KMeans km = KMeans.k(5).seed(303);
    compare(device, config, engine -> {
      KMeansResult r = km.fit(data, engine);
      return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia());
    }, what + ", K-means");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void mixturesOnTwoShardsAreTheOneDeviceFit(String what, ClDeviceInfo device, KernelConfig config) {
    Dataset data = TestData.blobs(N, D, 4, CHUNK_ROWS, 311);
    for (CovarianceType type : CovarianceType.values()) {
      GaussianMixture gm = GaussianMixture.k(4).covariance(type).seed(312).maxIter(15);
      compare(device, config, engine -> {
        GaussianMixtureResult r = gm.fit(data, engine);
        return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().lowerBound());
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
      return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().inertia());
    }, what + ", one chunk, K-means");
    GaussianMixture gm = GaussianMixture.k(4).covariance(CovarianceType.DIAG).seed(324).maxIter(15);
    compare(device, config, engine -> {
      GaussianMixtureResult r = gm.fit(data, engine);
      return new Outcome(r.labels().toArray(), r.model().iterations(), r.model().lowerBound());
    }, what + ", one chunk, diag");
  }

  private record Outcome(int[] labels, int iterations, double objective) {}

  private static void compare(ClDeviceInfo device, KernelConfig config, Function<Engine, Outcome> fit, String what) {
    long live = OpenCl.liveObjects();
    Outcome one;
    Outcome two;
    try (OpenClEngine single = OpenClEngine.create(device, config)) {
      one = fit.apply(single);
    }
    try (ShardedEngine sharded = new ShardedEngine(
        List.of(OpenClEngine.create(device, config), OpenClEngine.create(device, config)))) {
      two = fit.apply(sharded);
    }
    assertArrayEquals(one.labels(), two.labels(), what + ": labels");
    assertEquals(one.iterations(), two.iterations(), what + ": iterations");
    Reference.assertClose(one.objective(), two.objective(), 1e-6, 1.0, what + ": objective");
    assertEquals(live, OpenCl.liveObjects(), what + ": both shards' engines released everything");
  }
}
