package io.clmix.fit;

import io.clmix.data.Dataset;
import io.clmix.data.RowSlices;
import io.clmix.engine.DataSession;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.model.CovarianceType;
import io.clmix.model.Covariances;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import java.util.SplittableRandom;

/**
 * The first parameters of one EM run (scikit-learn's {@code _initialize_parameters}): first
 * responsibilities from the init method turned into parameters by an M-step, then any of
 * weightsInit, meansInit and precisionsInit put in place of what the M-step gave.
 */
final class GmmStart {
  private GmmStart() {}

  static GmmParams initial(GaussianMixtureOptions o, DataSession session, SplittableRandom rng) {
    Dataset data = session.data();
    int k = o.k();
    int d = data.cols();
    if (o.warmStart() != null) {
      return fromModel(o.warmStart(), data);
    }
    GmmParams p = fromInit(o, session, rng);
    double[] weights = o.weightsInit() != null ? o.weightsInit() : p.weights;
    double[] means = p.means;
    double[][] given = o.meansInit(); // a copy: taken once, not once per component
    if (given != null) {
      means = new double[k * d];
      for (int c = 0; c < k; c++) {
        System.arraycopy(data.toLocal(given[c]), 0, means, c * d, d);
      }
    }
    double[] cov = o.precisionsInit() != null
        ? Covariances.fromPrecisions(o.covarianceType(), o.precisionsInit(), k, d)
        : p.covariances;
    return new GmmParams(o.covarianceType(), k, d, weights, means, cov);
  }

  private static GmmParams fromModel(GaussianMixtureModel m, Dataset data) {
    int k = m.k();
    int d = m.d();
    double[] means = new double[k * d];
    double[][] global = m.means();
    for (int c = 0; c < k; c++) {
      System.arraycopy(data.toLocal(global[c]), 0, means, c * d, d);
    }
    return new GmmParams(m.covarianceType(), k, d, m.weights(), means, m.covariances());
  }

  private static GmmParams fromInit(GaussianMixtureOptions o, DataSession session, SplittableRandom rng) {
    Dataset data = session.data();
    int k = o.k();
    switch (o.init()) {
      case KMEANS: {
        // One K-means run, then a classification E-step about its centres: hard
        // responsibilities by nearest centre, with the scatter this covariance type needs.
        KMeansModel start = KMeans.k(k).seed(rng.nextLong()).fitModel(session);
        double[][] centres = start.clusterCenters();
        for (int c = 0; c < k; c++) {
          centres[c] = data.toLocal(centres[c]);
        }
        // The clusters' own mean squared radius per column (weighted, as the inertia is): the
        // scale of the distances this E-step compares, whatever rows of weight 0 lie elsewhere.
        double scale = start.inertia() / (data.totalWeight() * data.cols());
        SufficientStats st = session.expect(GmmParams.nearestMean(o.covarianceType(), centres, scale),
            Responsibilities.HARD);
        return MStep.update(st, flat(centres), o.covarianceType(), o.regCovar(), MStep.meanWeight(data));
      }
      case KMEANS_PLUS_PLUS:
        checkPointStart(o, data);
        return onePointEach(o, data, Seeding.kMeansPlusPlus(session, k, rng));
      case RANDOM_FROM_DATA:
        checkPointStart(o, data);
        return onePointEach(o, data, Seeding.rows(data, Seeding.randomRows(data, k, rng)));
      case RANDOM:
        return randomResponsibilities(o, data, rng);
      default:
        throw new AssertionError(o.init());
    }
  }

