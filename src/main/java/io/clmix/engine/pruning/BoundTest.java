package io.clmix.engine.pruning;

/**
 * Hamerly's test for one Lloyd pass, made safe for float32 searches: which points certainly keep
 * their label, and the lower bound each point carries to the next pass.
 *
 * <p>Per point the engines keep its label a and a lower bound l on its distance (Euclidean, not
 * squared) to every other centre of the previous pass. When the centres move:
 *
 * <ol>
 *   <li>the exact squared distance D to a's new position is summed by direct differences, as the
 *       full search would (the pass needs it for the inertia and the session state anyway), and
 *       gives a tight upper bound {@code U = sqrt(D up)} on {@code |x - a|};
 *   <li>every other centre moved by at most {@code drift[a]}, so it is at least
 *       {@code l - drift[a]} away; it is also at least {@code separation[a] - U} away (triangle
 *       inequality); L is the larger;
 *   <li>{@link #keep} passes when {@code L^2 - U^2 > kappa (3 R^2 + 2 R U)}: then the full float32
 *       search would also pick a ({@link ScoreMargin} derives the margin), so a is the label, D
 *       the distance, and L the new lower bound.
 * </ol>
 *
 * Points that fail take the full search, which reports the two lowest scores; {@link #lowerAfterScan}
 * turns them into a fresh lower bound. Bounds are a cache: any valid bound gives the same
 * results, and a session without them (the first pass, a replay on another engine) simply
 * searches every point.
 */
public final class BoundTest {
  private final ScoreMargin margin;
  private final CentreMotion motion;
  /** The margin {@code kappa (3 R^2 + 2 R U)} as {@code marginBase + marginSlope U}. */
  private final double marginBase;
  private final double marginSlope;

  public BoundTest(ScoreMargin margin, CentreMotion motion) {
    this.margin = margin;
    this.motion = motion;
    double r = motion.maxNorm();
    this.marginBase = margin.kappa() * 3 * r * r;
    this.marginSlope = margin.kappa() * 2 * r;
  }

  public CentreMotion motion() {
    return motion;
  }

  /** Whether points can keep their label untested this pass (bounds from the previous one apply). */
  public boolean carriesBounds() {
    return motion.hasDrift();
  }

  /** {@code kappa 3 R^2}: the part of the margin that does not depend on U. */
  public double marginBase() {
    return marginBase;
  }

  /** {@code kappa 2 R}: the margin's growth with U. */
  public double marginSlope() {
    return marginSlope;
  }

  /** {@code up} of {@link ScoreMargin}. */
  public double up() {
    return margin.up();
  }

  /** {@code down} of {@link ScoreMargin}. */
  public double down() {
    return margin.down();
  }

  /** An upper bound on {@code |x - a|} from the direct-difference squared distance D. */
  public double upper(float squaredDistance) {
    return sqrtUp(squaredDistance * margin.up());
  }

  /** Relative slack of a float32 square root, {@link #sqrtUp}. */
  public static final double SQRT_SLACK = 0x1p-20;

  /**
   * At least {@code sqrt(y)} for {@code y >= 0}: a float32 square root, which costs a third of a
   * double one on the development machine, and the test runs one per point. {@code (float) y}
   * is within {@code 2^-24} relative, which the root halves, and the root within {@code 2^-24}
   * here (Java rounds the double root to float) or 3 ulp ({@code 3 * 2^-23}, OpenCL's bound for
   * {@code sqrt(float)}, which {@code kmeans_pruned.cl} uses with the same factor): the factor
   * {@code 1 + 2^-20} covers either. Past the float range the result is +infinity, which fails
   * every test.
   */
  static double sqrtUp(double y) {
    return y < 3.0e38 ? (float) Math.sqrt((float) y) * (1 + SQRT_SLACK) : Double.POSITIVE_INFINITY;
  }

  /**
   * At most {@code sqrt(y)}, and 0 for {@code y <= 0} (or NaN): {@link #sqrtUp}'s float root
   * rounded the other way, with {@code y} capped below the float range (1e38) so a huge finite
   * {@code y} never gives an infinite bound.
   */
  static double sqrtDown(double y) {
    return y > 0 ? (float) Math.sqrt((float) Math.min(y, 1e38)) * (1 - SQRT_SLACK) : 0;
  }

  /**
   * Whether a point labelled {@code a}, at direct-difference squared distance D from a's new
   * position, certainly keeps a: its new lower bound ({@code >= 0}) when it does, else -1.
   * Requires {@link #carriesBounds()}.
   *
   * @param lower the point's lower bound from the previous pass
   */
  public double keep(int a, float squaredDistance, float lower) {
    double u = upper(squaredDistance);
    double l = Math.max(lower - motion.drift(a), motion.separation(a) - u) * (1 - ScoreMargin.RHO);
    // (l - u) (l + u) rather than l^2 - u^2: no cancellation when they are close. NaN fails.
    return l > u && (l - u) * (l + u) > marginBase + marginSlope * u ? l : -1;
  }

  /**
   * {@link #keep} for a run of points: point i (label {@code labels[lo + i]}, squared distance
   * {@code dist[lo + i]}, lower bound {@code lower[lo + i]}) either keeps its label, written to
   * {@code kept[i]} with its new lower bound to {@code lower[lo + i]}, or has its index i
   * appended to {@code failed}. Returns how many failed. Requires {@link #carriesBounds()}.
   */
  public int keepAll(int n, int[] labels, float[] dist, float[] lower, int lo, int[] kept, int[] failed) {
    // The body of keep() with the pass's constants in locals: one tight loop.
    double up = margin.up();
    double base = marginBase;
    double slope = marginSlope;
    double[] drift = motion.drifts();
    double[] separation = motion.separations();
    int count = 0;
    for (int i = 0; i < n; i++) {
      int a = labels[lo + i];
      double u = sqrtUp(dist[lo + i] * up);
      double l = Math.max(lower[lo + i] - drift[a], separation[a] - u) * (1 - ScoreMargin.RHO);
      if (l > u && (l - u) * (l + u) > base + slope * u) {
        kept[i] = a;
        lower[lo + i] = ScoreMargin.floatDown(l);
      } else {
        failed[count++] = i;
      }
    }
    return count;
  }

  /**
   * The lower bound on a point's distance to every centre but its label after a full search:
   * D its squared distance to the label, {@code best} and {@code second} the two lowest scores
   * ({@code second} over the other centres; +infinity when k = 1). Never negative.
   */
  public double lowerAfterScan(float squaredDistance, float best, float second) {
    double u = upper(squaredDistance);
    double l2 = squaredDistance * margin.down() + ((double) second - best) - (marginBase + marginSlope * u);
    return sqrtDown(l2);
  }
}
