package io.clmix.engine.java;

import static io.clmix.engine.java.GaussianPassTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import io.clmix.engine.java.GaussianPassTest.Case;
import io.clmix.model.CovarianceType;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows that kept one component, read once for their log-density and statistics
 * ({@link LoneRows}): the same log-density bits as {@link ExactDensities}, the same statistics
 * and objective as listing them ({@link BlockPairs}) and as the double reference up to summation
 * order, bit for bit the same with any thread count, and rows no component can hold left to the
 * lists.
 */
class LoneRowsTest extends VectorEngineTest {
  /** As GaussianPassTest's: double computations summed in another order. */
  private static final double TOL = 1e-10;
  private static final double NEVER_DENSE = Double.POSITIVE_INFINITY;

  private static VectorGaussianPass pass(JavaEngine engine, Dataset data, boolean lone) {
    return new VectorGaussianPass(engine, data, Blocks.of(data), VectorGaussianPass.Pruning.OFF, NEVER_DENSE, false,
        lone);
  }

  static Stream<Arguments> cases() {
    List<Case> sets = List.of(
        // d not a multiple of any vector width: the padded last vector.
        new Case("d=7 k=5", new Blobs(3000, 7, 5, 21, 1.0, 10.0).generate(), 5, 1.0),
        new Case("d=32 k=8", new Blobs(3000, 32, 8, 22, 1.0, 10.0).generate(), 8, 1.0),
        // Chunks of 700 rows: blocks with ragged ends; zero and unequal weights.
        new Case("d=13 k=6 weighted, chunks", GaussianPassTest.weighted(new Blobs(4000, 13, 6, 23, 1.0, 10.0)
            .generate(700)), 6, 1.0),
        new Case("d=1 k=3", new Blobs(2000, 1, 3, 24, 0.5, 20.0).generate(), 3, 0.5));
    return sets.stream().flatMap(c -> Stream.of(CovarianceType.DIAG, CovarianceType.SPHERICAL)
        .flatMap(t -> Stream.of(Responsibilities.SOFT, Responsibilities.HARD).map(m -> Arguments.of(c, t, m))));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void loneRowsGiveTheListedPairsResults(Case c, CovarianceType t, Responsibilities mode) {
    MixtureParams p = GaussianPassTest.mixture(c, t, 61);
    VectorGaussianPass lone = pass(engine, c.data(), true);
    VectorGaussianPass listed = pass(engine, c.data(), false);
    SufficientStats a = lone.expect(p, mode);
    SufficientStats b = listed.expect(p, mode);
    SufficientStats r = new ReferenceGaussianPass(engine, c.data(), Blocks.of(c.data())).expect(p, mode);
    assertTrue(lone.loneFraction() > 0.1, c + " " + t + ": lone rows " + lone.loneFraction());
    assertEquals(0.0, listed.loneFraction(), 0.0, "no lone rows when switched off");
    for (SufficientStats x : List.of(b, r)) {
      String what = c + " " + t + " " + mode + (x == b ? " against the listed pairs" : " against the reference");
      assertClose(x.weight(), a.weight(), what + ": weights");
      assertClose(x.sum(), a.sum(), what + ": sums");
      assertClose(x.scatter(), a.scatter(), what + ": scatter");
      assertEquals(x.objective(), a.objective(), TOL * Math.abs(x.objective()), what + ": objective");
    }
  }

  @Test
  void theLogDensityHasTheBitsOfTheRowByRowOne() {
    for (int d : new int[] {1, 7, 16, 32, 33}) {
      Case c = new Case("d=" + d, new Blobs(500, d, 4, 25, 1.0, 10.0).generate(), 4, 1.0);
      for (CovarianceType t : List.of(CovarianceType.DIAG, CovarianceType.SPHERICAL)) {
        MixtureParams p = GaussianPassTest.mixture(c, t, 62);
        ExactDensities dens = new ExactDensities(p);
        LoneRows lone = new LoneRows(dens, p.k(), d);
        double[] scratch = new double[dens.scratchLength()];
        float[] x = c.data().chunkValues(0, null);
        for (int row = 0; row < 500; row++) {
          int comp = row % p.k();
          double expected = dens.logDensity(x, row * d, comp, scratch);
          assertEquals(expected, lone.add(x, row * d, comp, 1.0), 0.0, "d=" + d + " " + t + " row " + row);
        }
      }
    }
  }

  @Test
  void loneResultsDoNotDependOnTheThreadCount() {
    // 140 blocks: more than Blocks.MAX_SLABS, so a slab sums several blocks' lone rows in turn.
    Case c = new Case("d=16 k=16", Blobs.of(70000, 16, 16, 26).generate(30000), 16, 1.0);
    for (CovarianceType t : List.of(CovarianceType.DIAG, CovarianceType.SPHERICAL)) {
      MixtureParams p = GaussianPassTest.mixture(c, t, 63);
      try (JavaEngine one = new JavaEngine(1); JavaEngine four = new JavaEngine(4)) {
        VectorGaussianPass pa = pass(one, c.data(), true);
        SufficientStats a = pa.expect(p, Responsibilities.SOFT);
        SufficientStats b = pass(four, c.data(), true).expect(p, Responsibilities.SOFT);
        assertTrue(pa.loneFraction() > 0.5, t + ": lone rows " + pa.loneFraction());
        assertArrayEquals(a.weight(), b.weight(), 0.0, t + ": weights");
        assertArrayEquals(a.sum(), b.sum(), 0.0, t + ": sums");
        assertArrayEquals(a.scatter(), b.scatter(), 0.0, t + ": scatter");
        assertEquals(a.objective(), b.objective(), 0.0, t + ": objective");
      }
    }
  }

  @Test
  void aRowNoComponentCanHoldAddsNothing() {
    int d = 5;
    int k = 2;
    double[] means = new double[k * d];
    double[] factors = new double[k * d];
    Arrays.fill(factors, 1e200); // (x - mean)^2 u^2 overflows: a Mahalanobis distance of infinity
    MixtureParams p = new MixtureParams(k, d, CovarianceType.DIAG, means, factors, new double[] {-1, -1});
    LoneRows lone = new LoneRows(new ExactDensities(p), k, d);
    float[] x = {1, 2, 3, 4, 5};
    assertEquals(Double.NEGATIVE_INFINITY, lone.add(x, 0, 1, 2.0), 0.0, "log-density");
    assertEquals(0, lone.rows(), "rows taken");
    SufficientStats st = new SufficientStats(k, d, Scatter.DIAG);
    lone.flushInto(st);
    assertArrayEquals(new double[k], st.weight(), 0.0, "weights");
    assertArrayEquals(new double[k * d], st.sum(), 0.0, "sums");
    assertArrayEquals(new double[k * d], st.scatter(), 0.0, "squares");
  }

  @Test
  void rowsNoComponentCanHoldGoTheListedWay() {
    // One component whose log-weight is -infinity: every row keeps it alone, none has a finite
    // log-density, so every row falls back to the lists and both passes agree bit for bit.
    Case c = new Case("d=6 k=1", new Blobs(1500, 6, 1, 27, 1.0, 10.0).generate(), 1, 1.0);
    for (CovarianceType t : List.of(CovarianceType.DIAG, CovarianceType.SPHERICAL)) {
      MixtureParams q = GaussianPassTest.mixture(c, t, 64);
      MixtureParams p = new MixtureParams(1, q.d(), q.type(), q.means(), q.precisionCholesky(),
          new double[] {Double.NEGATIVE_INFINITY});
      for (Responsibilities mode : List.of(Responsibilities.SOFT, Responsibilities.HARD)) {
        VectorGaussianPass lone = pass(engine, c.data(), true);
        SufficientStats a = lone.expect(p, mode);
        SufficientStats b = pass(engine, c.data(), false).expect(p, mode);
        assertEquals(0.0, lone.loneFraction(), 0.0, t + " " + mode + ": no row taken alone");
        assertEquals(Double.NEGATIVE_INFINITY, a.objective(), 0.0, t + " " + mode + ": objective");
        assertEquals(b.objective(), a.objective(), 0.0, t + " " + mode + ": objective");
        assertArrayEquals(b.weight(), a.weight(), 0.0, t + " " + mode + ": weights");
        assertArrayEquals(b.sum(), a.sum(), 0.0, t + " " + mode + ": sums");
        assertArrayEquals(b.scatter(), a.scatter(), 0.0, t + " " + mode + ": scatter");
      }
    }
  }

  @Test
  void flushingAddsEachComponentsRowsOnceAndStartsAgain() {
    int d = 3;
    int k = 2;
    MixtureParams p = new MixtureParams(k, d, CovarianceType.DIAG, new double[] {0, 0, 0, 10, 10, 10},
        new double[] {1, 1, 1, 1, 1, 1}, new double[] {-1, -2});
    LoneRows lone = new LoneRows(new ExactDensities(p), k, d);
    float[] x = {1, 2, 3, 11, 9, 10};
    lone.add(x, 0, 0, 2.0);
    lone.add(x, 3, 1, 0.5);
    SufficientStats st = new SufficientStats(k, d, Scatter.DIAG);
    lone.flushInto(st);
    lone.flushInto(st); // nothing left to add
    assertArrayEquals(new double[] {2.0, 0.5}, st.weight(), 0.0, "weights");
    assertArrayEquals(new double[] {2, 4, 6, 0.5, -0.5, 0}, st.sum(), 0.0, "sums of w (x - mean)");
    assertArrayEquals(new double[] {2, 8, 18, 0.5, 0.5, 0}, st.scatter(), 0.0, "sums of w (x - mean)^2");
    lone.add(x, 0, 0, 1.0);
    lone.flushInto(st);
    assertArrayEquals(new double[] {3.0, 0.5}, st.weight(), 0.0, "weights after a second flush");
    assertArrayEquals(new double[] {3, 6, 9, 0.5, -0.5, 0}, st.sum(), 0.0, "sums after a second flush");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = CovarianceType.class, names = {"DIAG", "SPHERICAL"})
  void rowsThatKeepTwoComponentsGiveTheListedPairsResults(CovarianceType t) {
    // Five components on four blobs: at least two share a blob, and its rows keep both.
    Case c = new Case("d=16 k=5 on 4 blobs", new Blobs(6000, 16, 4, 28, 1.0, 10.0).generate(), 5, 1.0);
    for (long seed = 65; seed < 68; seed++) {
      MixtureParams p = GaussianPassTest.mixture(c, t, seed);
      VectorGaussianPass lone = pass(engine, c.data(), true);
      SufficientStats a = lone.expect(p, Responsibilities.SOFT);
      SufficientStats b = pass(engine, c.data(), false).expect(p, Responsibilities.SOFT);
      SufficientStats r = new ReferenceGaussianPass(engine, c.data(), Blocks.of(c.data())).expect(p,
          Responsibilities.SOFT);
      String what = t + " seed " + seed;
      assertTrue(lone.twoFraction() > 0.05, what + ": rows keeping two " + lone.twoFraction());
      for (SufficientStats x : List.of(b, r)) {
        String against = what + (x == b ? " against the listed pairs" : " against the reference");
        assertClose(x.weight(), a.weight(), against + ": weights");
        assertClose(x.sum(), a.sum(), against + ": sums");
        assertClose(x.scatter(), a.scatter(), against + ": scatter");
        assertEquals(x.objective(), a.objective(), TOL * Math.abs(x.objective()), against + ": objective");
      }
      // Hard passes list the rows that kept two: none goes to addTwo, and the results agree.
      VectorGaussianPass hardLone = pass(engine, c.data(), true);
      SufficientStats h = hardLone.expect(p, Responsibilities.HARD);
      assertEquals(0.0, hardLone.twoFraction(), 0.0, what + ": hard passes take no row as two");
      assertEquals(pass(engine, c.data(), false).expect(p, Responsibilities.HARD).objective(), h.objective(),
          TOL * Math.abs(h.objective()), what + ": hard objective");
    }
  }

  @Test
  void aRowWhoseTwoComponentsCannotHoldItGoesTheListedWay() {
    int d = 3;
    int k = 2;
    MixtureParams p = new MixtureParams(k, d, CovarianceType.DIAG, new double[] {0, 0, 0, 1, 1, 1},
        new double[] {1, 1, 1, 1, 1, 1}, new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
    LoneRows lone = new LoneRows(new ExactDensities(p), k, d);
    double[] lp = {7, 7};
    assertTrue(Double.isNaN(lone.addTwo(new float[] {1, 2, 3}, 0, 0, 1, 1.0, lp)), "not taken");
    assertArrayEquals(new double[] {7, 7}, lp, 0.0, "log-densities left as they were");
    SufficientStats st = new SufficientStats(k, d, Scatter.DIAG);
    lone.flushInto(st);
    assertArrayEquals(new double[k], st.weight(), 0.0, "nothing added");
    assertEquals(0, lone.twoRows(), "rows taken");
  }

  @Test
  void twoComponentsShareTheRowByTheirResponsibilities() {
    int d = 2;
    int k = 2;
    // Unit variances, means 0 and 2, equal log normalisers: the row (1, 0) lies halfway.
    MixtureParams p = new MixtureParams(k, d, CovarianceType.DIAG, new double[] {0, 0, 2, 0},
        new double[] {1, 1, 1, 1}, new double[] {-1, -1});
    LoneRows lone = new LoneRows(new ExactDensities(p), k, d);
    double[] lp = new double[2];
    double logp = lone.addTwo(new float[] {1, 0}, 0, 0, 1, 4.0, lp);
    assertArrayEquals(new double[] {-1.5, -1.5}, lp, 0.0, "log-densities: -1 - |x - mean|^2 / 2");
    assertEquals(-1.5 + Math.log(2), logp, 1e-15, "log p: both halves");
    SufficientStats st = new SufficientStats(k, d, Scatter.DIAG);
    lone.flushInto(st);
    assertArrayEquals(new double[] {2, 2}, st.weight(), 0.0, "half of the weight 4 each");
    assertArrayEquals(new double[] {2, 0, -2, 0}, st.sum(), 0.0, "2 (x - mean)");
    assertArrayEquals(new double[] {2, 0, 2, 0}, st.scatter(), 0.0, "2 (x - mean)^2");
  }
}
