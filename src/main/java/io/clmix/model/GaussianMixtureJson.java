package io.clmix.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.InputException;

/**
 * The Gaussian-mixture part of a model file: scikit-learn's attributes in camelCase and in
 * scikit-learn's shapes for each covariance type, so a model loads into scikit-learn by setting
 * them (see docs/model-format.md).
 */
final class GaussianMixtureJson {
  private GaussianMixtureJson() {}

  static void write(GaussianMixtureModel m, ObjectNode root) {
    int k = m.k();
    int d = m.d();
    CovarianceType t = m.covarianceType();
    root.put("nComponents", k);
    root.put("covarianceType", t.id());
    root.set("weights", ModelJson.vector(m.weights()));
    root.set("means", ModelJson.matrix(m.means()));
    root.set("covariances", shaped(t, m.covariances(), k, d));
    root.set("precisionsCholesky", shaped(t, m.precisionsCholesky(), k, d));
    root.put("converged", m.converged());
    root.put("nIter", m.iterations());
    root.put("lowerBound", m.lowerBound());
  }

  private static com.fasterxml.jackson.databind.JsonNode shaped(CovarianceType t, double[] flat, int k, int d) {
    switch (t) {
      case FULL: {
        double[][][] out = new double[k][d][d];
        for (int c = 0; c < k; c++) {
          for (int i = 0; i < d; i++) {
            System.arraycopy(flat, (c * d + i) * d, out[c][i], 0, d);
          }
        }
        return ModelJson.tensor(out);
      }
      case TIED:
        return ModelJson.matrix(rows(flat, d, d));
      case DIAG:
        return ModelJson.matrix(rows(flat, k, d));
      case SPHERICAL:
        return ModelJson.vector(flat);
      default:
        throw new AssertionError(t);
    }
  }

  private static double[][] rows(double[] flat, int r, int c) {
    double[][] out = new double[r][c];
    for (int i = 0; i < r; i++) {
      System.arraycopy(flat, i * c, out[i], 0, c);
    }
    return out;
  }

  static GaussianMixtureModel read(ModelJson.Fields f, int d) {
    int k = f.integer("nComponents", 1, Integer.MAX_VALUE);
    CovarianceType t;
    try {
      t = CovarianceType.parse(f.text("covarianceType"));
    } catch (InputException e) {
      throw f.bad("covarianceType", "'" + ModelJson.shown(f.text("covarianceType"))
          + "' is not one of full, tied, diag, spherical");
    }
    double[] weights = weights(f, k);
    double[][] means = f.matrix("means", k, d);
    double[] cov = flat(f, "covariances", t, k, d);
    double[] prec = flat(f, "precisionsCholesky", t, k, d);
    boolean converged = f.bool("converged");
    int iters = f.integer("nIter", 0, Integer.MAX_VALUE);
    double lowerBound = f.numberOrMinusInfinity("lowerBound");
    GaussianMixtureModel m;
    try {
      m = new GaussianMixtureModel(t, weights, means, cov, converged, iters, lowerBound);
    } catch (InputException e) {
      String why = e.getMessage();
      throw f.bad(why.startsWith("mean ") ? "means" : why.startsWith("the lower bound") ? "lowerBound" : "covariances", why);
    }
    checkPrecisions(f, t, d, prec, m.precisionsCholesky());
    return m;
  }

  /**
   * How far a file's precision factors may stray from those its covariances give, relative to
   * the largest factor of their component: they are recomputed anyway, so this catches a file
   * edited in one field and not the other, not rounding. A file exported with 6 significant
   * digits (or float32) differs by the rounding of the covariances times their conditioning;
   * 1e-6 per entry refused every such file.
   */
  static final double PRECISION_TOLERANCE = 1e-3;

  private static void checkPrecisions(ModelJson.Fields f, CovarianceType t, int d, double[] prec, double[] computed) {
    int block = t == CovarianceType.FULL || t == CovarianceType.TIED ? d * d : t == CovarianceType.DIAG ? d : 1;
    for (int b = 0; b < computed.length; b += block) {
      double scale = 0;
      for (int i = b; i < b + block; i++) {
        scale = Math.max(scale, Math.abs(computed[i]));
      }
      for (int i = b; i < b + block; i++) {
        if (!(Math.abs(computed[i] - prec[i]) <= PRECISION_TOLERANCE * scale)) {
          throw f.bad("precisionsCholesky" + index(t, d, i), prec[i] + " but the covariances give " + computed[i]
              + "; the two fields disagree by more than 1e-3 of the component's largest factor");
        }
      }
    }
  }

  /** Entry {@code i} of a flat array in the type's shape, as JSON nests it: {@code [1][0][2]}. */
  private static String index(CovarianceType t, int d, int i) {
    switch (t) {
      case FULL:
        return "[" + i / (d * d) + "][" + i % (d * d) / d + "][" + i % d + "]";
      case TIED:
      case DIAG:
        return "[" + i / d + "][" + i % d + "]";
      default:
        return "[" + i + "]";
    }
  }

  /** The mixing weights: probabilities, so non-negative and summing to 1. */
  private static double[] weights(ModelJson.Fields f, int k) {
    double[] weights = f.vector("weights", k);
    double sum = 0;
    for (int c = 0; c < k; c++) {
      if (weights[c] < 0) {
        throw f.bad("weights", weights[c] + " (entry " + c + ") is not allowed; expected weights >= 0 that sum to 1");
      }
      sum += weights[c];
    }
    if (!(Math.abs(sum - 1) <= GaussianMixtureModel.WEIGHT_SUM_TOLERANCE)) {
      throw f.bad("weights", "the weights sum to " + sum + "; expected 1 (within 1e-6)");
    }
    return weights;
  }

  private static double[] flat(ModelJson.Fields f, String field, CovarianceType t, int k, int d) {
    switch (t) {
      case FULL: {
        double[][][] x = f.tensor(field, k, d, d);
        double[] out = new double[k * d * d];
        for (int c = 0; c < k; c++) {
          for (int i = 0; i < d; i++) {
            System.arraycopy(x[c][i], 0, out, (c * d + i) * d, d);
          }
        }
        return out;
      }
      case TIED: {
        double[][] x = f.matrix(field, d, d);
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
          System.arraycopy(x[i], 0, out, i * d, d);
        }
        return out;
      }
      case DIAG: {
        double[][] x = f.matrix(field, k, d);
        double[] out = new double[k * d];
        for (int i = 0; i < k; i++) {
          System.arraycopy(x[i], 0, out, i * d, d);
        }
        return out;
      }
      case SPHERICAL:
        return f.vector(field, k);
      default:
        throw new AssertionError(t);
    }
  }
}
