package io.clmix.engine.opencl;

import static io.clmix.engine.opencl.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.KMeansReference;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.TestData;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kernel shape on the test device: the CPU default (one work-item per group) and the
 * GPU shapes (many work-items, barriers, tree reductions, statistics columns shared among
 * work-items, the register-tiled Lloyd kernel with its cross-work-item argmin and mask-driven
 * accumulation, and its split variant), so CI on PoCL exercises the code paths a GPU takes.
 */
class KernelConfigsTest {
  static Stream<KernelConfig> configs() {
    return Stream.of(
        new KernelConfig(1, 2, 4, 512, 0, 0, 8),    // CPU default
        new KernelConfig(128, 1, 2, 8, 32, 0, 8),   // GPU default shape, 32 accumulating work-items
        new KernelConfig(64, 2, 1, 3, 4, 0, 3),     // columns shared by 4 work-items, odd tiles
        new KernelConfig(32, 4, 2, 1, 1, 0, 8),     // one tile per group
        new KernelConfig(8, 1, 4, 5, 8, 0, 2),      // more accumulating work-items than columns
        new KernelConfig(128, 4, 2, 8, 0, 0, 8).withKmGroups(4),   // register-tiled Lloyd kernel, fused
        new KernelConfig(64, 2, 1, 3, 0, 0, 3).withKmGroups(2),    // tiled kernel, 2 x 8 register tiles, odd tiles
        new KernelConfig(32, 1, 4, 1, 0, 0, 8).withKmGroups(8),    // tiled kernel, 8 work-items per point
        new KernelConfig(128, 4, 2, 8, 0, 0, 8).withKmGroups(4).withKmAccumulation(true, 4)); // GPU default: split
  }

  @ParameterizedTest
  @MethodSource("configs")
  void passesMatchTheReference(KernelConfig config) {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Dataset data = TestData.weighted(TestData.blobs(3001, 5, 6, 700, 31), 32);
    Centroids c = TestData.someCentres(data, 37, 33);
    KMeansReference ref = new KMeansReference(data, c);
    int n = 3001;
    try (OpenClEngine engine = OpenClEngine.create(device, config.withMaxBlockBytes(4L * 5 * 1234));
        DataSession s = engine.open(data)) {
      SufficientStats st = s.assign(c);
      assertEquals(config.kmGroups() > 0 ? 1 : 0, ((OpenClSession) s).gemmPasses(), config + ": Lloyd kernel");
      assertEquals(config.kmGroups() > 0 && config.kmAccSplit() ? 1 : 0, ((OpenClSession) s).splitPasses(),
          config + ": split variant");
      assertArrayEquals(ref.labels, s.labels().toArray(), config + ": labels");
      assertClose(ref.weight, st.weight(), 1e-6, 1.0, config + ": weights");
      assertClose(ref.sum, st.sum(), 2e-5, 30.0, config + ": sums");
      assertClose(ref.inertia, st.objective(), 2e-5, 1.0, config + ": inertia");
      assertEquals(n, st.changed());
      assertEquals(0, s.assign(c).changed());

      int[] labels = new int[n];
      s.pointwise(c, (chunk, first, rows, lab, val, comp) -> System.arraycopy(lab, 0, labels, (int) first, rows));
      assertArrayEquals(ref.labels, labels, config + ": pointwise labels");

      float[] first = data.localRow(5);
      double pot = 0;
      double[] trial = new double[3];
      float[] cands = new float[3 * 5];
      for (int t = 0; t < 3; t++) {
        System.arraycopy(data.localRow(400 * t + 9), 0, cands, t * 5, 5);
      }
      for (int i = 0; i < n; i++) {
        double dx = KMeansReference.sq(data.localRow(i), first, 0, 5);
        pot += data.weight(i) * dx;
        for (int t = 0; t < 3; t++) {
          trial[t] += data.weight(i) * Math.min(dx, KMeansReference.sq(data.localRow(i), cands, t * 5, 5));
        }
      }
      assertClose(pot, s.seedStart(first), 2e-5, 1.0, config + ": potential");
      assertClose(trial, s.seedTrial(cands, 3), 2e-5, 1.0, config + ": trials");
    }
  }

