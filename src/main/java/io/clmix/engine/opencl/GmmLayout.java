package io.clmix.engine.opencl;

import io.clmix.engine.MixtureParams;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import io.clmix.model.CovarianceType;

/**
 * The host's half of {@code kernels/gmm.cl}'s layouts, one instance per (columns, components,
 * covariance type, tile shape): how the double {@link MixtureParams} are rounded into the float
 * records the kernels read, and how the acc_t statistics the kernels return are decoded into
 * {@link SufficientStats} about the means that were given. The constants mirror the kernel's
 * {@code GMM_*} macros and must change with them.
 *
 * <p>Numerics. Each mean is split into {@code hi + lo}, two floats whose sum is the double mean
 * to about 2^-48. The kernels form {@code x - hi} and start the triangular product at
 * {@code bias = -(lo U)} instead of zero, so log-densities are about the exact mean at no cost;
 * the statistics are accumulated about {@code hi} and shifted to the given mean here, in double:
 * with {@code delta = hi - mean}, {@code S = S_hi + N delta} and
 * {@code Q = Q_hi + S_hi delta^T + delta S_hi^T + N delta delta^T}. Log normalisers are sent
 * relative to their maximum ({@link Packed#shift}), as a float and its float remainder, because
 * they can be large and nearly equal while only their differences matter to the posteriors.
 */
final class GmmLayout {
  /** Kernel code for the covariance family: diagonal factors, triangular per component, one shared triangular. */
  static final int DIAGONAL = 0;
  static final int TRIANGULAR = 1;
  static final int SHARED = 2;

  final int d;
  final int k;
  final CovarianceType type;
  /** {@code GMM_COV}. */
  final int cov;
  /** {@code GMM_QS}. */
  final int qs;
  /** {@code GMM_PAIRS}: scatter matrices as {@code dp x dp} rows instead of upper blocks. */
  final boolean pairs;
  /** {@code GMM_DP}: columns padded to a multiple of 4. */
  final int dp;
  /** {@code GMM_NB}, {@code GMM_NQ}: block rows and upper blocks of a scatter matrix. */
  final int nb;
  final int nq;
  /** {@code GMM_STAT_C}, {@code GMM_STAT}, {@code GMM_SLOT}. */
  final int statC;
  final int stat;
  final int slot;
  /** {@code GMM_PSTRIDE}: floats per component record. */
  final int pstride;
  /** Floats of the whole parameter buffer. */
  final int paramFloats;

  private static final int P_BIAS_OFF = 1; // in units of dp
  private static final int P_FACTOR_EXTRA = 4;

  GmmLayout(int d, int k, CovarianceType type, int qs, boolean pairs) {
    this.d = d;
    this.k = k;
    this.type = type;
    this.cov = covCode(type);
    this.qs = qs;
    this.pairs = pairs;
    this.dp = (d + 3) / 4 * 4;
    this.nb = dp / qs;
    this.nq = nb * (nb + 1) / 2;
    int qlen = pairs ? dp * dp : nq * qs * qs;
    switch (cov) {
      case DIAGONAL:
        statC = 1 + 2 * dp;
        stat = k * statC;
        break;
      case TRIANGULAR:
        statC = 1 + dp + qlen;
        stat = k * statC;
        break;
      default:
        statC = 1 + dp;
        stat = k * statC + qlen;
        break;
    }
    this.slot = stat + 1;
    int factorAt = pFactor();
    this.pstride = cov == DIAGONAL ? factorAt + dp : cov == TRIANGULAR ? factorAt + d * dp : factorAt;
    this.paramFloats = Math.multiplyExact(k, pstride) + (cov == SHARED ? d * dp : 0);
  }

  static int covCode(CovarianceType type) {
    switch (type) {
      case FULL:
        return TRIANGULAR;
      case TIED:
        return SHARED;
      case DIAG:
      case SPHERICAL:
        return DIAGONAL;
      default:
        throw new AssertionError(type);
    }
  }

