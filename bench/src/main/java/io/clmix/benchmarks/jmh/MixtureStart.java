package io.clmix.benchmarks.jmh;

import io.clmix.bench.Workload;
import io.clmix.engine.MixtureParams;
import io.clmix.model.CovarianceType;

/**
 * The workload's mixture start (rows as means, equal weights, the data's column variances) in
 * the form an E-step takes, its standard deviations optionally scaled. With diagonal covariances
 * the precision Cholesky factor is the diagonal of {@code 1 / sigma}, so no factorisation is
 * needed.
 */
final class MixtureStart {
  private MixtureStart() {}

  /** The start with every standard deviation times {@code scale}: precision factors over it. */
  static MixtureParams params(Workload w, double scale) {
    int k = w.spec().k();
    int d = w.spec().d();
    CovarianceType type = w.spec().covariance();
    double[] precisions = w.startPrecisions();
    double[][] local = w.startLocal();
    double[] means = new double[k * d];
    for (int c = 0; c < k; c++) {
      System.arraycopy(local[c], 0, means, c * d, d);
    }
    double[] chol = new double[precisions.length];
    for (int i = 0; i < chol.length; i++) {
      chol[i] = Math.sqrt(precisions[i]) / scale; // zero off the diagonal stays zero
    }
    double[] logNorm = new double[k];
    for (int c = 0; c < k; c++) {
      double logDet = 0;
      for (int j = 0; j < d; j++) {
        logDet += Math.log(diagonal(type, chol, c, j, d));
      }
      logNorm[c] = Math.log(1.0 / k) + logDet - 0.5 * d * Math.log(2 * Math.PI);
    }
    return new MixtureParams(k, d, type, means, chol, logNorm);
  }

  /** Entry j of the diagonal of component c's precision Cholesky factor. */
  private static double diagonal(CovarianceType type, double[] chol, int c, int j, int d) {
    switch (type) {
      case FULL:
        return chol[(c * d + j) * d + j];
      case TIED:
        return chol[j * d + j];
      case DIAG:
        return chol[c * d + j];
      default:
        return chol[c];
    }
  }
}
