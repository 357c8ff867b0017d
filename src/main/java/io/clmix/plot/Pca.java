package io.clmix.plot;

import io.clmix.data.InputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The first two principal components of a set of points, for drawing data of more than two
 * dimensions on a page: points and means are projected onto the components, covariances
 * become {@code P^T Sigma P} (the covariance of the projected Gaussian, so a projected ellipse
 * is exactly the ellipse of the projected component).
 *
 * <p>The covariance is accumulated in double around the mean (two passes, no cancellation)
 * and eigen-decomposed with EJML's symmetric solver. Each component's sign is chosen so that
 * its largest coordinate is positive, which makes pictures reproducible (scikit-learn's
 * {@code svd_flip} does the same for the same reason).
 */
public final class Pca {
  private final double[] mean;
  private final double[][] axes;
  private final double[] ratio;

  private Pca(double[] mean, double[][] axes, double[] ratio) {
    this.mean = mean;
    this.axes = axes;
    this.ratio = ratio;
  }

  /**
   * Principal components of {@code rows} (n x d, d >= 2).
   *
   * @throws InputException when there are no rows or fewer than two columns
   */
  public static Pca fit(double[][] rows) {
    if (rows.length == 0) {
      throw new InputException("principal components need at least one row");
    }
    int d = rows[0].length;
    if (d < 2) {
      throw new InputException("principal components for a picture need at least 2 columns; got " + d);
    }
    double[] mean = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows.length;
    }
    DMatrixRMaj cov = new DMatrixRMaj(d, d);
    double[] diff = new double[d];
    for (double[] r : rows) {
      for (int j = 0; j < d; j++) {
        diff[j] = r[j] - mean[j];
      }
      for (int i = 0; i < d; i++) {
        double di = diff[i];
        int base = i * d;
        for (int j = i; j < d; j++) {
          cov.data[base + j] += di * diff[j];
        }
      }
    }
    double total = 0;
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        double v = cov.data[i * d + j] / rows.length;
        cov.data[i * d + j] = v;
        cov.data[j * d + i] = v;
      }
      total += cov.data[i * d + i];
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(cov)) {
      throw new InputException("the principal components of the data could not be computed "
          + "(the covariance has non-finite values)");
    }
    // The symmetric solver returns eigenvalues unordered: pick the two largest.
    int first = -1;
    int second = -1;
    for (int i = 0; i < d; i++) {
      double v = eig.getEigenvalue(i).getReal();
      if (first < 0 || v > eig.getEigenvalue(first).getReal()) {
        second = first;
        first = i;
      } else if (second < 0 || v > eig.getEigenvalue(second).getReal()) {
        second = i;
      }
    }
    double[][] axes = {vector(eig.getEigenVector(first), d), vector(eig.getEigenVector(second), d)};
    double[] ratio = new double[2];
    for (int a = 0; a < 2; a++) {
      double lambda = Math.max(0, eig.getEigenvalue(a == 0 ? first : second).getReal());
      ratio[a] = total > 0 ? lambda / total : Double.NaN; // no variance to hold a share of
    }
    return new Pca(mean, axes, ratio);
  }

  private static double[] vector(DMatrixRMaj v, int d) {
    double[] out = new double[d];
    int largest = 0;
    double norm = 0;
    for (int j = 0; j < d; j++) {
      out[j] = v.get(j);
      norm += out[j] * out[j];
      if (Math.abs(out[j]) > Math.abs(out[largest])) {
        largest = j;
      }
    }
    double scale = (out[largest] < 0 ? -1 : 1) / Math.sqrt(norm);
    for (int j = 0; j < d; j++) {
      out[j] *= scale;
    }
    return out;
  }

  /** The projection of {@code x} (d values, the data's own coordinates) onto PC1 and PC2. */
  public double[] project(double[] x) {
    double[] out = new double[2];
    for (int a = 0; a < 2; a++) {
      double s = 0;
      for (int j = 0; j < mean.length; j++) {
        s += (x[j] - mean[j]) * axes[a][j];
      }
      out[a] = s;
    }
    return out;
  }

  /** {@code P^T cov P}: the 2 x 2 covariance of a d x d covariance's projection. */
  public double[][] projectCovariance(double[][] cov) {
    int d = mean.length;
    double[][] out = new double[2][2];
    for (int a = 0; a < 2; a++) {
      for (int b = 0; b < 2; b++) {
        double s = 0;
        for (int i = 0; i < d; i++) {
          double ci = 0;
          for (int j = 0; j < d; j++) {
            ci += cov[i][j] * axes[b][j];
          }
          s += axes[a][i] * ci;
        }
        out[a][b] = s;
      }
    }
    return out;
  }

  /** Whether the sample varies at all (otherwise every axis is arbitrary and holds no share). */
  public boolean hasVariance() {
    return !Double.isNaN(ratio[0]);
  }

  /** Fraction of the total variance along component {@code i} (0 or 1); NaN without variance. */
  public double explainedVarianceRatio(int i) {
    return ratio[i];
  }

  /** Component {@code i} (0 or 1), a unit vector of d values; a copy. */
  public double[] component(int i) {
    return axes[i].clone();
  }

  /** An axis label such as {@code "PC1 (62.3% of variance)"}, or {@code "PC1"} without variance. */
  public String axisLabel(int i) {
    if (!hasVariance()) {
      return "PC" + (i + 1);
    }
    return String.format(java.util.Locale.ROOT, "PC%d (%.1f%% of variance)", i + 1, 100 * ratio[i]);
  }
}