  @ParameterizedTest
  @MethodSource("configs")
  void tiledCentresAndGlobalStatisticsMatchTheReference(KernelConfig config) {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    int k = 2100;
    int d = 64;
    Dataset data = TestData.blobs(700, d, 30, 700, 34);
    Centroids c = TestData.someCentres(data, k, 35);
    KMeansReference ref = new KMeansReference(data, c);
    try (OpenClEngine engine = OpenClEngine.create(device, config); DataSession s = engine.open(data)) {
      SufficientStats st = s.assign(c);
      assertEquals(config.kmGroups() > 0 ? 1 : 0, ((OpenClSession) s).gemmPasses(), config + ": Lloyd kernel");
      assertArrayEquals(ref.labels, s.labels().toArray(), config + ": labels");
      assertClose(ref.weight, st.weight(), 1e-6, 1.0, config + ": weights");
      assertClose(ref.sum, st.sum(), 2e-5, 30.0, config + ": sums");
      assertClose(ref.inertia, st.objective(), 2e-5, 1.0, config + ": inertia");
      int[] labels = new int[700];
      s.pointwise(c, (chunk, first, rows, lab, val, comp) -> System.arraycopy(lab, 0, labels, (int) first, rows));
      assertArrayEquals(ref.labels, labels, config + ": pointwise labels");
    }
  }

  /**
   * The GPU defaults on a GPU-like device (48 KB of local memory) against the Java engine on
   * uniform data, where many points lie near decision boundaries: the register-tiled kernel's
   * scores are the scan kernel's and the Java engine's bit for bit, so every label agrees.
   */
  @org.junit.jupiter.api.Test
  void gpuDefaultsChooseTheJavaEnginesLabels() {
    ClDeviceInfo gpu = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 48 << 10);
    java.util.Random rnd = new java.util.Random(61);
    io.clmix.data.DatasetBuilder b = Dataset.builder(32, 4096);
    double[] row = new double[32];
    for (int i = 0; i < 20000; i++) {
      for (int j = 0; j < 32; j++) {
        row[j] = rnd.nextDouble() * 10 - 3;
      }
      b.addRow(row);
    }
    Dataset data = b.build();
    Centroids c = TestData.someCentres(data, 64, 62);
    try (OpenClEngine engine = OpenClEngine.create(gpu);
        io.clmix.engine.java.JavaEngine java = new io.clmix.engine.java.JavaEngine(2);
        DataSession s = engine.open(data);
        DataSession j = java.open(data)) {
      for (int it = 0; it < 3; it++) {
        SufficientStats a = s.assign(c);
        SufficientStats r = j.assign(c);
        assertArrayEquals(j.labels().toArray(), s.labels().toArray(), "iteration " + it + ": labels");
        assertArrayEquals(r.weight(), a.weight(), 0.0, "iteration " + it + ": counts");
        assertEquals(r.changed(), a.changed());
        assertClose(r.sum(), a.sum(), 1e-6, 10000, "iteration " + it + ": sums");
        assertClose(r.objective(), a.objective(), 1e-6, 1.0, "iteration " + it + ": inertia");
        float[] v = c.values().clone();
        for (int q = 0; q < 64; q++) {
          for (int jj = 0; jj < 32; jj++) {
            if (r.weight()[q] > 0) {
              v[q * 32 + jj] += (float) (r.sum()[q * 32 + jj] / r.weight()[q]);
            }
          }
        }
        c = new Centroids(64, 32, v);
      }
      assertEquals(3, ((OpenClSession) s).gemmPasses(), "the register-tiled kernel ran");
    }
  }
}
