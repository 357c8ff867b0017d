package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import io.clmix.engine.java.Blocks.Block;
import java.util.Arrays;
import java.util.List;

/**
 * The Gaussian-mixture passes as a float32 screen followed by double evaluation of what
 * matters.
 *
 * <p>Screen: each block of rows is cut into sub-blocks of {@link GaussianKernels#ROWS} rows,
 * transposed once, and taken through every component by the float kernels while it sits in L1:
 * the O(n k d^2) part of the pass, at float32 vector speed. A component is relevant to a row
 * when its float log-density is within {@code MARGIN + |max| * MARGIN_REL} of the row's largest.
 * A component outside has a posterior below {@code e^-50 = 2e-22} of the leading one's, which
 * does not register in a double sum: dropping it is exact at double precision. The margin's
 * relative part covers the float error, a few ulp of the log-density's magnitude (at most 80 ulp
 * measured on the fixtures' ill-conditioned full covariances; the margin is 2^16 ulp, and
 * {@code GaussianKernelsTest} holds the error 16 times inside it up to condition 1e12).
 *
 * <p>Evaluation, all in double, so every number the pass returns is a double computation as in
 * {@link ReferenceGaussianPass}, up to summation order: at the end of each block,
 * {@link BlockPairs} takes the kept pairs a component at a time through register-tiled double
 * kernels for their log-densities, then each row's log-sum-exp and responsibilities (a row with
 * one kept component, the usual case with separated clusters, has responsibility 1 and needs no
 * exp or log), then the statistics. {@link #pointwise} evaluates row by row
 * ({@link ExactDensities#logDensity}), as it needs each row's values anyway.
 *
 * <p>Same partition and order as every Java pass ({@link Blocks}), so results do not depend on
 * the thread count.
 */
final class VectorGaussianPass {
  private static final int ROWS = GaussianKernels.ROWS;
  /** Log-densities more than this (plus the relative part) below a row's largest are dropped. */
  static final float MARGIN = 50f;
  /** The relative part of the screen's margin, for the float error of large log-densities. */
  static final float MARGIN_REL = 1f / 256;

  private final JavaEngine engine;
  private final Dataset data;
  private final Blocks blocks;
  private final int d;

  VectorGaussianPass(JavaEngine engine, Dataset data, Blocks blocks) {
    this.engine = engine;
    this.data = data;
    this.blocks = blocks;
    this.d = data.cols();
  }

  /** One task's buffers, allocated once per task, never per row. */
  private static final class Workspace {
    /** The sub-block transposed: d x ROWS, rows past the end zero. */
    final float[] xt;
    /** Scratch for x - mean, d x ROWS. */
    final float[] diff;
    /** Screened (float) log-densities: k x ROWS. */
    final float[] lp;
    final float[] max = new float[ROWS];
    /** Per row: the most likely component by the screen and how many components are relevant. */
    final int[] best = new int[ROWS];
    final int[] count = new int[ROWS];
    /** One row's relevant components, ascending, and their double log-densities. */
    final int[] relevant;
    final double[] exact;
    final double[] exactDiff;
    /** {@code exp(exact - max)} of the last {@link #logSumExp}, and their sum. */
    final double[] scaled;
    double sum;

    Workspace(int k, int d, ExactDensities dens) {
      xt = new float[d * ROWS];
      diff = new float[d * ROWS];
      lp = new float[k * ROWS];
      relevant = new int[k];
      exact = new double[k];
      scaled = new double[k];
      exactDiff = new double[dens.scratchLength()];
    }

    /** Transposes rows {@code [0, n)} of the row-major block at {@code x[xo]}; zero-fills the rest. */
    void load(float[] x, int xo, int n, int d) {
      for (int i = 0; i < n; i++) {
        int ro = xo + i * d;
        for (int a = 0; a < d; a++) {
          xt[a * ROWS + i] = x[ro + a];
        }
      }
      if (n < ROWS) {
        for (int a = 0; a < d; a++) {
          Arrays.fill(xt, a * ROWS + n, (a + 1) * ROWS, 0f);
        }
      }
    }

    /** Screens and evaluates the float log-densities of a sub-block of n rows at {@code x[xo]}. */
    void screen(FloatMixture m, float[] x, int xo, int n) {
      load(x, xo, n, m.d);
      GaussianKernels.logDensities(m, xt, diff, lp);
      GaussianKernels.screen(lp, m.k, MARGIN, MARGIN_REL, max, best, count);
    }

    /**
     * Puts row i's relevant components into {@link #relevant}, ascending, and returns how many.
     * A row whose float maximum is not finite (NaN data, overflow) keeps every component, so the
     * double evaluation decides as the reference would.
     */
    int select(int k, int i) {
      if (count[i] == 1) {
        relevant[0] = best[i]; // the usual case, settled by the vector screen
        return 1;
      }
      float mx = max[i];
      int n = 0;
      if (Math.abs(mx) < Float.POSITIVE_INFINITY) {
        float threshold = mx - (MARGIN + Math.abs(mx) * MARGIN_REL);
        for (int c = 0; c < k; c++) {
          if (lp[c * ROWS + i] >= threshold) {
            relevant[n++] = c;
          }
        }
      } else {
        for (int c = 0; c < k; c++) {
          relevant[n++] = c;
        }
      }
      return n;
    }

