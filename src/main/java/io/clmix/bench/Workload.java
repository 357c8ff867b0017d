package io.clmix.bench;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.data.DistinctRows;
import io.clmix.fit.GaussianMixtureOptions;
import io.clmix.fit.GmmInit;
import io.clmix.model.CovarianceType;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The data and the one start that every device begins from: Gaussian blobs generated from the
 * spec's seed ({@link Blobs}, as {@code clmix generate} writes them) and {@code k} distinct rows
 * drawn with the same seed. Every device, and every peer library reading the exported start
 * ({@link StartFile}), therefore does the same arithmetic on the same numbers.
 *
 * <p>K-means starts from those rows as centres. A mixture starts with equal weights, those rows
 * as means and, for every component, the diagonal covariance of the whole data set (a broad
 * start that every component can move from); its precisions are given in scikit-learn's
 * {@code precisions_init} layout, which is also clmix's {@code precisionsInit}.
 */
public final class Workload {
  /** Keeps the start's draws independent of the data's, which use the same seed. */
  private static final long START_SALT = 0x5DEECE66DL;

  private final BenchSpec spec;
  private final Dataset data;
  private final long[] startRows;

  private Workload(BenchSpec spec, Dataset data, long[] startRows) {
    this.spec = spec;
    this.data = data;
    this.startRows = startRows;
  }

  /** Generates the data and draws the start for {@code spec}. */
  public static Workload generate(BenchSpec spec) {
    Dataset data = Blobs.of(spec.n(), spec.d(), spec.k(), spec.seed()).generate();
    return new Workload(spec, data, DistinctRows.draw(spec.n(), spec.k(), new SplittableRandom(spec.seed() ^ START_SALT)));
  }

  public BenchSpec spec() {
    return spec;
  }

  public Dataset data() {
    return data;
  }

  /** The rows the start was drawn from, in draw order; a copy. */
  public long[] startRows() {
    return startRows.clone();
  }

  /** The start rows in the data's local coordinates (what engines see), k x d. */
  public double[][] startLocal() {
    double[][] out = new double[startRows.length][];
    for (int c = 0; c < startRows.length; c++) {
      float[] r = data.localRow(startRows[c]);
      out[c] = new double[r.length];
      for (int j = 0; j < r.length; j++) {
        out[c][j] = r[j];
      }
    }
    return out;
  }

  /** The start rows in the data's own coordinates (what a data file holds), k x d. */
  public double[][] startGlobal() {
    double[][] local = startLocal();
    double[][] out = new double[local.length][];
    for (int c = 0; c < local.length; c++) {
      out[c] = data.toGlobal(local[c]);
    }
    return out;
  }

  /** Equal mixture weights, 1/k each. */
  public double[] startWeights() {
    double[] w = new double[spec.k()];
    Arrays.fill(w, 1.0 / spec.k());
    return w;
  }

  /**
   * The starting precisions (inverse covariances) of a mixture, flat in the covariance type's
   * layout: full k x d x d, tied d x d, diag k x d, spherical k. Each is the inverse of the data's
   * per-column variance (its mean, for spherical).
   */
  public double[] startPrecisions() {
    CovarianceType type = spec.covariance();
    if (type == null) {
      throw new IllegalStateException("a K-means workload has no covariances");
    }
    int k = spec.k();
    int d = spec.d();
    double[] var = data.columnVariance();
    switch (type) {
      case FULL: {
        double[] p = new double[k * d * d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            p[(c * d + j) * d + j] = 1 / var[j];
          }
        }
        return p;
      }
      case TIED: {
        double[] p = new double[d * d];
        for (int j = 0; j < d; j++) {
          p[j * d + j] = 1 / var[j];
        }
        return p;
      }
      case DIAG: {
        double[] p = new double[k * d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            p[c * d + j] = 1 / var[j];
          }
        }
        return p;
      }
      case SPHERICAL: {
        double mean = Arrays.stream(var).average().orElseThrow();
        double[] p = new double[k];
        Arrays.fill(p, 1 / mean);
        return p;
      }
      default:
        throw new AssertionError(type);
    }
  }

  /**
   * Options for {@link io.clmix.fit.GaussianMixture} that start from this workload's start and
   * run exactly {@code iterations} EM iterations: {@code tol = 0} never converges, and with
   * weights, means and precisions all given the init method only has to be cheap
   * (random-from-data, then replaced by the given start).
   */
  public GaussianMixtureOptions mixtureOptions(int iterations) {
    return new GaussianMixtureOptions(spec.k(), spec.covariance(), 0.0, GaussianMixtureOptions.DEFAULT_REG_COVAR,
        iterations, 1, GmmInit.RANDOM_FROM_DATA, startWeights(), startGlobal(), startPrecisions(), null, spec.seed());
  }

  /** The passes one run of this workload makes on a device. */
  Passes passes() {
    return spec.algo() == BenchSpec.Algo.KMEANS
        ? new LloydPasses(startLocal(), spec.iterations())
        : new EmPasses(this);
  }
}
