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
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dense evaluation of the blocks whose rows keep many components ({@link DenseDiagonalBlock},
 * {@link DenseTriangularBlock}): the same statistics and objective as listing the pairs
 * ({@link BlockPairs}) and as the double reference, up to summation order; taken where the rows
 * overlap, not where they separate; bit for bit the same with any thread count.
 */
class DenseBlockTest extends VectorEngineTest {
  /** Every covariance type: diagonal factors (diag, spherical) and triangular ones (full, tied). */
  private static final List<CovarianceType> TYPES = List.of(CovarianceType.values());
  /** As GaussianPassTest's: double computations summed in another order. */
  private static final double TOL = 1e-10;
  private static final double ALWAYS = 0;
  private static final double NEVER = Double.POSITIVE_INFINITY;

  static Stream<Arguments> cases() {
    List<Case> sets = List.of(
        new Case("overlapping d=8 k=3", new Blobs(2500, 8, 3, 8, 6.0, 10.0).generate(), 3, 6.0),
        // Chunks of 700 rows: blocks and tiles with ragged ends.
        new Case("d=16 k=16, several chunks", Blobs.of(5000, 16, 16, 9).generate(700), 16, 4.0),
        new Case("d=1 k=2", new Blobs(1000, 1, 2, 10, 2.0, 5.0).generate(), 2, 2.0),
        new Case("d=13 k=7 weighted", GaussianPassTest.weighted(new Blobs(2000, 13, 7, 11, 3.0, 10.0).generate()), 7,
            3.0),
        // k x tile larger than L2-friendly sizes, and a mix of one and many kept components.
        new Case("d=3 k=120", new Blobs(3000, 3, 120, 12, 1.0, 10.0).generate(), 120, 1.5));
    return sets.stream().flatMap(c -> TYPES.stream().map(t -> Arguments.of(c, t)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void denseBlocksGiveTheListedPairsStatistics(Case c, CovarianceType t) {
    MixtureParams p = GaussianPassTest.mixture(c, t, 51);
    Blocks blocks = Blocks.of(c.data());
    VectorGaussianPass dense = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.OFF, ALWAYS);
    VectorGaussianPass listed = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.OFF, NEVER);
    ReferenceGaussianPass reference = new ReferenceGaussianPass(engine, c.data(), blocks);
    SufficientStats a = dense.expect(p, Responsibilities.SOFT);
    SufficientStats b = listed.expect(p, Responsibilities.SOFT);
    SufficientStats r = reference.expect(p, Responsibilities.SOFT);
    assertEquals(1.0, dense.denseFraction(), 0.0, "every row evaluated densely");
    assertEquals(0.0, listed.denseFraction(), 0.0, "no row evaluated densely");
    for (SufficientStats x : List.of(b, r)) {
      String what = c + " " + t + (x == b ? " against the listed pairs" : " against the reference");
      assertClose(x.weight(), a.weight(), what + ": weights");
      assertClose(x.sum(), a.sum(), what + ": sums");
      assertClose(x.scatter(), a.scatter(), what + ": scatter");
      assertEquals(x.objective(), a.objective(), TOL * Math.abs(x.objective()), what + ": objective");
    }
  }

  @Test
  void hardPassesAreNeverDense() {
    Case c = new Case("overlapping d=8 k=3", new Blobs(2500, 8, 3, 8, 6.0, 10.0).generate(), 3, 6.0);
    for (CovarianceType t : TYPES) {
      MixtureParams p = GaussianPassTest.mixture(c, t, 52);
      VectorGaussianPass pass =
          new VectorGaussianPass(engine, c.data(), Blocks.of(c.data()), VectorGaussianPass.Pruning.OFF, ALWAYS);
      pass.expect(p, Responsibilities.HARD);
      assertEquals(0.0, pass.denseFraction(), 0.0, t + " hard");
      pass.expect(p, Responsibilities.SOFT);
      assertEquals(0.5, pass.denseFraction(), 0.0, t + " soft after hard");
    }
  }

  @Test
  void byDefaultOverlappingRowsAreDenseAndSeparatedOnesListed() {
    int d = 8;
    int k = 16;
    Dataset data = Blobs.of(20000, d, k, 13).generate();
    for (CovarianceType t : TYPES) {
      // Broad components: every row keeps nearly all of them.
      VectorGaussianPass broad = new VectorGaussianPass(engine, data, Blocks.of(data), VectorGaussianPass.Pruning.OFF);
      broad.expect(GaussianPassTest.mixture(new Case("broad", data, k, 30.0), t, 53), Responsibilities.SOFT);
      assertTrue(broad.keptFraction() > 0.9, t + ": kept " + broad.keptFraction());
      assertEquals(1.0, broad.denseFraction(), 0.0, t + ": broad components");
      // Components of the blobs' width: a row keeps one or two.
      VectorGaussianPass narrow = new VectorGaussianPass(engine, data, Blocks.of(data), VectorGaussianPass.Pruning.OFF);
      MixtureParams narrowParams = GaussianPassTest.mixture(new Case("narrow", data, k, 1.0), t, 53);
      narrow.expect(narrowParams, Responsibilities.SOFT);
      double share = VectorGaussianPass.denseShare(narrowParams.scatterShape(), d);
      assertTrue(narrow.keptFraction() < share, t + ": kept " + narrow.keptFraction());
      assertEquals(0.0, narrow.denseFraction(), 0.0, t + ": narrow components");
    }
  }

  @Test
  void theBreakEvenShareGrowsWithTheColumnsUntilDenseNeverPays() {
    for (Scatter shape : List.of(Scatter.DIAG, Scatter.FULL, Scatter.TIED)) {
      double last = 0;
      int d = 1;
      for (; VectorGaussianPass.denseShare(shape, d) < Double.POSITIVE_INFINITY; d++) {
        double share = VectorGaussianPass.denseShare(shape, d);
        assertTrue(share >= last && share > 0 && share < 1, shape + " d=" + d + ": " + share);
        last = share;
      }
      // Dense evaluation pays up to a few dozen columns, then never again.
      assertTrue(d > 16 && d <= VectorGaussianPass.DENSE_MAX_COLUMNS, shape + ": dense up to d=" + d);
      for (int more : new int[] {d, d + 1, 100, 1000}) {
        assertEquals(Double.POSITIVE_INFINITY, VectorGaussianPass.denseShare(shape, more), shape + " d=" + more);
      }
    }
    assertEquals(VectorGaussianPass.denseShare(Scatter.FULL, 12), VectorGaussianPass.denseShare(Scatter.TIED, 12));
    assertEquals(Double.POSITIVE_INFINITY, VectorGaussianPass.denseShare(Scatter.NONE, 8), "K-means: never");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oversized")
  void passesWhoseLaneSumsWouldNotFitKeepToTheListedPairs(CovarianceType t, int k, int d) {
    Case c = new Case("d=" + d + " k=" + k, new Blobs(300, d, 3, 15, 30.0, 10.0).generate(), k, 30.0);
    MixtureParams p = GaussianPassTest.mixture(c, t, 56);
    // Over the cap for any vector width from 2 lanes: per component 2d + 1 (diagonal) or 1 + d + d^2 lanes.
    long perLane = DenseBlock.partialLength(k, d, p.scatterShape()) / DenseBlock.L;
    assertTrue(perLane * 2 > DenseBlock.MAX_PARTIAL, "over the cap at 2 lanes");
    VectorGaussianPass pass =
        new VectorGaussianPass(engine, c.data(), Blocks.of(c.data()), VectorGaussianPass.Pruning.OFF, ALWAYS);
    SufficientStats st = pass.expect(p, Responsibilities.SOFT);
    assertEquals(0.0, pass.denseFraction(), 0.0, t + ": dense blocks for " + perLane + " lane sums per lane");
    assertTrue(pass.keptFraction() > 0.5, t + ": kept " + pass.keptFraction());
    assertEquals(300.0, Arrays.stream(st.weight()).sum(), 1e-9, t + ": every row counted once");
  }

  static Stream<Arguments> oversized() {
    return Stream.of(Arguments.of(CovarianceType.DIAG, 10000, 30), Arguments.of(CovarianceType.FULL, 3000, 20));
  }

  @Test
  void denseResultsDoNotDependOnTheThreadCount() {
    // 140 blocks: more than Blocks.MAX_SLABS, so a slab sums several dense blocks in turn.
    Case c = new Case("d=16 k=16", Blobs.of(70000, 16, 16, 12).generate(30000), 16, 4.0);
    for (CovarianceType t : TYPES) {
      MixtureParams p = GaussianPassTest.mixture(c, t, 54);
      Blocks blocks = Blocks.of(c.data());
      try (JavaEngine one = new JavaEngine(1); JavaEngine four = new JavaEngine(4)) {
        SufficientStats a = new VectorGaussianPass(one, c.data(), blocks, VectorGaussianPass.Pruning.OFF, ALWAYS)
            .expect(p, Responsibilities.SOFT);
        SufficientStats b = new VectorGaussianPass(four, c.data(), blocks, VectorGaussianPass.Pruning.OFF, ALWAYS)
            .expect(p, Responsibilities.SOFT);
        SufficientStats listed = new VectorGaussianPass(four, c.data(), blocks, VectorGaussianPass.Pruning.OFF, NEVER)
            .expect(p, Responsibilities.SOFT);
        assertClose(listed.weight(), a.weight(), t + ": weights against the listed pairs");
        assertClose(listed.sum(), a.sum(), t + ": sums against the listed pairs");
        assertClose(listed.scatter(), a.scatter(), t + ": scatter against the listed pairs");
        assertArrayEquals(a.weight(), b.weight(), 0.0, t + ": weights");
        assertArrayEquals(a.sum(), b.sum(), 0.0, t + ": sums");
        assertArrayEquals(a.scatter(), b.scatter(), 0.0, t + ": scatter");
        assertEquals(a.objective(), b.objective(), 0.0, t + ": objective");
      }
    }
  }

  @Test
  void rowsNoComponentCanHoldGetTheListedNaNs() {
    // Every component's log-weight -infinity: no row has a finite log-density, and both paths
    // must report the undefined responsibilities as the reference does.
    Case c = new Case("d=4 k=5", new Blobs(1500, 4, 5, 14, 1.0, 10.0).generate(), 5, 1.0);
    for (CovarianceType t : TYPES) {
      MixtureParams q = GaussianPassTest.mixture(c, t, 55);
      double[] none = new double[q.k()];
      Arrays.fill(none, Double.NEGATIVE_INFINITY);
      MixtureParams p = new MixtureParams(q.k(), q.d(), q.type(), q.means(), q.precisionCholesky(), none);
      Blocks blocks = Blocks.of(c.data());
      SufficientStats a = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.OFF, ALWAYS)
          .expect(p, Responsibilities.SOFT);
      SufficientStats b = new VectorGaussianPass(engine, c.data(), blocks, VectorGaussianPass.Pruning.OFF, NEVER)
          .expect(p, Responsibilities.SOFT);
      assertEquals(b.objective(), a.objective(), 0.0, t + ": objective");
      assertArrayEquals(b.weight(), a.weight(), 0.0, t + ": weights");
      assertArrayEquals(b.sum(), a.sum(), 0.0, t + ": sums");
      assertArrayEquals(b.scatter(), a.scatter(), 0.0, t + ": scatter");
    }
  }
}