  /**
   * Each component starts at one data point with all of that point's responsibility: the mean
   * is the point and the covariance is regCovar on the diagonal (scikit-learn's k-means++ and
   * random_from_data). Weights start equal.
   */
  private static GmmParams onePointEach(GaussianMixtureOptions o, Dataset data, double[][] points) {
    int k = o.k();
    int d = data.cols();
    CovarianceType t = o.covarianceType();
    double[] weights = new double[k];
    java.util.Arrays.fill(weights, 1.0 / k);
    double[] cov = new double[Covariances.length(t, k, d)];
    switch (t) {
      case FULL:
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            cov[c * d * d + j * d + j] = o.regCovar();
          }
        }
        break;
      case TIED:
        for (int j = 0; j < d; j++) {
          cov[j * d + j] = o.regCovar();
        }
        break;
      default:
        java.util.Arrays.fill(cov, o.regCovar());
    }
    return new GmmParams(t, k, d, weights, flat(points), cov);
  }

  /**
   * Refuses, before any seeding, a start of one point per component whose covariances,
   * {@code regCovar} times the identity, are too small for the data: a row's squared
   * Mahalanobis distance to a mean is then about {@code |x - mu|^2 / regCovar}, and where that
   * overflows float32 for every component (the OpenCL engine's E-step computes it in float32)
   * the row's log-likelihood is minus infinity. The bound is {@link Numerics}' per-row one,
   * {@code 16 d s^2 / regCovar <= 3.4e38}, so every engine refuses the same starts; regCovar 0
   * is the extreme case. Later covariances are at least regCovar too, but fitted to the data.
   */
  private static void checkPointStart(GaussianMixtureOptions o, Dataset data) {
    if (o.regCovar() == 0) {
      throw new io.clmix.data.InputException("init " + o.init().id() + " starts every covariance at regCovar, which is 0; "
          + "use regCovar > 0 or another init");
    }
    double[] var = data.columnVariance();
    int col = 0;
    for (int j = 1; j < var.length; j++) {
      if (var[j] > var[col]) {
        col = j;
      }
    }
    double least = 16.0 * data.cols() * var[col] / Float.MAX_VALUE;
    if (o.regCovar() < least) {
      double advice = upTwoDigits(least);
      throw new io.clmix.data.InputException(String.format(java.util.Locale.ROOT, "init %s starts every covariance at"
          + " regCovar, which is %s: too small for data of standard deviation %.3g (column %d), whose float32"
          + " Mahalanobis distances would overflow; use regCovar >= %.1fe%d or another init", o.init().id(),
          o.regCovar(), Math.sqrt(var[col]), col + 1, advice / Math.pow(10, exponent(advice)), exponent(advice)));
    }
  }

  private static int exponent(double x) {
    return (int) Math.floor(Math.log10(x));
  }

  /** {@code x} rounded up to two significant digits, so the advice is never below the bound. */
  private static double upTwoDigits(double x) {
    double unit = Math.pow(10, exponent(x) - 1);
    return Math.ceil(x / unit * (1 - 1e-12)) * unit;
  }

  /**
   * Responsibilities drawn uniformly and normalised per point (scikit-learn's "random"). This
   * one-time pass runs on the host, drawing each chunk's numbers from its own generator.
   */
  private static GmmParams randomResponsibilities(GaussianMixtureOptions o, Dataset data, SplittableRandom rng) {
    int k = o.k();
    int d = data.cols();
    CovarianceType t = o.covarianceType();
    SufficientStats st = new SufficientStats(k, d, GmmParams.nearestMean(t, new double[k][d]).scatterShape());
    double[] zero = new double[k * d];
    long base = rng.nextLong();
    double[] r = new double[k];
    RowSlices s = new RowSlices(data);
    for (int ch = 0; ch < data.chunkCount(); ch++) {
      SplittableRandom local = new SplittableRandom(base + ch);
      float[] w = data.chunkWeights(ch);
      for (s.start(ch); s.next(); ) {
        float[] x = s.values();
        for (int i = 0; i < s.rows(); i++) {
          double sum = 0;
          for (int c = 0; c < k; c++) {
            r[c] = local.nextDouble();
            sum += r[c];
          }
          double wi = w == null ? 1.0 : w[s.firstRow() + i];
          for (int c = 0; c < k; c++) {
            double wr = wi * r[c] / sum;
            accumulate(st, c, x, i * d, d, wr);
          }
        }
      }
    }
    mirror(st);
    return MStep.update(st, zero, t, o.regCovar(), MStep.meanWeight(data));
  }

  /** Adds one point's weighted contribution about a zero reference. */
  private static void accumulate(SufficientStats st, int c, float[] x, int xo, int d, double wr) {
    st.weight()[c] += wr;
    for (int j = 0; j < d; j++) {
      st.sum()[c * d + j] += wr * x[xo + j];
    }
    double[] q = st.scatter();
    switch (st.scatterShape()) {
      case FULL:
      case TIED: {
        int b = st.scatterShape() == SufficientStats.Scatter.FULL ? c * d * d : 0;
        for (int a = 0; a < d; a++) {
          for (int j = a; j < d; j++) {
            q[b + a * d + j] += wr * x[xo + a] * x[xo + j];
          }
        }
        break;
      }
      default:
        for (int j = 0; j < d; j++) {
          q[c * d + j] += wr * x[xo + j] * x[xo + j];
        }
    }
  }

  private static void mirror(SufficientStats st) {
    int d = st.d();
    int mats = st.scatterShape() == SufficientStats.Scatter.FULL ? st.k()
        : st.scatterShape() == SufficientStats.Scatter.TIED ? 1 : 0;
    double[] q = st.scatter();
    for (int m = 0; m < mats; m++) {
      for (int a = 0; a < d; a++) {
        for (int b = a + 1; b < d; b++) {
          q[m * d * d + b * d + a] = q[m * d * d + a * d + b];
        }
      }
    }
  }

  static double[] flat(double[][] rows) {
    int d = rows[0].length;
    double[] out = new double[rows.length * d];
    for (int c = 0; c < rows.length; c++) {
      System.arraycopy(rows[c], 0, out, c * d, d);
    }
    return out;
  }
}
