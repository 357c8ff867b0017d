package io.clmix.engine.java;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The settling check of {@link SettledRows} for rows that kept one component, a double
 * vector's lanes of rows at a time (eight with AVX-512): the others' bound
 * ({@link SettledRows.Drift#bound}), the kept component's lower bound
 * ({@link SettledRows.Drift#lowerOwn}, with that component's drift) and the screen's cut
 * ({@link SettledRows.Drift#cut}), with the same operations in the same order as the scalar
 * methods, so every lane decides as they would and carries the same bound
 * ({@code SettlingLanesTest}).
 *
 * <p>Why: once a diag fit settles, the check runs for every row of every pass. One row at a time
 * it took 3.4 to 4.8 ms of the 15 to 22 ms of thread time of a settled pass of the diag
 * benchmark (docs/benchmarks.md, "The last fifth of the diag target"); in lanes the check of a
 * block costs about a quarter less ("The settling check in vector lanes").
 *
 * <p>Left to the scalar check ({@link ScreenWindow#settle}): rows that kept two components, the
 * rows past a block's last whole vector, and rows whose bounds lie beyond {@link #RANGE}, where
 * {@link FloatBounds} clamps at the ends of the float range.
 *
 * <p>Built once per pass from its drift and shared by the pass's tasks, each with its own
 * {@link Workspace}. Only loaded when the {@code jdk.incubator.vector} module is present.
 */
final class SettlingLanes {
  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** Rows per call: the lanes of a double vector. */
  static final int L = S.length();
  /** Floats and ints as many as a double vector has lanes. */
  private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * L));
  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorShape.forBitSize(32 * L));

  private static final double REL = 0x1p-23;
  private static final double ABS = 0x1p-149;

  /**
   * Per component, from index 1 (index 0, NaN, is what a row without a component reads, so
   * that -1 needs no test): the old log normaliser, the drift's {@code grow_c} and {@code b_c},
   * the new normaliser less the shift, and that value's float allowance
   * {@code DELTA (|nu| + 1)}: the terms of {@link SettledRows.Drift#lowerOwn}.
   */
  private final double[] oldNorm;
  private final double[] grow;
  private final double[] shift;
  private final double[] nu;
  private final double[] nuSlack;
  private final SettledRows.Drift drift;

  SettlingLanes(SettledRows.Drift drift) {
    this.drift = drift;
    int k = drift.oldLogNorm().length;
    oldNorm = table(k);
    grow = table(k);
    shift = table(k);
    nu = table(k);
    nuSlack = table(k);
    for (int c = 0; c < k; c++) {
      oldNorm[c + 1] = drift.oldLogNorm()[c];
      grow[c + 1] = drift.growOf()[c];
      shift[c + 1] = drift.bOf()[c];
      double n = drift.newLogNorm()[c] - drift.shift();
      nu[c + 1] = n;
      nuSlack[c + 1] = SettledRows.DELTA * (Math.abs(n) + 1);
    }
  }

  private static double[] table(int k) {
    double[] t = new double[k + 1];
    t[0] = Double.NaN;
    return t;
  }

  /**
   * The first half of the check, for the n rows from {@code at} of a block's state (n a
   * multiple of L, at most a block): into {@code work.others[0..n)} the others' bound
   * ({@link SettledRows.Drift#bound}) and into {@code work.low[0..n)} the lower bound on the kept
   * component's value ({@link SettledRows.Drift#lowerOwn}); NaN for a row without a component.
   *
   * <p>Why two loops, and no helper methods: the Vector API's operations are inlined by C2
   * before they become instructions, and the whole check in one method outgrew its inlining
   * budget; a vector passed to or returned from a method that is not inlined is boxed. Either
   * way every vector of the method was allocated (measured: 100 bytes per row, slower than the
   * scalar check).
   */
  void estimate(int[] refs, float[] bounds, float[] own, int at, int n, Workspace work) {
    // Each row's component's terms, one by one: JDK 17 compiled the vector gathers to its
    // allocating fallback here ("missing constant" for the index vector's class).
    for (int j = 0; j < n; j++) {
      int c = refs[at + j] + 1; // -1, no component: index 0, NaN
      work.oldNorm[j] = oldNorm[c];
      work.grow[j] = grow[c];
      work.shift[j] = shift[c];
      work.nu[j] = nu[c];
      work.nuSlack[j] = nuSlack[c];
    }
    double[] others = work.others;
    double[] low = work.low;
    double maxOld = drift.maxOldNorm();
    double rise = drift.maxRise();
    double a = drift.a();
    double b = drift.b();
    for (int j = 0; j < n; j += L) {
      DoubleVector s = widened(bounds, at + j);
      // Drift.bound: (r > 0 ? r * r : 0) as max(r, 0) squared, the same but for a NaN r, which
      // only a NaN s gives, and then the sum is NaN either way.
      DoubleVector u = DoubleVector.broadcast(S, maxOld).sub(s).max(0.0);
      DoubleVector r = u.mul(2.0).div(1 + SettledRows.DELTA).lanewise(VectorOperators.SQRT).mul(a).sub(b).max(0.0);
      DoubleVector h = u.sub(r.mul(r).mul(0.5 * (1 - SettledRows.DELTA)));
      s.add(rise).add(h).intoArray(others, j);
      // Drift.lowerOwn.
      DoubleVector lp = widened(own, at + j);
      DoubleVector q = DoubleVector.fromArray(S, work.oldNorm, j).sub(lp).max(0.0).mul(2.0);
      DoubleVector root = q.lanewise(VectorOperators.SQRT).mul(DoubleVector.fromArray(S, work.grow, j))
          .add(DoubleVector.fromArray(S, work.shift, j));
      DoubleVector.fromArray(S, work.nu, j).sub(root.mul(0.5 * (1 + SettledRows.DELTA)).mul(root))
          .sub(DoubleVector.fromArray(S, work.nuSlack, j)).intoArray(low, j);
    }
  }

  /**
   * The second half of the check, after {@link #estimate} of the same rows. Per row j,
   * {@code work.verdict[j]} is {@link #SETTLED} for a row that kept one component and is settled (its
   * carried bound, {@link FloatBounds#atLeast} of the others' bound, is written into
   * {@code bounds}), {@link #SCALAR} for a row that kept one component whose bounds lie beyond
   * {@link #RANGE} (the scalar check decides it), and {@link #NOT} for the others, which keep
   * their state: rows that kept two components, rows without one, and rows that do not settle.
   */
  void decide(int[] partners, float[] bounds, int at, int n, Workspace work) {
    double[] others = work.others;
    double[] low = work.low;
    double[] verdict = work.verdict;
    for (int j = 0; j < n; j += L) {
      // Masks stay doubles: JDK 17 does not compile casts of masks between element types.
      DoubleVector partner = (DoubleVector) IntVector.fromArray(INTS, partners, at + j)
          .convertShape(VectorOperators.I2D, S, 0);
      VectorMask<Double> lone = partner.compare(VectorOperators.LT, 0.0);
      DoubleVector o = DoubleVector.fromArray(S, others, j);
      DoubleVector top = DoubleVector.fromArray(S, low, j);
      // Within the range FloatBounds' clamps at the ends of the float range do not apply; NaN
      // (no component, no value) is let through, as it settles nothing.
      VectorMask<Double> beyond = o.abs().max(top.abs()).compare(VectorOperators.GT, RANGE);
      // Drift.cut: ScreenBounds.cut of FloatBounds.atMost (a float, so through the conversion).
      DoubleVector w = top.mul(1 + REL).blend(top.mul(1 - REL), top.compare(VectorOperators.GT, 0.0)).sub(ABS);
      DoubleVector m0 = (DoubleVector) w.convertShape(VectorOperators.D2F, HALF, 0).convertShape(VectorOperators.F2D, S, 0);
      DoubleVector m0abs = m0.abs();
      DoubleVector cut = m0.sub(m0abs.mul((double) VectorGaussianPass.MARGIN_REL)).sub((double) VectorGaussianPass.MARGIN)
          .sub(m0abs.add(128.0).mul(0x1p-20));
      VectorMask<Double> settles = o.compare(VectorOperators.LT, cut).and(lone).andNot(beyond);
      // Settled rows carry FloatBounds.atLeast of the new bound; the others keep theirs (a
      // widened float converts back to itself).
      DoubleVector carried = o.mul(1 - REL).blend(o.mul(1 + REL), o.compare(VectorOperators.GT, 0.0)).add(ABS);
      ((FloatVector) widened(bounds, at + j).blend(carried, settles).convertShape(VectorOperators.D2F, HALF, 0))
          .intoArray(bounds, at + j);
      DoubleVector.broadcast(S, NOT).blend(SCALAR, beyond.and(lone)).blend(SETTLED, settles).intoArray(verdict, j);
    }
  }

  /** One task's scratch for a block's rows: their components' terms, their two bounds, their verdicts. */
  static final class Workspace {
    final double[] oldNorm = new double[Blocks.BLOCK_ROWS];
    final double[] grow = new double[Blocks.BLOCK_ROWS];
    final double[] shift = new double[Blocks.BLOCK_ROWS];
    final double[] nu = new double[Blocks.BLOCK_ROWS];
    final double[] nuSlack = new double[Blocks.BLOCK_ROWS];
    final double[] others = new double[Blocks.BLOCK_ROWS];
    final double[] low = new double[Blocks.BLOCK_ROWS];
    final double[] verdict = new double[Blocks.BLOCK_ROWS];
  }

  /** Verdicts of {@link #decide}. */
  static final double NOT = 0;
  static final double SETTLED = 1;
  static final double SCALAR = 2;

  /**
   * The magnitude up to which the lanes decide: far inside the float range, so that
   * {@link FloatBounds}' margins never reach its ends.
   */
  static final double RANGE = 1e37;

  /** L floats from {@code x[o]} as doubles (exact). */
  private static DoubleVector widened(float[] x, int o) {
    return (DoubleVector) FloatVector.fromArray(HALF, x, o).convertShape(VectorOperators.F2D, S, 0);
  }
}
