package io.clmix.engine.java;

/**
 * The float32 inner loops of the Java engine's K-means passes, shared by every caller so the
 * definitions match the OpenCL kernels':
 *
 * <ul>
 *   <li>nearest centre by {@code score_c = |c|^2 - 2 x.c}, the dot product accumulated with FMAs
 *       in column order, strict {@code <} in increasing c (ties go to the lower index);
 *   <li>the chosen centre's squared distance recomputed by direct differences,
 *       {@code sum_j (x_j - c_j)^2}, which is accurate and never negative.
 * </ul>
 *
 * <p>With the {@code jdk.incubator.vector} module present (the launcher adds it) the search runs
 * in {@link VectorKernels}; otherwise in plain loops here. Both pick the same labels: each lane
 * of the vector kernel accumulates its dot product in the same order as the scalar loop.
 */
final class DistanceKernels {
  /** Whether the Vector API kernels are in use. */
  static final boolean VECTOR = vectorAvailable();

  private DistanceKernels() {}

  private static boolean vectorAvailable() {
    if (Boolean.getBoolean("clmix.scalar")) {
      return false;
    }
    try {
      return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && VectorKernels.usable();
    } catch (LinkageError e) {
      return false;
    }
  }

  /** A short description for reports: which inner loops run. */
  static String description() {
    return VECTOR ? "vectorised" : "scalar";
  }

  /**
   * Loops of fewer multiply-adds than this (a pass's {@code n k d}, a seeding step's
   * {@code n d m}) run plain, not the vector kernels, even where the Vector API is present.
   * Until the JIT's second compiler has compiled them, the vector kernels run as ordinary Java
   * that allocates for every vector operation, which costs a fresh JVM about 0.6 s; warm, the
   * pruned passes leave the two kinds of loop close below this size (K-means of 100k x 8 rows,
   * k = 32, 20 iterations: 0.51 s plain against 1.13 s vector from a fresh JVM, 0.14 to 0.18 s
   * against 0.17 to 0.19 s warm; docs/benchmarks.md, "Small fits"). The size counts the whole
   * data set's rows, also on a shard ({@code Dataset.wholeRows}). A fit's Lloyd passes all have
   * one size, so they take one kind of loop throughout; its k-means++ steps choose by their own
   * size, a step's commit as its trial (see {@link #vectorFor}, {@code JavaEngine.vectorLoops}).
   */
  static final long SMALL_PASS = 1L << 25;

  /**
   * Whether a loop of {@code multiplyAdds} should run the vector kernels: where they are
   * available and the work reaches {@link #SMALL_PASS}. The choice depends on the data's and
   * the model's sizes only, so the same input always takes the same loops and gives the same
   * bits; the two kinds agree on labels (see {@link VectorKernels}) and on distances and sums up
   * to their summation order.
   */
  static boolean vectorFor(long multiplyAdds) {
    return VECTOR && multiplyAdds >= SMALL_PASS;
  }

  /** Centres prepared once per pass for the nearest-centre search. */
  static final class Centres {
    final float[] values;
    final float[] norms;
    final int k;
    final int d;
    final VectorKernels.Prepared vector;

    /** Centres for the vector search where available. */
    Centres(float[] values, int k, int d) {
      this(values, k, d, VECTOR);
    }

    private Centres(float[] values, int k, int d, boolean vectorSearch) {
      this.values = values;
      this.k = k;
      this.d = d;
      this.norms = squaredNorms(values, k, d);
      this.vector = vectorSearch ? new VectorKernels.Prepared(values, norms, k, d) : null;
    }

    /**
     * Centres for a pass whose loops the caller chose ({@code JavaEngine.vectorLoops}): the
     * vector kernels when {@code vector} and available. Labels do not depend on the choice.
     */
    static Centres withLoops(float[] values, int k, int d, boolean vector) {
      return new Centres(values, k, d, vector && VECTOR);
    }

    /**
     * Whether this pass runs the vector kernels; its other loops (distances, sums) follow
     * the same choice.
     */
    boolean vectorLoops() {
      return vector != null;
    }
  }

  /** {@code |c|^2} for each of the k centres, in float32. */
  static float[] squaredNorms(float[] centres, int k, int d) {
    float[] out = new float[k];
    for (int c = 0; c < k; c++) {
      float s = 0f;
      int o = c * d;
      for (int j = 0; j < d; j++) {
        s = Math.fma(centres[o + j], centres[o + j], s);
      }
      out[c] = s;
    }
    return out;
  }