  private int pBias() {
    return P_BIAS_OFF * dp;
  }

  private int pLnd() {
    return 2 * dp;
  }

  private int pFactor() {
    return 2 * dp + P_FACTOR_EXTRA;
  }

  /** The compiler definitions of this layout (added to the engine's for the data's dimension). */
  Defines defines(Defines base, int lanes, int vecs, boolean paramsLocal, boolean tileLocal) {
    return base.with("GMM_K", k).with("GMM_COV", cov).with("GMM_PV", lanes).with("GMM_PI", vecs)
        .with("GMM_QS", qs).with("GMM_PLOCAL", paramsLocal ? 1 : 0).with("GMM_XLOCAL", tileLocal ? 1 : 0)
        .with("GMM_PAIRS", pairs ? 1 : 0);
  }

  // ------------------------------------------------------------------ parameters

  /**
   * Parameters rounded for the device.
   *
   * @param floats the buffer's contents, {@link #paramFloats} values
   * @param shift the largest log normaliser, which the kernels' log-densities are relative to
   * @param delta {@code hi - mean} per mean value (k x d), for the statistics' shift
   */
  record Packed(float[] floats, double shift, double[] delta) {}

  Packed pack(MixtureParams p) {
    if (p.k() != k || p.d() != d || covCode(p.type()) != cov) {
      throw new IllegalArgumentException("parameters of " + p.k() + " components, " + p.d() + " columns, "
          + p.type().id() + " for a layout of " + k + ", " + d + ", " + type.id());
    }
    float[] f = new float[paramFloats];
    double[] means = p.means();
    double[] u = p.precisionCholesky();
    double[] logNorm = p.logNorm();
    double shift = Double.NEGATIVE_INFINITY;
    for (double v : logNorm) {
      shift = Math.max(shift, v);
    }
    // All -infinity (no component can hold any point) or NaN: no shift, let the values speak.
    shift = Double.isFinite(shift) ? shift : 0;
    double[] delta = new double[k * d];
    double[] lo = new double[d];
    for (int c = 0; c < k; c++) {
      int o = c * pstride;
      for (int j = 0; j < d; j++) {
        double mean = means[c * d + j];
        float hi = (float) mean;
        f[o + j] = hi;
        lo[j] = (float) (mean - hi);
        delta[c * d + j] = hi - mean;
      }
      double ln = logNorm[c] - shift;
      float lnd = (float) ln;
      f[o + pLnd()] = lnd;
      // A component of weight 0 has ln = -inf: its low part is 0, not -inf - -inf = NaN, which
      // would make every row's log-likelihood NaN.
      f[o + pLnd() + 1] = Double.isInfinite(ln) ? 0f : (float) (ln - lnd);
      switch (cov) {
        case DIAGONAL:
          for (int j = 0; j < d; j++) {
            double uj = p.type() == CovarianceType.DIAG ? u[c * d + j] : u[c];
            f[o + pFactor() + j] = (float) uj;
            f[o + pBias() + j] = (float) (-lo[j] * uj);
          }
          break;
        case TRIANGULAR:
        case SHARED: {
          int base = cov == TRIANGULAR ? c * d * d : 0;
          for (int j = 0; j < d; j++) {
            double s = 0;
            for (int a = 0; a <= j; a++) {
              s += lo[a] * u[base + a * d + j];
            }
            f[o + pBias() + j] = (float) -s;
          }
          if (cov == TRIANGULAR) {
            for (int a = 0; a < d; a++) {
              for (int j = a; j < d; j++) {
                f[o + pFactor() + a * dp + j] = (float) u[base + a * d + j];
              }
            }
          }
          break;
        }
        default:
          throw new AssertionError(cov);
      }
    }
    if (cov == SHARED) {
      int o = k * pstride;
      for (int a = 0; a < d; a++) {
        for (int j = a; j < d; j++) {
          f[o + a * dp + j] = (float) u[a * d + j];
        }
      }
    }
    return new Packed(f, shift, delta);
  }