    /** The double log-densities of the n selected components of the row at {@code x[ro]} into {@link #exact}. */
    void evaluate(int n, ExactDensities dens, float[] x, int ro) {
      for (int t = 0; t < n; t++) {
        exact[t] = dens.logDensity(x, ro, relevant[t], exactDiff);
      }
    }

    /** Index (into {@link #relevant}) of the largest of the n evaluated log-densities; ties to the lower component. */
    int best(int n) {
      int best = 0;
      for (int t = 1; t < n; t++) {
        if (exact[t] > exact[best]) {
          best = t;
        }
      }
      return best;
    }

    /**
     * log-sum-exp of the n evaluated log-densities: log p(x). Leaves in {@link #scaled} the
     * terms {@code exp(lp - top)} and returns their sum in {@link #sum}, so the responsibilities
     * are {@code scaled[t] / sum} without a second exp.
     */
    double logSumExp(int n) {
      double top = exact[best(n)];
      if (top == Double.NEGATIVE_INFINITY) {
        // No component can hold the point: log p = -infinity and undefined (NaN)
        // responsibilities, as in the reference.
        Arrays.fill(scaled, 0, n, Double.NaN);
        sum = Double.NaN;
        return top;
      }
      if (n == 1) {
        scaled[0] = 1;
        sum = 1;
        return top;
      }
      double s = 0;
      for (int t = 0; t < n; t++) {
        scaled[t] = Math.exp(exact[t] - top);
        s += scaled[t];
      }
      sum = s;
      return top + Math.log(s);
    }
  }

  SufficientStats expect(MixtureParams params, Responsibilities mode) {
    boolean hard = mode == Responsibilities.HARD;
    FloatMixture m = new FloatMixture(params);
    ExactDensities dens = new ExactDensities(params);
    int k = m.k;
    Scatter shape = params.scatterShape();
    int slabs = blocks.slabCount((long) k * d + k + shape.length(k, d));
    List<SufficientStats> parts = engine.parallel(slabs, s -> {
      SufficientStats st = new SufficientStats(k, d, shape);
      BlockPairs pairs = new BlockPairs(dens, k, d, shape);
      Workspace ws = new Workspace(k, d, dens);
      double total = 0;
      float[] buffer = null;
      for (int b = blocks.slabFrom(s, slabs); b < blocks.slabTo(s, slabs); b++) {
        Block blk = blocks.block(b);
        RowView rows = RowView.of(data, blk, buffer);
        buffer = rows.buffer();
        float[] x = rows.values();
        float[] w = data.chunkWeights(blk.chunk());
        for (int i0 = 0; i0 < blk.rows(); i0 += ROWS) {
          int n = Math.min(ROWS, blk.rows() - i0);
          int xo = rows.offset() + i0 * d;
          ws.screen(m, x, xo, n);
          for (int i = 0; i < n; i++) {
            double wi = w == null ? 1.0 : w[blk.fromRow() + i0 + i];
            pairs.addRow(i0 + i, wi, ws.relevant, ws.select(k, i));
          }
        }
        total += pairs.finish(x, rows.offset(), blk.rows(), hard, st);
      }
      st.setObjective(total);
      return st;
    });
    SufficientStats total = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      total.plus(parts.get(i));
    }
    GaussianPass.mirrorUpperTriangles(total);
    return total;
  }

  void pointwise(MixtureParams params, PointSink sink) {
    FloatMixture m = new FloatMixture(params);
    ExactDensities dens = new ExactDensities(params);
    int k = m.k;
    boolean all = sink.wantsComponents();
    int maxRows = (int) Math.min(data.chunkRows(), data.rows());
    int[] lab = new int[maxRows];
    float[] val = new float[maxRows];
    float[] comp = all ? new float[Math.multiplyExact(maxRows, k)] : null;
    for (int chunk = 0; chunk < data.chunkCount(); chunk++) {
      int first = blocks.chunkFrom(chunk);
      engine.parallel(blocks.chunkTo(chunk) - first, i -> {
        Block blk = blocks.block(first + i);
        RowView rows = RowView.of(data, blk, null);
        float[] x = rows.values();
        Workspace ws = new Workspace(k, d, dens);
        for (int i0 = 0; i0 < blk.rows(); i0 += ROWS) {
          int n = Math.min(ROWS, blk.rows() - i0);
          int xo = rows.offset() + i0 * d;
          ws.screen(m, x, xo, n);
          for (int r = 0; r < n; r++) {
            int row = blk.fromRow() + i0 + r;
            int cnt = ws.select(k, r);
            ws.evaluate(cnt, dens, x, xo + r * d);
            double logp = ws.logSumExp(cnt);
            lab[row] = ws.relevant[ws.best(cnt)];
            val[row] = (float) logp;
            if (all) {
              // Screened-out components: their posterior is below e^-50; the float estimate serves.
              for (int c = 0; c < k; c++) {
                comp[row * k + c] = (float) Math.exp(m.logNormShift + ws.lp[c * ROWS + r] - logp);
              }
              for (int t = 0; t < cnt; t++) {
                comp[row * k + ws.relevant[t]] = (float) (ws.scaled[t] / ws.sum);
              }
            }
          }
        }
        return null;
      });
      sink.accept(chunk, data.chunkStart(chunk), data.rowsIn(chunk), lab, val, comp);
    }
  }
}
