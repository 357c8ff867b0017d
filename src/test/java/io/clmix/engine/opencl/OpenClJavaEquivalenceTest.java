package io.clmix.engine.opencl;

import static io.clmix.engine.opencl.Reference.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.TestData;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL engine against the Java engine, the reference implementation of the same
 * contract (scikit-learn's backend-equivalence tests): on the same input both choose the same
 * labels, the same counts and changed-counts, and statistics equal to about 1e-6 relative,
 * through several Lloyd iterations, k-means++ seeding and the predict pass.
 */
class OpenClJavaEquivalenceTest {
  /** Relative tolerance between the engines: float32 partial sums against double ones. */
  static final double ENGINES = 1e-6;

  private Engine cl;
  private Engine java;

  @BeforeEach
  void engines() {
    cl = OpenClTestSupport.requireEngine();
    java = new JavaEngine(2);
  }

  @AfterEach
  void close() {
    if (cl != null) {
      cl.close();
    }
    if (java != null) {
      java.close();
    }
  }

  /** Uniform random data: no cluster structure, so many points sit near decision boundaries. */
  private static Dataset uniform(int n, int d, int chunkRows, long seed) {
    Random rnd = new Random(seed);
    DatasetBuilder b = Dataset.builder(d, chunkRows);
    double[] row = new double[d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        row[j] = rnd.nextDouble() * 10 - 3;
      }
      b.addRow(row);
    }
    return b.build();
  }

  private static void assertSameStats(SufficientStats a, SufficientStats b, double scale, String what) {
    assertEquals(a.changed(), b.changed(), what + ": changed");
    assertClose(a.weight(), b.weight(), ENGINES, 1.0, what + ": weights");
    assertClose(a.sum(), b.sum(), ENGINES, scale, what + ": sums");
    assertClose(a.objective(), b.objective(), ENGINES, 1.0, what + ": inertia");
  }

  /** A scale for sums of differences whose value may cancel to near zero: the sum of |x - c| per cluster. */
  private static double scale(Dataset data) {
    return data.rows() * 0.5;
  }

  @Test
  void lloydIterationsAgree() {
    for (boolean weighted : new boolean[] {false, true}) {
      Dataset data = uniform(20000, 7, 3000, 1);
      if (weighted) {
        data = TestData.weighted(data, 2);
      }
      Centroids c = TestData.someCentres(data, 13, 3);
      try (DataSession a = cl.open(data); DataSession b = java.open(data)) {
        for (int it = 0; it < 6; it++) {
          SufficientStats sa = a.assign(c);
          SufficientStats sb = b.assign(c);
          String what = (weighted ? "weighted " : "") + "iteration " + it;
          assertArrayEquals(b.labels().toArray(), a.labels().toArray(), what + ": labels");
          if (!weighted) {
            assertArrayEquals(sb.weight(), sa.weight(), 0.0, what + ": counts are exact");
          }
          assertSameStats(sb, sa, scale(data), what);
          assertArrayEquals(b.farthest(4), a.farthest(4), what + ": farthest");
          c = update(c, sb);
        }
      }
    }
  }

  /** The Lloyd update from statistics about the old centres: c + sum / weight. */
  private static Centroids update(Centroids c, SufficientStats st) {
    int d = c.d();
    float[] v = c.values().clone();
    for (int q = 0; q < c.k(); q++) {
      if (st.weight()[q] > 0) {
        for (int j = 0; j < d; j++) {
          v[q * d + j] = (float) (v[q * d + j] + st.sum()[q * d + j] / st.weight()[q]);
        }
      }
    }
    return new Centroids(c.k(), d, v);
  }

  @Test
  void largerProblemWithManyCentres() {
    Dataset data = TestData.blobs(40000, 32, 64, Dataset.defaultChunkRows(32), 4);
    Centroids c = TestData.someCentres(data, 64, 5);
    try (DataSession a = cl.open(data); DataSession b = java.open(data)) {
      SufficientStats sa = a.assign(c);
      SufficientStats sb = b.assign(c);
      assertArrayEquals(b.labels().toArray(), a.labels().toArray(), "labels");
      assertArrayEquals(sb.weight(), sa.weight(), 0.0, "counts");
      assertSameStats(sb, sa, scale(data), "n=40000, d=32, k=64");
    }
  }

  @Test
  void seedingAgrees() {
    Dataset data = TestData.weighted(uniform(12000, 5, 2500, 6), 7);
    int d = 5;
    Random rnd = new Random(8);
    try (DataSession a = cl.open(data); DataSession b = java.open(data)) {
      float[] first = data.localRow(17);
      double pa = a.seedStart(first);
      double pb = b.seedStart(first);
      assertClose(pb, pa, ENGINES, 1.0, "start potential");
      for (int step = 0; step < 5; step++) {
        double[] targets = new double[4];
        for (int t = 0; t < targets.length; t++) {
          targets[t] = rnd.nextDouble() * pb;
        }
        Arrays.sort(targets);
        long[] ra = a.seedSample(targets);
        long[] rb = b.seedSample(targets);
        assertArrayEquals(rb, ra, "sampled rows, step " + step);
        float[] cands = new float[targets.length * d];
        for (int t = 0; t < targets.length; t++) {
          System.arraycopy(data.localRow(rb[t]), 0, cands, t * d, d);
        }
        double[] ta = a.seedTrial(cands, targets.length);
        double[] tb = b.seedTrial(cands, targets.length);
        assertClose(tb, ta, ENGINES, 1.0, "trial potentials, step " + step);
        int pick = 0;
        for (int t = 1; t < tb.length; t++) {
          if (tb[t] < tb[pick]) {
            pick = t;
          }
        }
        float[] chosen = Arrays.copyOfRange(cands, pick * d, (pick + 1) * d);
        a.seedCommit(chosen);
        b.seedCommit(chosen);
        pb = tb[pick];
      }
    }
  }

  @Test
  void pointwiseAgrees() {
    Dataset data = uniform(9000, 6, 2000, 9);
    Centroids c = TestData.someCentres(data, 11, 10);
    float[][] outA = new float[2][];
    float[][] outB = new float[2][];
    try (DataSession a = cl.open(data); DataSession b = java.open(data)) {
      a.pointwise(c, collector(data, 11, outA));
      b.pointwise(c, collector(data, 11, outB));
    }
    assertArrayEquals(outB[0], outA[0], "labels (as floats)");
    for (int i = 0; i < outB[1].length; i++) {
      assertClose(outB[1][i], outA[1][i], ENGINES, 1.0, "component distance " + i);
    }
  }

  /** Relative tolerance of mixture statistics: both engines score in float32, sum in double. */
  static final double MIXTURE = 1e-5;

  @Test
  void mixtureEStepsAgree() {
    for (boolean weighted : new boolean[] {false, true}) {
      Dataset data = TestData.blobs(12000, 6, 5, 2500, 11);
      if (weighted) {
        data = TestData.weighted(data, 12);
      }
      double n = data.totalWeight();
      try (DataSession a = cl.open(data); DataSession b = java.open(data)) {
        for (CovarianceType t : CovarianceType.values()) {
          MixtureParams p = MixtureReference.random(data, 5, t, 2.0, 13 + t.ordinal());
          for (Responsibilities mode : Responsibilities.values()) {
            String what = (weighted ? "weighted " : "") + t + " " + mode;
            SufficientStats sa = a.expect(p, mode);
            SufficientStats sb = b.expect(p, mode);
            if (mode == Responsibilities.HARD && !weighted) {
              assertArrayEquals(sb.weight(), sa.weight(), 0.0, what + ": counts are exact");
            }
            assertClose(sb.weight(), sa.weight(), MIXTURE, n / 5, what + ": weights");
            assertClose(sb.sum(), sa.sum(), MIXTURE, n, what + ": sums");
            assertClose(sb.scatter(), sa.scatter(), MIXTURE, 10 * n, what + ": scatter");
            assertClose(sb.objective(), sa.objective(), MIXTURE, 1.0, what + ": objective");
          }
          int rows = (int) data.rows();
          int[] la = new int[rows];
          int[] lb = new int[rows];
          float[] va = new float[rows];
          float[] vb = new float[rows];
          a.pointwise(p, OpenClMixtureTest.collector(5, la, va, null));
          b.pointwise(p, OpenClMixtureTest.collector(5, lb, vb, null));
          assertArrayEquals(lb, la, t + ": most likely components");
          for (int i = 0; i < rows; i++) {
            assertClose(vb[i], va[i], MIXTURE, 1.0, t + ": log p(x) of row " + i);
          }
        }
      }
    }
  }

  /** Collects labels into out[0] and all component distances into out[1]. */
  private static PointSink collector(Dataset data, int k, float[][] out) {
    int n = (int) data.rows();
    out[0] = new float[n];
    out[1] = new float[n * k];
    return new PointSink() {
      @Override
      public boolean wantsComponents() {
        return true;
      }

      @Override
      public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
        for (int i = 0; i < rows; i++) {
          out[0][(int) firstRow + i] = labels[i];
        }
        System.arraycopy(components, 0, out[1], (int) firstRow * k, rows * k);
      }
    };
  }

  /**
   * A mixture may hold a component of weight 0 (scikit-learn's exports can): its log-density is
   * -inf, which the device's split (high and low float) log-normaliser once turned into NaN for
   * every row. Both engines must score and predict such a model alike, and finitely.
   */
  @Test
  void aComponentOfWeightZeroScoresAsOnTheJavaEngine() {
    Dataset data = uniform(500, 3, 128, 11);
    double[][] means = {{0, 0, 0}, {3, 3, 3}, {6, 0, 2}};
    for (CovarianceType type : CovarianceType.values()) {
      double[] cov = new double[io.clmix.model.Covariances.length(type, 3, 3)];
      boolean matrices = type == CovarianceType.FULL || type == CovarianceType.TIED;
      for (int m = 0; m < cov.length / (matrices ? 9 : 1); m++) {
        if (matrices) {
          for (int j = 0; j < 3; j++) {
            cov[m * 9 + j * 4] = 2.0 + m; // the identity times 2 + m
          }
        } else {
          cov[m] = 2.0 + m % 3;
        }
      }
      io.clmix.model.GaussianMixtureModel model = new io.clmix.model.GaussianMixtureModel(type,
          new double[] {0.5, 0, 0.5}, means, cov, true, 1, -5);
      double[] onCl = model.scoreSamples(data, cl);
      double[] onJava = model.scoreSamples(data, java);
      for (int i = 0; i < onJava.length; i++) {
        assertEquals(onJava[i], onCl[i], 1e-5 * Math.abs(onJava[i]), type + ": row " + i);
      }
      double[][] proba = model.predictProba(data, cl);
      for (double[] row : proba) {
        assertEquals(0.0, row[1], type + ": the empty component's probability");
      }
    }
  }
}