  /**
   * For rows {@code [0, rows)} of {@code x} (row-major from {@code xOff}), writes the nearest
   * centre to {@code labels[labelOff + i]} and its squared distance to {@code dist[distOff + i]}.
   */
  static void nearest(float[] x, int xOff, int rows, Centres c, int[] labels, int labelOff, float[] dist, int distOff) {
    if (c.vector != null) {
      VectorKernels.nearest(x, xOff, rows, c.vector, labels, labelOff, dist, distOff);
    } else {
      nearestScalar(x, xOff, rows, c, labels, labelOff, dist, distOff);
    }
  }

  /** The plain-loop search: the definition the vector kernel reproduces label for label. */
  static void nearestScalar(float[] x, int xOff, int rows, Centres c, int[] labels, int labelOff, float[] dist,
      int distOff) {
    int d = c.d;
    for (int i = 0; i < rows; i++) {
      int xo = xOff + i * d;
      int best = 0;
      float bestScore = Float.POSITIVE_INFINITY;
      for (int q = 0; q < c.k; q++) {
        int co = q * d;
        float dot = 0f;
        for (int j = 0; j < d; j++) {
          dot = Math.fma(x[xo + j], c.values[co + j], dot);
        }
        float score = c.norms[q] - 2f * dot;
        if (score < bestScore) {
          bestScore = score;
          best = q;
        }
      }
      labels[labelOff + i] = best;
      dist[distOff + i] = squaredDistance(x, xo, c.values, best * d, d, false);
    }
  }

  /**
   * As {@link #nearest}, and also the lowest score to {@code best[scoreOff + i]} and the lowest
   * score among the other centres to {@code second[scoreOff + i]} (+infinity when k = 1), which
   * the pruned pass turns into a lower bound. The labels are those of {@link #nearest}.
   */
  static void nearestTwo(float[] x, int xOff, int rows, Centres c, int[] labels, int labelOff, float[] dist,
      int distOff, float[] best, float[] second, int scoreOff) {
    if (c.vector != null) {
      VectorKernels.nearestTwo(x, xOff, rows, c.vector, labels, labelOff, dist, distOff, best, second, scoreOff);
    } else {
      nearestTwoScalar(x, xOff, rows, c, labels, labelOff, dist, distOff, best, second, scoreOff);
    }
  }

  /** The plain-loop search with the two lowest scores: {@link #nearestScalar}'s labels. */
  static void nearestTwoScalar(float[] x, int xOff, int rows, Centres c, int[] labels, int labelOff, float[] dist,
      int distOff, float[] bestOut, float[] secondOut, int scoreOff) {
    int d = c.d;
    for (int i = 0; i < rows; i++) {
      int xo = xOff + i * d;
      int best = 0;
      float bestScore = Float.POSITIVE_INFINITY;
      float secondScore = Float.POSITIVE_INFINITY;
      for (int q = 0; q < c.k; q++) {
        int co = q * d;
        float dot = 0f;
        for (int j = 0; j < d; j++) {
          dot = Math.fma(x[xo + j], c.values[co + j], dot);
        }
        float score = c.norms[q] - 2f * dot;
        if (score < bestScore) {
          secondScore = bestScore;
          bestScore = score;
          best = q;
        } else if (score < secondScore) {
          secondScore = score;
        }
      }
      labels[labelOff + i] = best;
      dist[distOff + i] = squaredDistance(x, xo, c.values, best * d, d, false);
      bestOut[scoreOff + i] = bestScore;
      secondOut[scoreOff + i] = secondScore;
    }
  }

  /**
   * {@code sum[so + j] += w * x[xo + j]} for j in [0, d), in double: with the vector kernels
   * when {@code vector} (one fused multiply-add per entry), else plain loops (a product, then a
   * sum).
   */
  static void addScaled(double[] sum, int so, float[] x, int xo, int d, double w, boolean vector) {
    if (vector) {
      VectorKernels.addScaled(sum, so, x, xo, d, w);
      return;
    }
    for (int j = 0; j < d; j++) {
      sum[so + j] += w * x[xo + j];
    }
  }

  /**
   * {@code sum_j (x_j - c_j)^2} in float32 by direct differences: with the vector kernels when
   * {@code vector} (lanes of columns, then their sum), else one chain of FMAs in column order.
   */
  static float squaredDistance(float[] x, int xo, float[] c, int co, int d, boolean vector) {
    if (vector) {
      return VectorKernels.squaredDistance(x, xo, c, co, d);
    }
    float s = 0f;
    for (int j = 0; j < d; j++) {
      float e = x[xo + j] - c[co + j];
      s = Math.fma(e, e, s);
    }
    return s;
  }
}
