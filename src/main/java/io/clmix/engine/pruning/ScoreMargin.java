package io.clmix.engine.pruning;

/**
 * How far the engines' float32 nearest-centre search can be from exact arithmetic, for data of
 * {@code d} columns: the constants that make the pruning test of {@link BoundTest} safe.
 *
 * <h2>What the full search computes</h2>
 *
 * For a point x and float32 centres c the search compares {@code score_c = fl(n_c - 2 fl(x.c))},
 * where {@code n_c} is {@code |c|^2} summed with FMAs and {@code fl(x.c)} the dot product summed
 * with FMAs in column order (both engines), and picks the lowest score, ties to the lower index.
 * The chosen centre's squared distance D is then summed by direct differences,
 * {@code sum_j fl(x_j - c_j)^2}. With {@code u = 2^-24} and {@code g(n) = n u / (1 - n u)} the
 * classical bounds (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 3.1 and 3.5)
 * give, with {@code S_c = |c|^2 - 2 x.c} in exact arithmetic on the same float inputs:
 *
 * <pre>
 *   |n_c - |c|^2|      <= g(d) |c|^2
 *   |fl(x.c) - x.c|    <= g(d) sum_j |x_j c_j| <= g(d) |x| |c|
 *   |score_c - S_c|    <= g(d + 1) (|c|^2 + 2 |x| |c|)  <= E(x) = g(d + 1) (R^2 + 2 |x| R)
 *   |D - |x - c|^2|    <= g(d + 2) |x - c|^2       (all terms non-negative; any summation order)
 * </pre>
 *
 * where R bounds every centre's norm. The bounds hold for any summation order of the same
 * terms, so they cover the vector kernels' lanes as well as the scalar loops.
 *
 * <h2>When the search certainly picks a</h2>
 *
 * {@code S_c - S_a = |x - c|^2 - |x - a|^2} exactly, so the search picks a (strictly, whatever
 * the tie rule) as soon as {@code |x - c|^2 - |x - a|^2 > 2 E(x)} for every c other than a. With
 * an upper bound U on {@code |x - a|}, a lower bound L on every other {@code |x - c|}, and
 * {@code |x| <= |a| + |x - a| <= R + U}, a sufficient condition is
 *
 * <pre>
 *   L^2 - U^2 > kappa (3 R^2 + 2 R U),      kappa = 2 g(d + 1)
 * </pre>
 *
 * the margin being absolute (it grows with the centres' distance from the origin, which the
 * data's centring keeps small) rather than relative to the distances. U comes from D:
 * {@code |x - a| <= sqrt(D / (1 - g(d + 2)))}; a lower bound after a full search comes from the
 * two lowest scores: {@code |x - c|^2 >= D (1 - g(d + 2)) + (score_second - score_best)
 * - kappa (3 R^2 + 2 R U)}.
 *
 * <h2>Safety factors</h2>
 *
 * {@code g(n)} is replaced by {@code 2 n u}, twice the first-order term: it bounds
 * {@code n u / (1 - n u)} while {@code n u <= 1/2} and leaves room of {@code n u} times the same
 * quantities for the handful of double-precision roundings of the test itself (each at most
 * {@code 2^-53} times a quantity those bounds already cover). Distances, shifts and separations
 * computed in double carry the relative slack {@link #RHO} = 2^-30, far above their own rounding
 * ({@code (d + 3) 2^-53} for {@code d < 2^20}). {@link #usable()} is false for absurdly wide
 * data, where the margins would be meaningless; pruning is then off.
 */
public final class ScoreMargin {
  /** The float32 unit roundoff. */
  static final double UNIT = 0x1p-24;
  /** Relative slack of every bound computed in double (distances, shifts, separations). */
  public static final double RHO = 0x1p-30;

  private final int d;
  private final double up;
  private final double down;
  private final double kappa;

  /** The margins for data of {@code d} columns. */
  public ScoreMargin(int d) {
    if (d < 1) {
      throw new IllegalArgumentException("d: " + d);
    }
    this.d = d;
    double g = gamma(d + 2);
    this.up = 1 + g;
    this.down = 1 - g;
    this.kappa = 2 * gamma(d + 1);
  }

  /** {@code g(n)} doubled: {@code 2 n u}. */
  static double gamma(int n) {
    return 2.0 * n * UNIT;
  }

  /** Whether the margins mean anything for this width ({@code d < 2^20}). */
  public boolean usable() {
    return d < (1 << 20);
  }

  /** {@code |x - a|^2 <= D * up()} for the direct-difference squared distance D. */
  public double up() {
    return up;
  }

  /** {@code |x - a|^2 >= D * down()}. */
  public double down() {
    return down;
  }

  /** {@code kappa}: the search is safe when {@code L^2 - U^2 > kappa (3 R^2 + 2 R U)}. */
  public double kappa() {
    return kappa;
  }

  /**
   * A float at most {@code v}, within {@code 2^-22} of it relative (or {@code 2^-140} absolute),
   * for storing lower bounds. Without a branch (half of all roundings go up, and a mispredicted
   * branch per point costs more than the rest of the test): {@code v (1 - 2^-23)}, rounded to
   * double and then to the nearest float, moves up by at most {@code 2^-53 + 2^-24} relative
   * for normal floats; subtracting {@code 2^-140} covers the subnormal range, whose spacing is
   * {@code 2^-149}. +infinity stays +infinity.
   */
  public static float floatDown(double v) {
    return (float) (v * (1 - 0x1p-23) - 0x1p-140);
  }
}
