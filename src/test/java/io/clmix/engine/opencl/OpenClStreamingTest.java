package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.KMeansReference;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.StreamingEngine;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.TestData;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data streamed through the device give the same bits as resident data: every pass (Lloyd,
 * seeding, mixture E-steps, per-point) on a session over a memory budget too small for the
 * data, against a resident session with the same configuration, with the per-row state on the
 * device and (a budget too small for it too) on the host, data in several blocks, under the
 * CPU default and GPU-shaped configurations (including the GPU default's register-tiled Lloyd
 * kernel and masked mixture jobs).
 */
class OpenClStreamingTest {
  static final int N = 5003;
  static final int D = 5;

  static Stream<Arguments> cases() {
    KernelConfig cpu = new KernelConfig(1, 2, 4, 512, 0, 0, 8).withMaxBlockBytes(4L * D * 3000);
    KernelConfig gpuShape = new KernelConfig(64, 2, 1, 3, 4, 0, 3).withGmm(1, 2, 2).withMaxBlockBytes(4L * D * 3000);
    KernelConfig gpuDefault = new KernelConfig(128, 4, 2, 8, 0, 0, 8).withKmGroups(4).withGmm(1, 2, 4)
        .withMaxBlockBytes(4L * D * 3000);
    // Resident, the data take 180 KB. 150 KB: the state (60 KB) stays on the device, a buffer
    // set holds ~940 rows (units of whole groups, several per block of 3000 rows). 30 KB: the
    // state moves to the host too.
    List<Arguments> out = new ArrayList<>();
    for (KernelConfig c : new KernelConfig[] {cpu, gpuShape, gpuDefault}) {
      out.add(Arguments.of(c, 150_000L, true));
      out.add(Arguments.of(c, 30_000L, false));
    }
    return out.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void streamedPassesGiveTheSameBitsAsResidentOnes(KernelConfig config, long budget, boolean stateOnDevice) {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.weighted(TestData.blobs(N, D, 6, 1100, 51), 52);
    Centroids c = TestData.someCentres(data, 7, 53);
    String what = config + ", budget " + budget;
    long live = OpenCl.liveObjects();
    try (OpenClEngine resident = OpenClEngine.create(device, config);
        OpenClEngine streamed = OpenClEngine.create(device, config.withDeviceMemoryBudget(budget));
        DataSession a = resident.open(data);
        DataSession b = streamed.open(data)) {
      assertFalse(((OpenClSession) a).streaming(), "the resident session holds the data");
      assertTrue(((OpenClSession) b).streaming(), what + ": the budget forces streaming");
      assertEquals(stateOnDevice, ((OpenClSession) b).stateOnDevice(), what + ": where the state lives");

      for (int it = 0; it < 3; it++) {
        SufficientStats sa = a.assign(c);
        SufficientStats sb = b.assign(c);
        assertSameBits(sa, sb, what + ": assign " + it);
        assertArrayEquals(a.labels().toArray(), b.labels().toArray(), what + ": labels");
        assertArrayEquals(a.farthest(5), b.farthest(5), what + ": farthest");
        c = shifted(c, it);
      }

      float[] first = data.localRow(11);
      assertEquals(a.seedStart(first), b.seedStart(first), 0.0, what + ": potential");
      float[] cands = new float[3 * D];
      for (int t = 0; t < 3; t++) {
        System.arraycopy(data.localRow(900 * t + 5), 0, cands, t * D, D);
      }
      assertArrayEquals(a.seedTrial(cands, 3), b.seedTrial(cands, 3), 0.0, what + ": trials");
      float[] second = data.localRow(4000);
      a.seedCommit(second);
      b.seedCommit(second);
      double[] targets = {1.0, 1234.5, 20000.25};
      assertArrayEquals(a.seedSample(targets), b.seedSample(targets), what + ": samples");
      float[] two = java.util.Arrays.copyOf(cands, 2 * D);
      assertArrayEquals(a.seedTrial(two, 2), b.seedTrial(two, 2), 0.0, what + ": trials after commit");

      for (CovarianceType t : CovarianceType.values()) {
        MixtureParams p = MixtureReference.random(data, 6, t, 1.5, 54 + t.ordinal());
        for (Responsibilities mode : Responsibilities.values()) {
          assertSameBits(a.expect(p, mode), b.expect(p, mode), what + ": " + t + " " + mode);
        }
        int[] la = new int[N];
        int[] lb = new int[N];
        float[] va = new float[N];
        float[] vb = new float[N];
        float[] ra = new float[N * 6];
        float[] rb = new float[N * 6];
        a.pointwise(p, OpenClMixtureTest.collector(6, la, va, ra));
        b.pointwise(p, OpenClMixtureTest.collector(6, lb, vb, rb));
        assertArrayEquals(la, lb, what + ": " + t + " labels");
        assertArrayEquals(va, vb, 0f, what + ": " + t + " log p(x)");
        assertArrayEquals(ra, rb, 0f, what + ": " + t + " responsibilities");
      }
      int[] la = new int[N];
      int[] lb = new int[N];
      a.pointwise(c, (chunk, firstRow, rows, lab, val, comp) -> System.arraycopy(lab, 0, la, (int) firstRow, rows));
      b.pointwise(c, (chunk, firstRow, rows, lab, val, comp) -> System.arraycopy(lab, 0, lb, (int) firstRow, rows));
      assertArrayEquals(la, lb, what + ": K-means pointwise labels");
      // 2 blocks of at most 3000 rows, each cut into several units, for each of the passes.
      long passes = 3 + 4 + 8;
      assertTrue(((OpenClSession) b).uploads() >= 3 * passes, what + ": " + ((OpenClSession) b).uploads() + " units");
    }
    assertEquals(live, OpenCl.liveObjects(), what + ": everything released");
  }

  @Test
  void aFitRunsTheSameOnAStreamingSession() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(N, D, 4, 1100, 55);
    try (OpenClEngine resident = OpenClEngine.create(device);
        OpenClEngine streamed = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(150_000))) {
      KMeansResult a = KMeans.k(4).nInit(2).seed(3).fit(data, resident);
      KMeansResult b = KMeans.k(4).nInit(2).seed(3).fit(data, streamed);
      OpenClReproducibilityTest.assertBitIdentical(a, b, "resident against streamed");
    }
  }

  @Test
  void openStreamingStreamsEvenSmallData() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(500, 3, 2, 500, 56);
    try (OpenClEngine engine = OpenClEngine.create(device); DataSession s = engine.openStreaming(data)) {
      assertTrue(((OpenClSession) s).streaming());
      Centroids c = TestData.someCentres(data, 2, 57);
      assertArrayEquals(new KMeansReference(data, c).labels, labelsAfterAssign(s, c));
    }
  }

  private static int[] labelsAfterAssign(DataSession s, Centroids c) {
    s.assign(c);
    return s.labels().toArray();
  }

  @Test
  void aBudgetTooSmallForOneRowIsAnAllocationFailure() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(500, 3, 2, 500, 58);
    try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withDeviceMemoryBudget(40))) {
      EngineException e = assertThrows(EngineException.class, () -> engine.open(data));
      assertEquals(EngineException.Kind.ALLOCATION, e.kind());
      assertTrue(e.getMessage().contains("budget"), e.getMessage());
    }
  }

  /**
   * The reliability layer's hook: a device whose resident upload runs out of memory continues
   * with the data streamed on the same device (FallbackEngine asks a StreamingEngine), and the
   * fit ends with the bits a resident fit has.
   */
  @Test
  void anAllocationFailureContinuesStreamedOnTheSameDevice() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.blobs(N, D, 4, 1100, 59);
    try (OpenClEngine plain = OpenClEngine.create(device)) {
      KMeansResult expected = KMeans.k(4).seed(5).fit(data, plain);
      FallbackEngine guarded = FallbackEngine.strict(new OutOfMemoryOnUpload(OpenClEngine.create(device)), "--device test");
      try (guarded; DataSession s = guarded.open(data)) {
        assertNotNull(s.fallbackReason(), "the session says it streams");
        assertTrue(s.fallbackReason().contains("streamed"), s.fallbackReason());
        OpenClReproducibilityTest.assertBitIdentical(expected, KMeans.k(4).seed(5).fit(s), "after the fallback");
      }
    }
  }

  /** An OpenCL engine whose resident sessions fail as a device out of memory would. */
  private static final class OutOfMemoryOnUpload implements StreamingEngine {
    private final OpenClEngine engine;

    OutOfMemoryOnUpload(OpenClEngine engine) {
      this.engine = engine;
    }

    @Override
    public EngineInfo info() {
      return engine.info();
    }

    @Override
    public DataSession open(Dataset data) {
      throw new EngineException(EngineException.Kind.ALLOCATION, "clCreateBuffer: CL_MEM_OBJECT_ALLOCATION_FAILURE");
    }

    @Override
    public DataSession openStreaming(Dataset data) {
      return engine.openStreaming(data);
    }

    @Override
    public void close() {
      engine.close();
    }
  }

  static void assertSameBits(SufficientStats a, SufficientStats b, String what) {
    assertArrayEquals(a.weight(), b.weight(), 0.0, what + ": weights");
    assertArrayEquals(a.sum(), b.sum(), 0.0, what + ": sums");
    assertArrayEquals(a.scatter(), b.scatter(), 0.0, what + ": scatter");
    assertEquals(a.objective(), b.objective(), 0.0, what + ": objective");
    assertEquals(a.changed(), b.changed(), what + ": changed");
  }

  private static Centroids shifted(Centroids c, int it) {
    float[] v = c.values().clone();
    for (int i = 0; i < v.length; i++) {
      v[i] += 0.1f * ((i + it) % 3 - 1);
    }
    return new Centroids(c.k(), c.d(), v);
  }
}
