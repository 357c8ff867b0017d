package io.clmix.engine.java;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 screening kernels of the Gaussian-mixture E-step, with the Vector API: the
 * log-density of every (row, component) pair, only to find which pairs matter (see
 * {@link VectorGaussianPass}). They work on a sub-block of {@link #ROWS} rows held transposed
 * (column a of the sub-block is {@code ROWS} contiguous floats), so every lane of a vector is a
 * different row and per-row results come out as vectors without horizontal reductions.
 *
 * <p>Per component c: {@code lp[c][i] = logNormDelta[c] - |y_i|^2 / 2} with
 * {@code y_i = (x_i - mean_c) U_c} in the centred ("difference") form, never the expanded
 * {@code |x|^2 - 2 x.mu + |mu|^2}, which cancels: far from the origin relative to a narrow
 * component it would be wrong by more than the screen's margin. Triangular factors (full, tied)
 * go through a register-tiled micro-kernel: 2 vectors of rows by 4 output columns, 8
 * independent FMA accumulators fed by 2 loads and 4 broadcasts per step; the zero lower triangle
 * is skipped a 4-column tile at a time. Diagonal factors (diag, spherical) take 3 vector
 * operations per column and vector of rows.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present.
 */
final class GaussianKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final int L = F.length();
  /** Rows per sub-block: four vectors. */
  static final int ROWS = 4 * L;

  private GaussianKernels() {}

  /** Whether these kernels can run: float vectors of at least 4 lanes, int vectors as long. */
  static boolean usable() {
    return L >= 4 && I.length() == L;
  }

  // ------------------------------------------------------------------ log-densities

  /**
   * Fills {@code lp[c * ROWS + i]} with component c's log-density of row i minus the shift,
   * {@code logNormDelta[c] - |(x_i - mean_c) U_c|^2 / 2}, for every component. {@code xt} holds
   * the sub-block transposed (d x ROWS); {@code diff} is scratch of the same size.
   */
  static void logDensities(FloatMixture m, float[] xt, float[] diff, float[] lp) {
    for (int c = 0; c < m.k; c++) {
      logDensity(m, c, xt, diff, lp);
    }
  }

  /**
   * As {@link #logDensities(FloatMixture, float[], float[], float[])} for the n components
   * {@code comps[0..n)} only: their rows of {@code lp} get exactly the values the full call
   * gives them (each component's kernel depends on nothing but the sub-block and the
   * component); the other rows are left as they are.
   */
  static void logDensities(FloatMixture m, float[] xt, float[] diff, float[] lp, int[] comps, int n) {
    for (int t = 0; t < n; t++) {
      logDensity(m, comps[t], xt, diff, lp);
    }
  }

  /** Component c's row of {@code lp}, as the full call computes it. */
  static void logDensity(FloatMixture m, int c, float[] xt, float[] diff, float[] lp) {
    if (m.triangular) {
      triangular(m, c, xt, diff, lp);
    } else {
      diagonal(m, c, xt, lp);
    }
  }

  private static void triangular(FloatMixture m, int c, float[] xt, float[] diff, float[] lp) {
    int d = m.d;
    int dp = m.dp;
    float[] u = m.factor;
    int fo = m.factorOffset(c);
    int bo = c * dp;
    // x - hi for this component, once, then reused by every output tile.
    for (int a = 0; a < d; a++) {
      FloatVector hi = FloatVector.broadcast(F, m.meanHi[c * d + a]);
      int o = a * ROWS;
      for (int v = 0; v < ROWS; v += L) {
        FloatVector.fromArray(F, xt, o + v).sub(hi).intoArray(diff, o + v);
      }
    }
    FloatVector lnd = FloatVector.broadcast(F, m.logNormDelta[c]);
    FloatVector minusHalf = FloatVector.broadcast(F, -0.5f);
    for (int r0 = 0; r0 < ROWS; r0 += 2 * L) {
      FloatVector m0 = FloatVector.zero(F);
      FloatVector m1 = m0;
      for (int j0 = 0; j0 < dp; j0 += FloatMixture.TILE_J) {
        // Each sum starts at -(lo U)_j, the mean's low part (see FloatMixture).
        FloatVector y00 = FloatVector.broadcast(F, m.bias[bo + j0]);
        FloatVector y01 = y00;
        FloatVector y10 = FloatVector.broadcast(F, m.bias[bo + j0 + 1]);
        FloatVector y11 = y10;
        FloatVector y20 = FloatVector.broadcast(F, m.bias[bo + j0 + 2]);
        FloatVector y21 = y20;
        FloatVector y30 = FloatVector.broadcast(F, m.bias[bo + j0 + 3]);
        FloatVector y31 = y30;
        // U is upper triangular: output column j only needs rows a <= j.
        int aEnd = Math.min(d, j0 + FloatMixture.TILE_J);
        for (int a = 0; a < aEnd; a++) {
          int xo = a * ROWS + r0;
          FloatVector d0 = FloatVector.fromArray(F, diff, xo);
          FloatVector d1 = FloatVector.fromArray(F, diff, xo + L);
          int uo = fo + a * dp + j0;
          FloatVector u0 = FloatVector.broadcast(F, u[uo]);
          y00 = d0.fma(u0, y00);
          y01 = d1.fma(u0, y01);
          FloatVector u1 = FloatVector.broadcast(F, u[uo + 1]);
          y10 = d0.fma(u1, y10);
          y11 = d1.fma(u1, y11);
          FloatVector u2 = FloatVector.broadcast(F, u[uo + 2]);
          y20 = d0.fma(u2, y20);
          y21 = d1.fma(u2, y21);
          FloatVector u3 = FloatVector.broadcast(F, u[uo + 3]);
          y30 = d0.fma(u3, y30);
          y31 = d1.fma(u3, y31);
        }
        m0 = y00.fma(y00, m0);
        m1 = y01.fma(y01, m1);
        m0 = y10.fma(y10, m0);
        m1 = y11.fma(y11, m1);
        m0 = y20.fma(y20, m0);
        m1 = y21.fma(y21, m1);
        m0 = y30.fma(y30, m0);
        m1 = y31.fma(y31, m1);
      }
      int o = c * ROWS + r0;
      m0.fma(minusHalf, lnd).intoArray(lp, o);
      m1.fma(minusHalf, lnd).intoArray(lp, o + L);
    }
  }

  private static void diagonal(FloatMixture m, int c, float[] xt, float[] lp) {
    int d = m.d;
    FloatVector m0 = FloatVector.zero(F);
    FloatVector m1 = m0;
    FloatVector m2 = m0;
    FloatVector m3 = m0;
    for (int a = 0; a < d; a++) {
      int p = c * d + a;
      FloatVector hi = FloatVector.broadcast(F, m.meanHi[p]);
      FloatVector u = FloatVector.broadcast(F, m.factor[p]);
      FloatVector b = FloatVector.broadcast(F, m.bias[p]);
      int o = a * ROWS;
      // y = (x - hi) u - lo u: the product is fused with the low part's correction.
      FloatVector y0 = FloatVector.fromArray(F, xt, o).sub(hi).fma(u, b);
      FloatVector y1 = FloatVector.fromArray(F, xt, o + L).sub(hi).fma(u, b);
      FloatVector y2 = FloatVector.fromArray(F, xt, o + 2 * L).sub(hi).fma(u, b);
      FloatVector y3 = FloatVector.fromArray(F, xt, o + 3 * L).sub(hi).fma(u, b);
      m0 = y0.fma(y0, m0);
      m1 = y1.fma(y1, m1);
      m2 = y2.fma(y2, m2);
      m3 = y3.fma(y3, m3);
    }
    FloatVector lnd = FloatVector.broadcast(F, m.logNormDelta[c]);
    FloatVector minusHalf = FloatVector.broadcast(F, -0.5f);
    int o = c * ROWS;
    m0.fma(minusHalf, lnd).intoArray(lp, o);
    m1.fma(minusHalf, lnd).intoArray(lp, o + L);
    m2.fma(minusHalf, lnd).intoArray(lp, o + 2 * L);
    m3.fma(minusHalf, lnd).intoArray(lp, o + 3 * L);
  }

  // ------------------------------------------------------------------ per-row reductions

  /**
   * Per row: the largest log-density into {@code max}, its component into {@code best} (ties to
   * the lower index), and into {@code count} how many components are within
   * {@code margin + |max| * marginRel} of it, the screen's test, computed exactly as a scalar
   * {@code max - (margin + |max| * marginRel)} would (a non-finite maximum counts 0); over the n
   * components {@code comps[0..n)} (ascending) whose rows of {@code lp} were computed, the
   * others having been proven below the threshold ({@link ScreenBounds}), or all of them. When
   * component 0 is among them this is the full screen's arithmetic on a subset; when it is not, the running maximum starts at -infinity instead of at
   * {@code lp[0]}: the callers only skip components when every row has a finite computed value
   * above every skipped one, so the maximum, the first index reaching it, and the count come
   * out as the full screen's. Also the second largest value of the computed ones into
   * {@code second} (-infinity for one component; a tie gives the maximum), which
   * {@link SettledRows} needs. {@code scratch} holds 2 vectors of floats.
   */
  static void screen(float[] lp, int[] comps, int n, float margin, float marginRel, float[] max, int[] best,
      int[] count, float[] second, float[] scratch) {
    if (n > 0 && n * ROWS == lp.length && comps[n - 1] == n - 1) {
      screenAll(lp, n, margin, marginRel, max, best, count, second, scratch);
      return;
    }
    for (int v = 0; v < ROWS; v += L) {
      int t0 = comps[0] == 0 ? 1 : 0;
      FloatVector top = t0 == 1 ? FloatVector.fromArray(F, lp, v) : FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      // Index and count as floats (exact below 2^24): a float mask then needs no cast to ints,
      // which took as long as the diagonal kernels themselves (a JFR profile of the diag workload).
      FloatVector idx = FloatVector.zero(F);
      FloatVector sec = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      for (int t = t0; t < n; t++) {
        int c = comps[t];
        FloatVector x = FloatVector.fromArray(F, lp, c * ROWS + v);
        // The larger of the two that are not the new maximum.
        sec = sec.max(x.min(top));
        VectorMask<Float> gt = x.compare(VectorOperators.GT, top);
        top = top.blend(x, gt);
        idx = idx.blend((float) c, gt);
      }
      FloatVector threshold = top.sub(top.abs().mul(marginRel).add(margin));
      FloatVector cnt = FloatVector.zero(F);
      for (int t = 0; t < n; t++) {
        VectorMask<Float> in = FloatVector.fromArray(F, lp, comps[t] * ROWS + v).compare(VectorOperators.GE, threshold);
        cnt = cnt.add(1f, in);
      }
      store(v, top, idx, cnt, sec, max, best, count, second, scratch);
    }
  }

  /**
   * {@link #screen} of every component ({@code comps} is 0, 1, ..., n - 1, and lp holds n rows):
   * the same arithmetic, with the component as the loop index, so the compiler can hoist the
   * loads' range checks (read through {@code comps}, they took 4% of the diag fit's samples).
   */
  private static void screenAll(float[] lp, int n, float margin, float marginRel, float[] max, int[] best,
      int[] count, float[] second, float[] scratch) {
    for (int v = 0; v < ROWS; v += L) {
      FloatVector top = FloatVector.fromArray(F, lp, v);
      FloatVector idx = FloatVector.zero(F);
      FloatVector sec = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
      for (int o = ROWS + v, c = 1; c < n; o += ROWS, c++) {
        FloatVector x = FloatVector.fromArray(F, lp, o);
        sec = sec.max(x.min(top));
        VectorMask<Float> gt = x.compare(VectorOperators.GT, top);
        top = top.blend(x, gt);
        idx = idx.blend((float) c, gt);
      }
      FloatVector threshold = top.sub(top.abs().mul(marginRel).add(margin));
      FloatVector cnt = FloatVector.zero(F);
      for (int o = v; o < n * ROWS; o += ROWS) {
        VectorMask<Float> in = FloatVector.fromArray(F, lp, o).compare(VectorOperators.GE, threshold);
        cnt = cnt.add(1f, in);
      }
      store(v, top, idx, cnt, sec, max, best, count, second, scratch);
    }
  }

  /** One vector of rows' results of {@link #screen}, into its outputs from lane v. */
  private static void store(int v, FloatVector top, FloatVector idx, FloatVector cnt, FloatVector sec, float[] max,
      int[] best, int[] count, float[] second, float[] scratch) {
    top.intoArray(max, v);
    // To ints one lane at a time: JDK 17 does not compile the vector conversion (F2I) on x86,
    // and its fallback allocated on every call (JFR: the largest allocation left in the pass).
    idx.intoArray(scratch, 0);
    cnt.intoArray(scratch, L);
    for (int j = 0; j < L; j++) {
      best[v + j] = (int) scratch[j];
      count[v + j] = (int) scratch[L + j];
    }
    sec.intoArray(second, v);
  }
}
