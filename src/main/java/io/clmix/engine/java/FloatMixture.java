package io.clmix.engine.java;

import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;

/**
 * A mixture's parameters rounded once per pass into the float layouts of the screening kernels
 * ({@link GaussianKernels}).
 *
 * <p>Each mean is split into {@code hi + lo}, two floats whose sum is the double mean to about
 * 2^-48, so {@code x - mean} is formed in float without the error of rounding the mean
 * ({@code eps |mean|}, which for data far from the origin relative to a component's width would
 * dominate the error and could exceed the screen's margin). The kernels compute {@code (x - hi) U} and start the sum at {@code -(lo U)}
 * ({@link #bias}), which folds the low part in for free.
 *
 * <p>The log normalisers can be large and nearly equal (a tiny variance makes log det U large for
 * every component), so they are taken relative to their maximum, {@link #logNormShift}; only the
 * differences are rounded to float.
 */
final class FloatMixture {
  /** Output columns of the triangular kernel per tile; factor rows are padded to a multiple. */
  static final int TILE_J = 4;

  final int k;
  final int d;
  final CovarianceType type;
  /** FULL or TIED: the kernels multiply by a triangular factor; otherwise by a diagonal. */
  final boolean triangular;
  /** Columns of the padded triangular factor: d rounded up to a multiple of {@link #TILE_J}. */
  final int dp;
  /** High and low float parts of the means, k x d. */
  final float[] meanHi;
  final float[] meanLo;
  /**
   * Triangular: the factors U (upper triangular, row a holds column entries j >= a), each d x
   * dp, one per component (FULL) or one shared (TIED). Diagonal: the per-column factor
   * 1 / sigma, k x d (SPHERICAL repeats its one value d times).
   */
  final float[] factor;
  /** Triangular: {@code -(lo U)_j}, k x dp. Diagonal: {@code -lo_j u_j}, k x d. */
  final float[] bias;
  /** {@code logNorm[c] - logNormShift}, rounded to float. */
  final float[] logNormDelta;
  /** The largest log normaliser: the float log-densities are relative to it. */
  final double logNormShift;

  FloatMixture(MixtureParams p) {
    this.k = p.k();
    this.d = p.d();
    this.type = p.type();
    this.triangular = type == CovarianceType.FULL || type == CovarianceType.TIED;
    this.dp = (d + TILE_J - 1) / TILE_J * TILE_J;
    double[] means = p.means();
    meanHi = new float[k * d];
    meanLo = new float[k * d];
    for (int i = 0; i < k * d; i++) {
      meanHi[i] = (float) means[i];
      meanLo[i] = (float) (means[i] - meanHi[i]);
    }
    double[] u = p.precisionCholesky();
    if (triangular) {
      int mats = type == CovarianceType.FULL ? k : 1;
      factor = new float[mats * d * dp];
      for (int m = 0; m < mats; m++) {
        for (int a = 0; a < d; a++) {
          for (int j = a; j < d; j++) {
            factor[(m * d + a) * dp + j] = (float) u[(m * d + a) * d + j];
          }
        }
      }
      bias = new float[k * dp];
      for (int c = 0; c < k; c++) {
        int base = (type == CovarianceType.FULL ? c : 0) * d * d;
        for (int j = 0; j < d; j++) {
          double s = 0;
          for (int a = 0; a <= j; a++) {
            s += meanLo[c * d + a] * u[base + a * d + j];
          }
          bias[c * dp + j] = (float) -s;
        }
      }
    } else {
      factor = new float[k * d];
      bias = new float[k * d];
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          double uj = type == CovarianceType.DIAG ? u[c * d + j] : u[c];
          factor[c * d + j] = (float) uj;
          bias[c * d + j] = (float) (-meanLo[c * d + j] * uj);
        }
      }
    }
    double[] logNorm = p.logNorm();
    double shift = Double.NEGATIVE_INFINITY;
    for (double v : logNorm) {
      shift = Math.max(shift, v);
    }
    // All -infinity (no component can hold any point) or NaN: no shift, let the values speak.
    logNormShift = Double.isFinite(shift) ? shift : 0;
    logNormDelta = new float[k];
    for (int c = 0; c < k; c++) {
      logNormDelta[c] = (float) (logNorm[c] - logNormShift);
    }
  }

  /** Offset of component c's triangular factor in {@link #factor}. */
  int factorOffset(int c) {
    return type == CovarianceType.FULL ? c * d * dp : 0;
  }
}
