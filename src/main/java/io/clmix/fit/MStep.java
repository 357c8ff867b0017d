package io.clmix.fit;

import io.clmix.engine.SufficientStats;
import io.clmix.model.CovarianceType;

/**
 * The Gaussian mixture's M-step in double precision: weights, means and covariances from an
 * E-step's statistics, then (in {@link GmmParams}) the precision Cholesky factors with EJML.
 *
 * <p>The E-step returns sums and scatter about the means it was given (mu_old). With
 * {@code a = x - mu_old}, {@code S = sum r a}, {@code Q = sum r a a^T}, {@code N = sum r} and the
 * new mean {@code mu = mu_old + delta}, the scatter about the new mean is
 * {@code sum r (a - delta)(a - delta)^T = Q - S delta^T - delta S^T + N delta delta^T}: exact in
 * double, and free of the cancellation of the one-pass {@code sum r x x^T - N mu mu^T}.
 *
 * <p>As scikit-learn, each component's weight is {@code N + 10 eps} (so an empty component
 * divides by a tiny number, not zero) and regCovar is added to the diagonal.
 */
final class MStep {
  /**
   * scikit-learn's guard against empty components, 10 * float64 machine epsilon, added to each
   * component's weight in units of the data's mean sample weight: 1 without weights (so exactly
   * scikit-learn's), and the fit does not change when every weight is scaled alike.
   */
  static final double EMPTY_GUARD = 10 * Math.ulp(1.0);

  private MStep() {}

  /** The data's mean sample weight (1 without weights): the unit of {@link #EMPTY_GUARD}. */
  static double meanWeight(io.clmix.data.Dataset data) {
    return data.totalWeight() / data.rows();
  }

  static GmmParams update(SufficientStats st, double[] oldMeans, CovarianceType type, double regCovar, double meanWeight) {
    int k = st.k();
    int d = st.d();
    double[] n = st.weight();
    double[] s = st.sum();
    double[] q = st.scatter();
    double[] nk = new double[k];
    double totalNk = 0;
    for (int c = 0; c < k; c++) {
      nk[c] = n[c] + EMPTY_GUARD * meanWeight;
      totalNk += nk[c];
    }
    double[] weights = new double[k];
    for (int c = 0; c < k; c++) {
      weights[c] = nk[c] / totalNk;
    }
    // New means and their shifts from the old ones.
    double[] means = new double[k * d];
    double[] delta = new double[k * d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        int i = c * d + j;
        means[i] = (s[i] + n[c] * oldMeans[i]) / nk[c];
        delta[i] = means[i] - oldMeans[i];
      }
    }
    double[] cov;
    switch (type) {
      case FULL: {
        cov = new double[k * d * d];
        for (int c = 0; c < k; c++) {
          centredScatter(q, c * d * d, s, delta, c * d, n[c], d, cov, c * d * d, 1.0 / nk[c]);
          addToDiagonal(cov, c * d * d, d, regCovar);
        }
        break;
      }
      case TIED: {
        cov = q.clone();
        double[] zero = new double[d * d];
        for (int c = 0; c < k; c++) {
          // Subtract this component's shift terms from the summed scatter.
          double[] shift = new double[d * d];
          centredScatter(zero, 0, s, delta, c * d, n[c], d, shift, 0, 1.0);
          for (int i = 0; i < d * d; i++) {
            cov[i] += shift[i];
          }
        }
        for (int i = 0; i < d * d; i++) {
          cov[i] /= totalNk;
        }
        addToDiagonal(cov, 0, d, regCovar);
        break;
      }
      case DIAG:
      case SPHERICAL: {
        double[] diag = new double[k * d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            int i = c * d + j;
            diag[i] = (q[i] - 2 * s[i] * delta[i] + n[c] * delta[i] * delta[i]) / nk[c] + regCovar;
          }
        }
        if (type == CovarianceType.DIAG) {
          cov = diag;
        } else {
          cov = new double[k];
          for (int c = 0; c < k; c++) {
            double m = 0;
            for (int j = 0; j < d; j++) {
              m += diag[c * d + j];
            }
            cov[c] = m / d;
          }
        }
        break;
      }
      default:
        throw new AssertionError(type);
    }
    return new GmmParams(type, k, d, weights, means, cov);
  }

  /**
   * {@code out = scale * (Q - S delta^T - delta S^T + N delta delta^T)} for one component
   * (symmetric by construction).
   */
  private static void centredScatter(double[] q, int qOff, double[] s, double[] delta, int vOff, double n, int d,
      double[] out, int outOff, double scale) {
    for (int a = 0; a < d; a++) {
      double sa = s[vOff + a];
      double da = delta[vOff + a];
      for (int b = 0; b < d; b++) {
        double sb = s[vOff + b];
        double db = delta[vOff + b];
        out[outOff + a * d + b] = scale * (q[qOff + a * d + b] - sa * db - da * sb + n * da * db);
      }
    }
  }

  private static void addToDiagonal(double[] m, int off, int d, double v) {
    for (int j = 0; j < d; j++) {
      m[off + j * d + j] += v;
    }
  }
}
