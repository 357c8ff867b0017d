package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import io.clmix.engine.java.Blocks.Block;
import java.util.List;

/**
 * The Gaussian-mixture passes in plain double-precision loops: per point, the component
 * log-densities through the precision Cholesky factors, their log-sum-exp, the
 * responsibilities, and the responsibility-weighted statistics.
 *
 * <p>This is the definition the vectorised float32 passes ({@link VectorGaussianPass}) are
 * tested against, and the fallback when the {@code jdk.incubator.vector} module is absent. It
 * is simple and slow: a scalar {@code Math.exp} per (point, component) pair and the full
 * scatter update for every pair with a non-zero responsibility.
 */
final class ReferenceGaussianPass {
  private final JavaEngine engine;
  private final Dataset data;
  private final Blocks blocks;
  private final int d;

  ReferenceGaussianPass(JavaEngine engine, Dataset data, Blocks blocks) {
    this.engine = engine;
    this.data = data;
    this.blocks = blocks;
    this.d = data.cols();
  }

  /** Per-task scratch space, allocated once per slab, never per point. */
  private static final class Scratch {
    final double[] diff;
    final double[] logProb;

    Scratch(int k, int d) {
      diff = new double[d];
      logProb = new double[k];
    }
  }

  SufficientStats expect(MixtureParams params, Responsibilities mode) {
    boolean hard = mode == Responsibilities.HARD;
    DoubleDensities dens = new DoubleDensities(params);
    int k = params.k();
    Scatter shape = params.scatterShape();
    int slabs = blocks.slabCount((long) k * d + k + shape.length(k, d));
    List<SufficientStats> parts = engine.parallel(slabs, s -> {
      SufficientStats st = new SufficientStats(k, d, shape);
      double[] weight = st.weight();
      double[] sum = st.sum();
      double[] scatter = st.scatter();
      Scratch sc = new Scratch(k, d);
      double total = 0;
      float[] buffer = null;
      for (int b = blocks.slabFrom(s, slabs); b < blocks.slabTo(s, slabs); b++) {
        Block blk = blocks.block(b);
        RowView rows = RowView.of(data, blk, buffer);
        buffer = rows.buffer();
        float[] w = data.chunkWeights(blk.chunk());
        for (int i = 0; i < blk.rows(); i++) {
          int xo = rows.offset() + i * d;
          double wi = w == null ? 1.0 : w[blk.fromRow() + i];
          double logp = dens.logProbs(rows.values(), xo, sc.logProb, sc.diff);
          int best = hard ? DoubleDensities.argmax(sc.logProb) : -1;
          total += wi * (hard ? sc.logProb[best] : logp);
          for (int c = 0; c < k; c++) {
            double wr = hard ? (c == best ? wi : 0) : wi * Math.exp(sc.logProb[c] - logp);
            if (wr == 0) {
              continue;
            }
            weight[c] += wr;
            double[] mu = params.means();
            int mo = c * d;
            double[] diff = sc.diff;
            for (int j = 0; j < d; j++) {
              diff[j] = rows.values()[xo + j] - mu[mo + j];
              sum[mo + j] += wr * diff[j];
            }
            accumulateScatter(shape, scatter, c, diff, wr);
          }
        }
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

  private void accumulateScatter(Scatter shape, double[] scatter, int c, double[] diff, double wr) {
    switch (shape) {
      case FULL:
      case TIED: {
        // Upper triangle only; mirrored once at the end of the pass.
        int base = shape == Scatter.FULL ? c * d * d : 0;
        for (int a = 0; a < d; a++) {
          double wa = wr * diff[a];
          int ro = base + a * d;
          for (int b = a; b < d; b++) {
            scatter[ro + b] += wa * diff[b];
          }
        }
        break;
      }
      case DIAG: {
        int o = c * d;
        for (int j = 0; j < d; j++) {
          scatter[o + j] += wr * diff[j] * diff[j];
        }
        break;
      }
      default:
        break;
    }
  }

  void pointwise(MixtureParams params, PointSink sink) {
    DoubleDensities dens = new DoubleDensities(params);
    int k = params.k();
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
        Scratch sc = new Scratch(k, d);
        for (int r = 0; r < blk.rows(); r++) {
          int row = blk.fromRow() + r;
          double logp = dens.logProbs(rows.values(), rows.offset() + r * d, sc.logProb, sc.diff);
          lab[row] = DoubleDensities.argmax(sc.logProb);
          val[row] = (float) logp;
          if (all) {
            for (int c = 0; c < k; c++) {
              comp[row * k + c] = (float) Math.exp(sc.logProb[c] - logp);
            }
          }
        }
        return null;
      });
      sink.accept(chunk, data.chunkStart(chunk), data.rowsIn(chunk), lab, val, comp);
    }
  }
}
