package io.clmix.engine.java;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The nearest-centre search with the Vector API: a register-tiled product of a block of rows
 * with the centres, GEMM style, fused with the argmin so the scores never leave registers.
 *
 * <p>The micro-kernel takes 4 rows and 2 vectors of centres (16 with AVX2): per column j it
 * loads two vectors of the transposed centres, broadcasts the 4 rows' values and issues 8 FMAs
 * into 8 independent accumulators, enough to keep both FMA pipes of a core busy. Each row keeps
 * a per-lane best score and centre index across centre tiles; one reduction at the end picks
 * the lowest score and, among equal scores, the lowest centre, as {@link DistanceKernels} does.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present; see {@link Kernels}.
 */
final class VectorKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  /** Centres per tile: two vectors. */
  private static final int TILE = 2 * L;
  private static final FloatVector MINUS_TWO = FloatVector.broadcast(F, -2f);

  private VectorKernels() {}

  /** Whether this kernel can run: the float and int species must have the same lane count. */
  static boolean usable() {
    return F.length() == I.length() && L >= 4;
  }

  /**
   * The centres prepared for a pass: transposed to column-major (d rows of {@code kp} values,
   * kp = k rounded up to a whole tile) and their squared norms, with padding centres whose score
   * is +infinity so they never win.
   */
  static final class Prepared {
    final int k;
    final int kp;
    final int d;
    final float[] transposed;
    final float[] norms;
    final float[] rowMajor;

    Prepared(float[] centres, float[] norms, int k, int d) {
      this.k = k;
      this.d = d;
      this.kp = (k + TILE - 1) / TILE * TILE;
      this.transposed = new float[d * kp];
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          transposed[j * kp + c] = centres[c * d + j];
        }
      }
      this.norms = new float[kp];
      for (int c = 0; c < kp; c++) {
        this.norms[c] = c < k ? norms[c] : Float.POSITIVE_INFINITY;
      }
      this.rowMajor = centres;
    }
  }

  /** Same contract as {@link DistanceKernels#nearest}. */
  static void nearest(float[] x, int xOff, int rows, Prepared p, int[] labels, int labelOff, float[] dist, int distOff) {
    int d = p.d;
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      nearest4(x, xOff + i * d, p, labels, labelOff + i);
    }
    for (; i < rows; i++) {
      nearest1(x, xOff + i * d, p, labels, labelOff + i);
    }
    for (i = 0; i < rows; i++) {
      dist[distOff + i] = squaredDistance(x, xOff + i * d, p.rowMajor, labels[labelOff + i] * d, d);
    }
  }

  private static void nearest4(float[] x, int xo, Prepared p, int[] labels, int lo) {
    int d = p.d;
    int kp = p.kp;
    float[] ct = p.transposed;
    FloatVector best0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    FloatVector best1 = best0;
    FloatVector best2 = best0;
    FloatVector best3 = best0;
    IntVector idx0 = IntVector.zero(I);
    IntVector idx1 = idx0;
    IntVector idx2 = idx0;
    IntVector idx3 = idx0;
    IntVector lane = IntVector.fromArray(I, LANES, 0);
    for (int c0 = 0; c0 < kp; c0 += TILE) {
      FloatVector a00 = FloatVector.zero(F);
      FloatVector a01 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      int x0 = xo;
      int x1 = xo + d;
      int x2 = xo + 2 * d;
      int x3 = xo + 3 * d;
      for (int j = 0; j < d; j++) {
        int b = j * kp + c0;
        FloatVector b0 = FloatVector.fromArray(F, ct, b);
        FloatVector b1 = FloatVector.fromArray(F, ct, b + L);
        FloatVector v0 = FloatVector.broadcast(F, x[x0 + j]);
        a00 = v0.fma(b0, a00);
        a01 = v0.fma(b1, a01);
        FloatVector v1 = FloatVector.broadcast(F, x[x1 + j]);
        a10 = v1.fma(b0, a10);
        a11 = v1.fma(b1, a11);
        FloatVector v2 = FloatVector.broadcast(F, x[x2 + j]);
        a20 = v2.fma(b0, a20);
        a21 = v2.fma(b1, a21);
        FloatVector v3 = FloatVector.broadcast(F, x[x3 + j]);
        a30 = v3.fma(b0, a30);
        a31 = v3.fma(b1, a31);
      }
      FloatVector n0 = FloatVector.fromArray(F, p.norms, c0);
      FloatVector n1 = FloatVector.fromArray(F, p.norms, c0 + L);
      IntVector i0 = lane.add(c0);
      IntVector i1 = lane.add(c0 + L);
      // score = |c|^2 - 2 x.c; strict '<' keeps the earlier (lower) centre on ties per lane,
      // and tile 0's lanes are visited before tile 1's for every lane position.
      FloatVector s;
      VectorMask<Float> m;
      s = a00.fma(MINUS_TWO, n0);
      m = s.lt(best0);
      best0 = best0.blend(s, m);
      idx0 = idx0.blend(i0, m.cast(I));
      s = a01.fma(MINUS_TWO, n1);
      m = s.lt(best0);
      best0 = best0.blend(s, m);
      idx0 = idx0.blend(i1, m.cast(I));
      s = a10.fma(MINUS_TWO, n0);
      m = s.lt(best1);
      best1 = best1.blend(s, m);
      idx1 = idx1.blend(i0, m.cast(I));
      s = a11.fma(MINUS_TWO, n1);
      m = s.lt(best1);
      best1 = best1.blend(s, m);
      idx1 = idx1.blend(i1, m.cast(I));
      s = a20.fma(MINUS_TWO, n0);
      m = s.lt(best2);
      best2 = best2.blend(s, m);
      idx2 = idx2.blend(i0, m.cast(I));
      s = a21.fma(MINUS_TWO, n1);
      m = s.lt(best2);
      best2 = best2.blend(s, m);
      idx2 = idx2.blend(i1, m.cast(I));
      s = a30.fma(MINUS_TWO, n0);
      m = s.lt(best3);
      best3 = best3.blend(s, m);
      idx3 = idx3.blend(i0, m.cast(I));
      s = a31.fma(MINUS_TWO, n1);
      m = s.lt(best3);
      best3 = best3.blend(s, m);
      idx3 = idx3.blend(i1, m.cast(I));
    }
    labels[lo] = argmin(best0, idx0);
    labels[lo + 1] = argmin(best1, idx1);
    labels[lo + 2] = argmin(best2, idx2);
    labels[lo + 3] = argmin(best3, idx3);
  }

  private static void nearest1(float[] x, int xo, Prepared p, int[] labels, int lo) {
    int d = p.d;
    int kp = p.kp;
    float[] ct = p.transposed;
    FloatVector best = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    IntVector idx = IntVector.zero(I);
    IntVector lane = IntVector.fromArray(I, LANES, 0);
    for (int c0 = 0; c0 < kp; c0 += L) {
      FloatVector a = FloatVector.zero(F);
      for (int j = 0; j < d; j++) {
        a = FloatVector.broadcast(F, x[xo + j]).fma(FloatVector.fromArray(F, ct, j * kp + c0), a);
      }
      FloatVector s = a.fma(MINUS_TWO, FloatVector.fromArray(F, p.norms, c0));
      VectorMask<Float> m = s.lt(best);
      best = best.blend(s, m);
      idx = idx.blend(lane.add(c0), m.cast(I));
    }
    labels[lo] = argmin(best, idx);
  }

  /**
   * As {@link #nearest}, also writing each row's lowest score and the lowest score among the
   * other centres (see {@link DistanceKernels#nearestTwo}). Each lane keeps, beside its first
   * lowest score and its centre, the lowest of its other scores: a score s below {@code second}
   * replaces it, and when s also replaces {@code best}, the old best becomes the second (the
   * value of {@code min(second, max(best, s))}): the second lowest of the lane's scores, counting
   * equal scores twice. The labels come from exactly {@link #nearest}'s comparisons.
   */
  static void nearestTwo(float[] x, int xOff, int rows, Prepared p, int[] labels, int labelOff, float[] dist,
      int distOff, float[] best, float[] second, int scoreOff) {
    int d = p.d;
    // The per-lane results leave the vectors through these arrays and are reduced in plain
    // code: a helper taking vectors is not inlined in a method this large, and boxes them.
    float[] laneScores = new float[8 * L];
    int[] laneIndex = new int[4 * L];
    int i = 0;
    for (; i + 4 <= rows; i += 4) {
      nearestTwo4(x, xOff + i * d, p, laneScores, laneIndex);
      for (int r = 0; r < 4; r++) {
        reduceTwo(laneScores, laneIndex, r, labels, labelOff + i + r, best, second, scoreOff + i + r);
      }
    }
    for (; i < rows; i++) {
      nearestTwo1(x, xOff + i * d, p, laneScores, laneIndex);
      reduceTwo(laneScores, laneIndex, 0, labels, labelOff + i, best, second, scoreOff + i);
    }
    for (i = 0; i < rows; i++) {
      dist[distOff + i] = squaredDistance(x, xOff + i * d, p.rowMajor, labels[labelOff + i] * d, d);
    }
  }

  /**
   * Four rows from {@code xo}: row r's per-lane lowest scores to {@code laneScores[2 r L ..]},
   * its per-lane second lowest to {@code laneScores[(2 r + 1) L ..]} and the lowest's centres
   * to {@code laneIndex[r L ..]}.
   *
   * <p>The dot-product loop is {@link #nearest4}'s, written out again on purpose: the four
   * second-lowest vectors would not fit the 16 AVX2 registers beside the unpruned search's
   * accumulators, so sharing one method would make the unpruned search spill (and a helper
   * taking vectors is not inlined in a method this large).
   */
  private static void nearestTwo4(float[] x, int xo, Prepared p, float[] laneScores, int[] laneIndex) {
    int d = p.d;
    int kp = p.kp;
    float[] ct = p.transposed;
    FloatVector best0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    FloatVector best1 = best0;
    FloatVector best2 = best0;
    FloatVector best3 = best0;
    FloatVector second0 = best0;
    FloatVector second1 = best0;
    FloatVector second2 = best0;
    FloatVector second3 = best0;
    IntVector idx0 = IntVector.zero(I);
    IntVector idx1 = idx0;
    IntVector idx2 = idx0;
    IntVector idx3 = idx0;
    IntVector lane = IntVector.fromArray(I, LANES, 0);
    for (int c0 = 0; c0 < kp; c0 += TILE) {
      FloatVector a00 = FloatVector.zero(F);
      FloatVector a01 = a00;
      FloatVector a10 = a00;
      FloatVector a11 = a00;
      FloatVector a20 = a00;
      FloatVector a21 = a00;
      FloatVector a30 = a00;
      FloatVector a31 = a00;
      int x0 = xo;
      int x1 = xo + d;
      int x2 = xo + 2 * d;
      int x3 = xo + 3 * d;
      for (int j = 0; j < d; j++) {
        int b = j * kp + c0;
        FloatVector b0 = FloatVector.fromArray(F, ct, b);
        FloatVector b1 = FloatVector.fromArray(F, ct, b + L);
        FloatVector v0 = FloatVector.broadcast(F, x[x0 + j]);
        a00 = v0.fma(b0, a00);
        a01 = v0.fma(b1, a01);
        FloatVector v1 = FloatVector.broadcast(F, x[x1 + j]);
        a10 = v1.fma(b0, a10);
        a11 = v1.fma(b1, a11);
        FloatVector v2 = FloatVector.broadcast(F, x[x2 + j]);
        a20 = v2.fma(b0, a20);
        a21 = v2.fma(b1, a21);
        FloatVector v3 = FloatVector.broadcast(F, x[x3 + j]);
        a30 = v3.fma(b0, a30);
        a31 = v3.fma(b1, a31);
      }
      FloatVector n0 = FloatVector.fromArray(F, p.norms, c0);
      FloatVector n1 = FloatVector.fromArray(F, p.norms, c0 + L);
      IntVector i0 = lane.add(c0);
      IntVector i1 = lane.add(c0 + L);
      // As nearest4, plus the lane's second lowest: s when below it, and the old best when s
      // replaces the best (compares and blends: FloatVector.min/max cost far more here).
      FloatVector s;
      VectorMask<Float> m;
      s = a00.fma(MINUS_TWO, n0);
      m = s.lt(best0);
      second0 = second0.blend(s, s.lt(second0)).blend(best0, m);
      best0 = best0.blend(s, m);
      idx0 = idx0.blend(i0, m.cast(I));
      s = a01.fma(MINUS_TWO, n1);
      m = s.lt(best0);
      second0 = second0.blend(s, s.lt(second0)).blend(best0, m);
      best0 = best0.blend(s, m);
      idx0 = idx0.blend(i1, m.cast(I));
      s = a10.fma(MINUS_TWO, n0);
      m = s.lt(best1);
      second1 = second1.blend(s, s.lt(second1)).blend(best1, m);
      best1 = best1.blend(s, m);
      idx1 = idx1.blend(i0, m.cast(I));
      s = a11.fma(MINUS_TWO, n1);
      m = s.lt(best1);
      second1 = second1.blend(s, s.lt(second1)).blend(best1, m);
      best1 = best1.blend(s, m);
      idx1 = idx1.blend(i1, m.cast(I));
      s = a20.fma(MINUS_TWO, n0);
      m = s.lt(best2);
      second2 = second2.blend(s, s.lt(second2)).blend(best2, m);
      best2 = best2.blend(s, m);
      idx2 = idx2.blend(i0, m.cast(I));
      s = a21.fma(MINUS_TWO, n1);
      m = s.lt(best2);
      second2 = second2.blend(s, s.lt(second2)).blend(best2, m);
      best2 = best2.blend(s, m);
      idx2 = idx2.blend(i1, m.cast(I));
      s = a30.fma(MINUS_TWO, n0);
      m = s.lt(best3);
      second3 = second3.blend(s, s.lt(second3)).blend(best3, m);
      best3 = best3.blend(s, m);
      idx3 = idx3.blend(i0, m.cast(I));
      s = a31.fma(MINUS_TWO, n1);
      m = s.lt(best3);
      second3 = second3.blend(s, s.lt(second3)).blend(best3, m);
      best3 = best3.blend(s, m);
      idx3 = idx3.blend(i1, m.cast(I));
    }
    best0.intoArray(laneScores, 0 * L);
    second0.intoArray(laneScores, 1 * L);
    idx0.intoArray(laneIndex, 0 * L);
    best1.intoArray(laneScores, 2 * L);
    second1.intoArray(laneScores, 3 * L);
    idx1.intoArray(laneIndex, 1 * L);
    best2.intoArray(laneScores, 4 * L);
    second2.intoArray(laneScores, 5 * L);
    idx2.intoArray(laneIndex, 2 * L);
    best3.intoArray(laneScores, 6 * L);
    second3.intoArray(laneScores, 7 * L);
    idx3.intoArray(laneIndex, 3 * L);
  }

  /** One row, its lane results as row 0 of {@link #nearestTwo4}'s. */
  private static void nearestTwo1(float[] x, int xo, Prepared p, float[] laneScores, int[] laneIndex) {
    int d = p.d;
    int kp = p.kp;
    float[] ct = p.transposed;
    FloatVector best = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
    FloatVector second = best;
    IntVector idx = IntVector.zero(I);
    IntVector lane = IntVector.fromArray(I, LANES, 0);
    for (int c0 = 0; c0 < kp; c0 += L) {
      FloatVector a = FloatVector.zero(F);
      for (int j = 0; j < d; j++) {
        a = FloatVector.broadcast(F, x[xo + j]).fma(FloatVector.fromArray(F, ct, j * kp + c0), a);
      }
      FloatVector s = a.fma(MINUS_TWO, FloatVector.fromArray(F, p.norms, c0));
      VectorMask<Float> m = s.lt(best);
      second = second.blend(s, s.lt(second)).blend(best, m);
      best = best.blend(s, m);
      idx = idx.blend(lane.add(c0), m.cast(I));
    }
    best.intoArray(laneScores, 0);
    second.intoArray(laneScores, L);
    idx.intoArray(laneIndex, 0);
  }

  /**
   * Row r's label, lowest score and lowest score among the other centres from its lane
   * results: the lowest score wins, equal scores go to the lower centre (as {@link #argmin});
   * the second is the other lanes' lowest or the chosen lane's second lowest.
   */
  private static void reduceTwo(float[] laneScores, int[] laneIndex, int r, int[] labels, int lo, float[] bestOut,
      float[] secondOut, int so) {
    int b = 2 * r * L;
    int chosen = 0;
    for (int q = 1; q < L; q++) {
      float s = laneScores[b + q];
      float m = laneScores[b + chosen];
      if (s < m || (s == m && laneIndex[r * L + q] < laneIndex[r * L + chosen])) {
        chosen = q;
      }
    }
    float second = laneScores[b + L + chosen];
    for (int q = 0; q < L; q++) {
      if (q != chosen) {
        second = Math.min(second, laneScores[b + q]);
      }
    }
    labels[lo] = laneIndex[r * L + chosen];
    bestOut[so] = laneScores[b + chosen];
    secondOut[so] = second;
  }

  /** The lowest score across lanes; among equal scores the lowest centre index. */
  private static int argmin(FloatVector best, IntVector idx) {
    float min = best.reduceLanes(VectorOperators.MIN);
    VectorMask<Integer> at = best.eq(min).cast(I);
    return idx.blend(Integer.MAX_VALUE, at.not()).reduceLanes(VectorOperators.MIN);
  }

  private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;

  /** {@code sum[so + j] += w * x[xo + j]} for j in [0, d), widening to double. */
  static void addScaled(double[] sum, int so, float[] x, int xo, int d, double w) {
    int j = 0;
    DoubleVector wv = DoubleVector.broadcast(D4, w);
    for (; j + 4 <= d; j += 4) {
      DoubleVector xv = (DoubleVector) FloatVector.fromArray(F4, x, xo + j).convertShape(VectorOperators.F2D, D4, 0);
      xv.fma(wv, DoubleVector.fromArray(D4, sum, so + j)).intoArray(sum, so + j);
    }
    for (; j < d; j++) {
      sum[so + j] += w * x[xo + j];
    }
  }

  /** {@code sum_j (x_j - c_j)^2} in float32. */
  static float squaredDistance(float[] x, int xo, float[] c, int co, int d) {
    int j = 0;
    FloatVector acc = FloatVector.zero(F);
    for (; j + L <= d; j += L) {
      FloatVector e = FloatVector.fromArray(F, x, xo + j).sub(FloatVector.fromArray(F, c, co + j));
      acc = e.fma(e, acc);
    }
    float s = acc.reduceLanes(VectorOperators.ADD);
    for (; j < d; j++) {
      float e = x[xo + j] - c[co + j];
      s = Math.fma(e, e, s);
    }
    return s;
  }

  private static final int[] LANES = new int[64];

  static {
    for (int i = 0; i < LANES.length; i++) {
      LANES[i] = i;
    }
  }
}