  // ------------------------------------------------------------------ statistics

  /** Offset of block (ia, ib), ia <= ib, among the upper blocks (the kernel's gmm_block_index). */
  int blockIndex(int ia, int ib) {
    return ia * nb - ia * (ia - 1) / 2 + (ib - ia);
  }

  /** Offset of scatter entry (a, b), a <= b, within a scatter matrix that starts at {@code base}. */
  private int entry(int base, int a, int b) {
    if (pairs) {
      return base + a * dp + b;
    }
    return base + blockIndex(a / qs, b / qs) * qs * qs + (a % qs) * qs + (b % qs);
  }

  /**
   * The statistics in {@code words} (the reduced {@link #slot} acc_t values) about the given
   * means: decoded, shifted by {@code packed.delta()}, the scatter mirrored to both triangles,
   * and the objective made absolute with {@code shift * totalWeight}.
   */
  SufficientStats decode(long[] words, boolean fp64, Packed packed, double totalWeight, Scatter shape) {
    SufficientStats st = new SufficientStats(k, d, shape);
    double[] n = st.weight();
    double[] s = st.sum();
    double[] q = st.scatter();
    double[] delta = packed.delta();
    for (int c = 0; c < k; c++) {
      int o = c * statC;
      n[c] = Accumulators.decode(words[o], fp64);
      for (int j = 0; j < d; j++) {
        s[c * d + j] = Accumulators.decode(words[o + 1 + j], fp64);
      }
    }
    switch (cov) {
      case DIAGONAL:
        for (int c = 0; c < k; c++) {
          int o = c * statC + 1 + dp;
          for (int j = 0; j < d; j++) {
            int i = c * d + j;
            double qf = Accumulators.decode(words[o + j], fp64);
            q[i] = qf + 2 * s[i] * delta[i] + n[c] * delta[i] * delta[i];
          }
        }
        break;
      case TRIANGULAR:
        for (int c = 0; c < k; c++) {
          int base = c * statC + 1 + dp;
          for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
              q[(c * d + a) * d + b] = Accumulators.decode(words[entry(base, a, b)], fp64);
            }
          }
          shiftScatter(q, c * d * d, s, delta, c * d, n[c]);
        }
        break;
      default: {
        int base = k * statC;
        for (int a = 0; a < d; a++) {
          for (int b = a; b < d; b++) {
            q[a * d + b] = Accumulators.decode(words[entry(base, a, b)], fp64);
          }
        }
        for (int c = 0; c < k; c++) {
          shiftScatter(q, 0, s, delta, c * d, n[c]);
        }
        break;
      }
    }
    // The sums last: the scatter's shift needs the sums about hi.
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        s[c * d + j] += n[c] * delta[c * d + j];
      }
    }
    if (shape == Scatter.FULL || shape == Scatter.TIED) {
      int mats = shape == Scatter.FULL ? k : 1;
      for (int m = 0; m < mats; m++) {
        for (int a = 0; a < d; a++) {
          for (int b = a + 1; b < d; b++) {
            q[(m * d + b) * d + a] = q[(m * d + a) * d + b];
          }
        }
      }
    }
    double obj = Accumulators.decode(words[stat], fp64);
    st.setObjective(obj + packed.shift() * totalWeight);
    return st;
  }

  /** Upper triangle of {@code q[qo..]} += {@code S delta^T + delta S^T + N delta delta^T} (sums about hi). */
  private void shiftScatter(double[] q, int qo, double[] s, double[] delta, int vo, double n) {
    for (int a = 0; a < d; a++) {
      double sa = s[vo + a];
      double da = delta[vo + a];
      if (da == 0 && sa == 0) {
        continue;
      }
      for (int b = a; b < d; b++) {
        double db = delta[vo + b];
        q[qo + a * d + b] += sa * db + da * s[vo + b] + n * da * db;
      }
    }
  }
}
