package io.clmix.engine.opencl;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import io.clmix.model.CovarianceType;
import java.util.Random;

/**
 * Straightforward double-precision mixture computations to test the kernels against: per point
 * the component log-densities through the precision Cholesky factors, their log-sum-exp, the
 * responsibilities (or the first most likely component) and the statistics about the given
 * means, exactly as {@link io.clmix.engine.DataSession#expect} defines them.
 */
final class MixtureReference {
  final int[] labels;
  final double[] logp;
  /** n x k responsibilities (SOFT) of the points. */
  final double[] resp;
  final SufficientStats stats;

  MixtureReference(Dataset data, MixtureParams p, Responsibilities mode) {
    int n = (int) data.rows();
    int d = data.cols();
    int k = p.k();
    labels = new int[n];
    logp = new double[n];
    resp = new double[n * k];
    Scatter shape = p.scatterShape();
    stats = new SufficientStats(k, d, shape);
    double[] lp = new double[k];
    double[] diff = new double[d];
    double total = 0;
    for (int i = 0; i < n; i++) {
      float[] x = data.localRow(i);
      double max = Double.NEGATIVE_INFINITY;
      int best = 0;
      for (int c = 0; c < k; c++) {
        lp[c] = logDensity(p, x, c);
        if (lp[c] > max) {
          max = lp[c];
          best = c;
        }
      }
      double s = 0;
      for (int c = 0; c < k; c++) {
        s += Math.exp(lp[c] - max);
      }
      double lse = max + Math.log(s);
      labels[i] = best;
      logp[i] = lse;
      double w = data.weight(i);
      total += w * (mode == Responsibilities.HARD ? lp[best] : lse);
      for (int c = 0; c < k; c++) {
        double r = Math.exp(lp[c] - lse);
        resp[i * k + c] = r;
        double wr = mode == Responsibilities.HARD ? (c == best ? w : 0) : w * r;
        if (wr == 0) {
          continue;
        }
        stats.weight()[c] += wr;
        for (int j = 0; j < d; j++) {
          diff[j] = x[j] - p.means()[c * d + j];
          stats.sum()[c * d + j] += wr * diff[j];
        }
        double[] q = stats.scatter();
        for (int a = 0; a < d; a++) {
          for (int b = 0; b < d; b++) {
            double v = wr * diff[a] * diff[b];
            switch (shape) {
              case FULL:
                q[(c * d + a) * d + b] += v;
                break;
              case TIED:
                q[a * d + b] += v;
                break;
              case DIAG:
                if (a == b) {
                  q[c * d + a] += v;
                }
                break;
              default:
                break;
            }
          }
        }
      }
    }
    stats.setObjective(total);
  }

  static double logDensity(MixtureParams p, float[] x, int c) {
    int d = p.d();
    double[] mu = p.means();
    double[] u = p.precisionCholesky();
    double maha = 0;
    switch (p.type()) {
      case FULL:
      case TIED: {
        int base = p.type() == CovarianceType.FULL ? c * d * d : 0;
        for (int j = 0; j < d; j++) {
          double y = 0;
          for (int i = 0; i <= j; i++) {
            y += (x[i] - mu[c * d + i]) * u[base + i * d + j];
          }
          maha += y * y;
        }
        break;
      }
      case DIAG:
        for (int j = 0; j < d; j++) {
          double y = (x[j] - mu[c * d + j]) * u[c * d + j];
          maha += y * y;
        }
        break;
      default:
        for (int j = 0; j < d; j++) {
          double y = (x[j] - mu[c * d + j]) * u[c];
          maha += y * y;
        }
        break;
    }
    return p.logNorm()[c] - 0.5 * maha;
  }

  /**
   * A random mixture near the data: means at random rows plus noise, precision factors with
   * standard deviations around {@code scale} and (full, tied) mild correlations, random weights.
   */
  static MixtureParams random(Dataset data, int k, CovarianceType type, double scale, long seed) {
    Random rnd = new Random(seed);
    int d = data.cols();
    double[] means = new double[k * d];
    for (int c = 0; c < k; c++) {
      float[] r = data.localRow(rnd.nextInt((int) data.rows()));
      for (int j = 0; j < d; j++) {
        means[c * d + j] = r[j] + rnd.nextGaussian() * 0.3;
      }
    }
    int len = MixtureParams.precisionLength(type, k, d);
    double[] u = new double[len];
    double[] logDet = new double[k];
    switch (type) {
      case FULL:
      case TIED: {
        int mats = type == CovarianceType.FULL ? k : 1;
        for (int m = 0; m < mats; m++) {
          double ld = 0;
          for (int a = 0; a < d; a++) {
            double diag = (0.7 + 0.6 * rnd.nextDouble()) / scale;
            u[(m * d + a) * d + a] = diag;
            ld += Math.log(diag);
            for (int b = a + 1; b < d; b++) {
              u[(m * d + a) * d + b] = 0.2 * rnd.nextGaussian() / scale;
            }
          }
          if (type == CovarianceType.FULL) {
            logDet[m] = ld;
          } else {
            java.util.Arrays.fill(logDet, ld);
          }
        }
        break;
      }
      case DIAG:
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            u[c * d + j] = (0.7 + 0.6 * rnd.nextDouble()) / scale;
            logDet[c] += Math.log(u[c * d + j]);
          }
        }
        break;
      default:
        for (int c = 0; c < k; c++) {
          u[c] = (0.7 + 0.6 * rnd.nextDouble()) / scale;
          logDet[c] = d * Math.log(u[c]);
        }
        break;
    }
    double[] w = new double[k];
    double sw = 0;
    for (int c = 0; c < k; c++) {
      w[c] = 0.5 + rnd.nextDouble();
      sw += w[c];
    }
    double[] logNorm = new double[k];
    for (int c = 0; c < k; c++) {
      logNorm[c] = Math.log(w[c] / sw) + logDet[c] - 0.5 * d * Math.log(2 * Math.PI);
    }
    return new MixtureParams(k, d, type, means, u, logNorm);
  }
}
