package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The vectorised Gaussian-mixture passes against the double-precision reference: the float32
 * screen only decides which (point, component) pairs are negligible, so statistics, objective
 * and per-point output agree with the reference to double rounding, for every covariance type,
 * soft and hard, on separated and overlapping clusters, odd dimensions, weights and chunks.
 */
class GaussianPassTest extends VectorEngineTest {
  /** Double computations summed in another order: a few ulp, times the cancellation in the sums. */
  private static final double TOL = 1e-10;

  /** A named data set with a mixture to evaluate on it. */
  record Case(String name, Dataset data, int k, double spread) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> sets = List.of(
        new Case("separated d=5 k=4", Blobs.of(3000, 5, 4, 7).generate(), 4, 1.0),
        new Case("overlapping d=8 k=3", new Blobs(2500, 8, 3, 8, 6.0, 10.0).generate(), 3, 6.0),
        new Case("d=16 k=16, several chunks", Blobs.of(5000, 16, 16, 9).generate(700), 16, 1.0),
        new Case("d=1 k=2", new Blobs(1000, 1, 2, 10, 2.0, 5.0).generate(), 2, 2.0),
        new Case("d=13 k=7 weighted", weighted(new Blobs(2000, 13, 7, 11, 3.0, 10.0).generate()), 7, 3.0));
    List<Arguments> out = new ArrayList<>();
    for (Case c : sets) {
      for (CovarianceType t : CovarianceType.values()) {
        out.add(Arguments.of(c, t));
      }
    }
    return out.stream();
  }

  /** Weights in [0, 3), one in ten exactly zero. */
  static Dataset weighted(Dataset data) {
    SplittableRandom rng = new SplittableRandom(3);
    double[] w = new double[(int) data.rows()];
    for (int i = 0; i < w.length; i++) {
      w[i] = i % 10 == 0 ? 0 : 3 * rng.nextDouble();
    }
    return data.withWeights(w);
  }

  /**
   * A mixture near the data: means drawn from the rows, random positive definite covariances of
   * the case's spread (correlated, for full and tied), unequal weights.
   */
  static MixtureParams mixture(Case c, CovarianceType t, long seed) {
    Dataset data = c.data();
    int k = c.k();
    int d = data.cols();
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] means = new double[k][];
    double[] weights = new double[k];
    double total = 0;
    for (int i = 0; i < k; i++) {
      means[i] = data.row(rng.nextLong(data.rows()));
      weights[i] = 0.5 + rng.nextDouble();
      total += weights[i];
    }
    for (int i = 0; i < k; i++) {
      weights[i] /= total;
    }
    double s2 = c.spread() * c.spread();
    double[] cov;
    switch (t) {
      case FULL:
      case TIED: {
        int mats = t == CovarianceType.FULL ? k : 1;
        cov = new double[mats * d * d];
        for (int m = 0; m < mats; m++) {
          double[] a = new double[d * d];
          for (int i = 0; i < d * d; i++) {
            a[i] = rng.nextGaussian() * 0.3;
          }
          for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
              double v = i == j ? 1 : 0;
              for (int q = 0; q < d; q++) {
                v += a[i * d + q] * a[j * d + q];
              }
              cov[(m * d + i) * d + j] = s2 * v;
            }
          }
        }
        break;
      }
      case DIAG:
        cov = new double[k * d];
        for (int i = 0; i < cov.length; i++) {
          cov[i] = s2 * (0.5 + rng.nextDouble());
        }
        break;
      default:
        cov = new double[k];
        for (int i = 0; i < k; i++) {
          cov[i] = s2 * (0.5 + rng.nextDouble());
        }
    }
    return new GaussianMixtureModel(t, weights, means, cov, false, 0, 0).paramsFor(data);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void statisticsMatchTheDoubleReference(Case c, CovarianceType t) {
    MixtureParams p = mixture(c, t, 42);
    Blocks blocks = Blocks.of(c.data());
    VectorGaussianPass vector = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS);
    ReferenceGaussianPass reference = new ReferenceGaussianPass(engine, c.data(), blocks);
    for (Responsibilities mode : Responsibilities.values()) {
      SufficientStats v = vector.expect(p, mode);
      SufficientStats r = reference.expect(p, mode);
      String what = c + " " + t + " " + mode;
      assertClose(r.weight(), v.weight(), what + ": weights");
      assertClose(r.sum(), v.sum(), what + ": sums");
      assertClose(r.scatter(), v.scatter(), what + ": scatter");
      assertEquals(r.objective(), v.objective(), TOL * Math.abs(r.objective()), what + ": objective");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void pointwiseMatchesTheDoubleReference(Case c, CovarianceType t) {
    MixtureParams p = mixture(c, t, 43);
    Blocks blocks = Blocks.of(c.data());
    Output v = new Output(c.data(), p.k());
    Output r = new Output(c.data(), p.k());
    new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS).pointwise(p, v);
    new ReferenceGaussianPass(engine, c.data(), blocks).pointwise(p, r);
    assertArrayEquals(r.labels, v.labels, c + " " + t + ": labels");
    for (int i = 0; i < r.values.length; i++) {
      // Both round a double log p to float: equal, or one float ulp apart at a rounding tie.
      assertEquals(r.values[i], v.values[i], Math.ulp(r.values[i]), c + " " + t + ": log p of row " + i);
    }
    for (int i = 0; i < r.components.length; i++) {
      assertEquals(r.components[i], v.components[i], 1e-6, c + " " + t + ": responsibility " + i);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void hardResponsibilitiesCountEachPointOnceForItsMostLikelyComponent(Case c, CovarianceType t) {
    MixtureParams p = mixture(c, t, 44);
    Blocks blocks = Blocks.of(c.data());
    VectorGaussianPass vector = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS);
    Output out = new Output(c.data(), p.k());
    vector.pointwise(p, out);
    double[] expected = new double[p.k()];
    for (int i = 0; i < out.labels.length; i++) {
      expected[out.labels[i]] += c.data().weight(i);
    }
    SufficientStats hard = vector.expect(p, Responsibilities.HARD);
    assertClose(expected, hard.weight(), c + " " + t + ": hard weights = weights of the pointwise labels");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void pruningTheScreenChangesNoBit(Case c, CovarianceType t) {
    MixtureParams p = mixture(c, t, 46);
    Blocks blocks = Blocks.of(c.data());
    VectorGaussianPass pruned = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS);
    VectorGaussianPass full = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.OFF);
    for (Responsibilities mode : Responsibilities.values()) {
      SufficientStats a = pruned.expect(p, mode);
      SufficientStats b = full.expect(p, mode);
      String what = c + " " + t + " " + mode;
      assertArrayEquals(b.weight(), a.weight(), 0.0, what + ": weights");
      assertArrayEquals(b.sum(), a.sum(), 0.0, what + ": sums");
      assertArrayEquals(b.scatter(), a.scatter(), 0.0, what + ": scatter");
      assertEquals(b.objective(), a.objective(), 0.0, what + ": objective");
    }
    Output x = new Output(c.data(), p.k());
    Output y = new Output(c.data(), p.k());
    pruned.pointwise(p, x);
    full.pointwise(p, y);
    assertArrayEquals(y.labels, x.labels, c + " " + t + ": labels");
    assertArrayEquals(y.values, x.values, 0f, c + " " + t + ": log p");
    assertArrayEquals(y.components, x.components, 0f, c + " " + t + ": responsibilities");
  }

  @Test
  void onSeparatedClustersTheBoundsSkipMostOfTheScreen() {
    // The mixture at the blobs' own centres: after one pass has found each row's component,
    // the distances between means prove most components negligible without computing them.
    Blobs blobs = Blobs.of(20000, 16, 16, 12);
    Dataset data = blobs.generate(3000);
    double[] w = filled(16, 1.0 / 16);
    for (CovarianceType t : CovarianceType.values()) {
      double[] cov = t == CovarianceType.FULL ? identities(16, 16) : t == CovarianceType.TIED ? identities(1, 16)
          : t == CovarianceType.DIAG ? filled(16 * 16, 1.0) : filled(16, 1.0);
      MixtureParams p = new GaussianMixtureModel(t, w, blobs.centres(), cov, false, 0, 0).paramsFor(data);
      VectorGaussianPass full = new VectorGaussianPass(engine, data, Blocks.of(data), VectorGaussianPass.Pruning.OFF);
      full.expect(p, Responsibilities.SOFT);
      full.expect(p, Responsibilities.SOFT);
      assertEquals(1.0, full.screenedFraction(), 0.0, t + ": without pruning every component is screened");
      VectorGaussianPass pruned = new VectorGaussianPass(engine, data, Blocks.of(data), VectorGaussianPass.Pruning.ALWAYS);
      pruned.expect(p, Responsibilities.SOFT);
      double first = pruned.screenedFraction();
      pruned.expect(p, Responsibilities.SOFT);
      pruned.expect(p, Responsibilities.SOFT);
      double later = (3 * pruned.screenedFraction() - first) / 2;
      assertTrue(later < 0.5, t + ": the bounds kept " + later + " of the screen in later passes");
    }
  }

  @Test
  void smallPassesTakeTheDoubleLoopsAndLargeOnesTheVectorKernels() {
    Case small = new Case("n=3000 d=5 k=4", Blobs.of(3000, 5, 4, 7).generate(), 4, 1.0);
    // Diagonal passes do n k d multiply-adds: 33000 x 32 x 32 is just over GaussianPass.SMALL_PASS (2^25).
    Case large = new Case("n=33000 d=32 k=32", Blobs.of(33000, 32, 32, 12).generate(3000), 32, 1.0);
    VectorGaussianPass.Pruning pruning =
        engine.pruning() ? VectorGaussianPass.Pruning.WHERE_IT_PAYS : VectorGaussianPass.Pruning.OFF;
    for (CovarianceType t : CovarianceType.values()) {
      for (Case c : List.of(small, large)) {
        MixtureParams p = mixture(c, t, 47);
        Blocks blocks = Blocks.of(c.data());
        GaussianPass pass = new GaussianPass(engine, c.data(), blocks);
        boolean expectVector = c == large;
        assertEquals(expectVector, pass.vectorFor(p), c + " " + t + ": work " + GaussianPass.work(c.data().rows(), p));
        SufficientStats got = pass.expect(p, Responsibilities.SOFT);
        SufficientStats want = expectVector
            ? new VectorGaussianPass(engine, c.data(), blocks, pruning).expect(p, Responsibilities.SOFT)
            : new ReferenceGaussianPass(engine, c.data(), blocks).expect(p, Responsibilities.SOFT);
        String what = c + " " + t + (expectVector ? ": the vector pass" : ": the double loops");
        assertArrayEquals(want.weight(), got.weight(), 0.0, what);
        assertArrayEquals(want.sum(), got.sum(), 0.0, what);
        assertArrayEquals(want.scatter(), got.scatter(), 0.0, what);
        assertEquals(want.objective(), got.objective(), 0.0, what);
        Output gotPoints = new Output(c.data(), p.k());
        Output wantPoints = new Output(c.data(), p.k());
        pass.pointwise(p, gotPoints);
        if (expectVector) {
          new VectorGaussianPass(engine, c.data(), blocks, pruning).pointwise(p, wantPoints);
        } else {
          new ReferenceGaussianPass(engine, c.data(), blocks).pointwise(p, wantPoints);
        }
        assertArrayEquals(wantPoints.labels, gotPoints.labels, what + ": labels");
        assertArrayEquals(wantPoints.values, gotPoints.values, 0f, what + ": log p");
        assertArrayEquals(wantPoints.components, gotPoints.components, 0f, what + ": responsibilities");
      }
    }
    try (JavaEngine everywhere = new JavaEngine(2, true, false)) {
      MixtureParams p = mixture(small, CovarianceType.FULL, 47);
      assertTrue(new GaussianPass(everywhere, small.data(), Blocks.of(small.data())).vectorFor(p),
          "an engine made without plain loops takes the vector kernels for small passes too");
    }
  }

  @Test
  void byDefaultOnlyFullAndTiedMixturesOfManyColumnsPrune() {
    for (int d : new int[] {16, 47, 48, 64}) {
      Dataset data = new Blobs(50, d, 2, 1, 1.0, 10.0).generate();
      for (CovarianceType t : CovarianceType.values()) {
        double[] cov = t == CovarianceType.FULL ? identities(2, d) : t == CovarianceType.TIED ? identities(1, d)
            : t == CovarianceType.DIAG ? filled(2 * d, 1.0) : filled(2, 1.0);
        MixtureParams p = new GaussianMixtureModel(t, new double[] {0.5, 0.5}, new double[][] {data.row(0), data.row(1)},
            cov, false, 0, 0).paramsFor(data);
        boolean expected = d >= 48 && (t == CovarianceType.FULL || t == CovarianceType.TIED);
        assertEquals(expected, VectorGaussianPass.Pruning.WHERE_IT_PAYS.prunes(p), t + " d=" + d);
        assertTrue(VectorGaussianPass.Pruning.ALWAYS.prunes(p), t + " d=" + d);
        assertEquals(false, VectorGaussianPass.Pruning.OFF.prunes(p), t + " d=" + d);
      }
    }
  }

  @Test
  void resultsDoNotDependOnTheThreadCountAndRepeatBitForBit() {
    Case c = new Case("d=16 k=16", Blobs.of(20000, 16, 16, 12).generate(3000), 16, 1.0);
    for (CovarianceType t : CovarianceType.values()) {
      MixtureParams p = mixture(c, t, 45);
      Blocks blocks = Blocks.of(c.data());
      try (JavaEngine one = new JavaEngine(1); JavaEngine four = new JavaEngine(4)) {
        for (Responsibilities mode : Responsibilities.values()) {
          SufficientStats a = new VectorGaussianPass(one, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS).expect(p, mode);
          SufficientStats b = new VectorGaussianPass(four, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS).expect(p, mode);
          SufficientStats again = new VectorGaussianPass(four, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS).expect(p, mode);
          for (SufficientStats x : List.of(b, again)) {
            assertArrayEquals(a.weight(), x.weight(), 0.0, t + " " + mode);
            assertArrayEquals(a.sum(), x.sum(), 0.0, t + " " + mode);
            assertArrayEquals(a.scatter(), x.scatter(), 0.0, t + " " + mode);
            assertEquals(a.objective(), x.objective(), 0.0, t + " " + mode);
          }
        }
      }
    }
  }

  @Test
  void farFromEveryComponentThePassFallsBackToTheReferenceAnswer() {
    // Rows hundreds of standard deviations from every mean: float log-densities in the
    // thousands, whose rounding is far above the differences that decide the posteriors.
    double[][] rows = new double[300][];
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = new double[] {500 + rng.nextDouble(), -400 + rng.nextDouble(), rng.nextGaussian()};
    }
    Case c = new Case("far", Dataset.of(rows), 3, 0.5);
    for (CovarianceType t : CovarianceType.values()) {
      double[][] means = {{0, 0, 0}, {1, 1, 0}, {-1, 2, 0}};
      double[] w = {0.2, 0.3, 0.5};
      double[] cov = t == CovarianceType.FULL ? identities(3, 3) : t == CovarianceType.TIED ? identities(1, 3)
          : t == CovarianceType.DIAG ? filled(9, 1.0) : filled(3, 1.0);
      MixtureParams p = new GaussianMixtureModel(t, w, means, cov, false, 0, 0).paramsFor(c.data());
      Blocks blocks = Blocks.of(c.data());
      SufficientStats v = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.ALWAYS).expect(p, Responsibilities.SOFT);
      SufficientStats r = new ReferenceGaussianPass(engine, c.data(), blocks).expect(p, Responsibilities.SOFT);
      assertClose(r.weight(), v.weight(), t + ": weights");
      assertClose(r.scatter(), v.scatter(), t + ": scatter");
      assertEquals(r.objective(), v.objective(), TOL * Math.abs(r.objective()), t + ": objective");
    }
  }

  private static double[] identities(int m, int d) {
    double[] out = new double[m * d * d];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < d; j++) {
        out[(i * d + j) * d + j] = 1;
      }
    }
    return out;
  }

  private static double[] filled(int n, double v) {
    double[] out = new double[n];
    java.util.Arrays.fill(out, v);
    return out;
  }

  /** Relative to the largest magnitude in the expected array (sums of differences cancel). */
  static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertTrue(Math.abs(expected[i] - actual[i]) <= TOL * scale,
          what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i]);
    }
  }

  /** Collects a pointwise pass into whole-data arrays. */
  private static final class Output implements PointSink {
    final int[] labels;
    final float[] values;
    final float[] components;
    private final int k;

    Output(Dataset data, int k) {
      this.k = k;
      labels = new int[(int) data.rows()];
      values = new float[labels.length];
      components = new float[labels.length * k];
    }

    @Override
    public boolean wantsComponents() {
      return true;
    }

    @Override
    public void accept(int chunk, long firstRow, int rows, int[] lab, float[] val, float[] comp) {
      System.arraycopy(lab, 0, labels, (int) firstRow, rows);
      System.arraycopy(val, 0, values, (int) firstRow, rows);
      System.arraycopy(comp, 0, components, (int) firstRow * k, rows * k);
    }
  }
}
