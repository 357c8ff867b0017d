package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.data.DatasetBuilder;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineSelector;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.plot.Comparison;
import io.clmix.plot.Figure;
import io.clmix.plot.RowSample;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clmix demo}: the articles' example. Two 2-D Gaussian clouds, one round and one
 * stretched; K-means (k = 2) and a full-covariance Gaussian mixture (k = 2) on the best
 * device; what each found; and, for a few points between the clouds, K-means' hard answer
 * beside the mixture's probabilities. Draws both models side by side ({@link Comparison}).
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Two 2-D Gaussian clouds, one round and one stretched, clustered with K-means (k = 2) and a "
        + "Gaussian mixture (k = 2) on the best available device: hard assignments beside probabilities, "
        + "and a picture of both."})
final class DemoCommand implements Callable<Integer> {
  /** The clouds: a round one and one stretched along a tilted axis. */
  static final double[][] CLOUD_MEANS = {{0, 0}, {6, 3}};
  static final double[][][] CLOUD_COVARIANCES = {{{1, 0}, {0, 1}}, {{4, 1.5}, {1.5, 1}}};
  static final String[] CLUSTER_NAMES = {"cluster 0 (round cloud)", "cluster 1 (stretched cloud)"};
  /** Where the table's points sit on the segment between the cloud centres (0 = round, 1 = stretched). */
  static final double[] PROBES = {0.15, 0.3, 0.4, 0.5, 0.6, 0.7, 0.85};
  /** Points drawn in the picture: enough to show the clouds' shapes, few enough to stay quick. */
  static final int DRAWN = 4000;
  static final int WIDTH = 1500;
  static final int MIN_HEIGHT = 560;
  static final int MAX_HEIGHT = 900;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--n", paramLabel = "N", defaultValue = "20000", description = "Points in all. Default: ${DEFAULT-VALUE}.")
  int n;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "clmix-demo.png",
      description = "The picture: a .png or .svg file. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(names = "--svg", paramLabel = "FILE.svg", description = "Also write the picture as SVG.")
  Path svg;

  @Option(names = "--no-picture", description = "Draw nothing (timings of the fits alone).")
  boolean noPicture;

  @Mixin
  DeviceOption device;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (n < 20) {
      throw InputException.parameter("--n", n, "at least 20 points");
    }
    if (noPicture && (spec.commandLine().getParseResult().hasMatchedOption("--out") || svg != null)) {
      throw new InputException("--no-picture: draws nothing, so it takes neither --out nor --svg");
    }
    if (!noPicture) {
      Figure.Format.of(this.out, "--out");
      new Outputs().plan("--out", this.out).plan("--svg", svg);
      if (svg != null && Figure.Format.of(svg, "--svg") != Figure.Format.SVG) {
        throw new InputException("--svg " + svg + ": expected a file ending in .svg");
      }
    }
    Dataset data = twoClouds(n, seed);
    out.printf("Two Gaussian clouds in 2-D, %d points, half in each:%n", n);
    out.printf("  round:     mean (0, 0), covariance %s%n", matrix2(CLOUD_COVARIANCES[0]));
    out.printf("  stretched: mean (6, 3), covariance %s%n", matrix2(CLOUD_COVARIANCES[1]));
    try (EngineSelector.Selection sel = device.open(spec.commandLine().getErr());
        DataSession session = warmedUp(sel.engine()).open(data);
        Progress progress = Progress.start("demo", 2, common.quiet)) {
      Engine engine = sel.engine();
      KMeansResult km = KMeans.k(2).seed(seed).nInit(3).listener(progress.fitListener("K-means", "inertia", false))
          .fit(session);
      // The labels are the session's buffer, which the mixture's own K-means start overwrites: keep a copy.
      int[] kmLabels = km.labels().toArray();
      progress.step();
      GaussianMixtureResult gm = GaussianMixture.k(2).seed(seed)
          .listener(progress.fitListener("Gaussian mixture", "log-lik", false)).fit(session);
      progress.step();
      progress.done(); // before the results reach the terminal
      Matched m = Matched.of(km, gm, kmLabels);
      out.printf("device: %s%n%n", km.report().engine());
      printKMeans(out, km, m);
      printMixture(out, gm, m, data);
      double[][] probes = probes();
      printProbes(out, probes, m, engine);
      if (!noPicture) {
        long t0 = System.nanoTime();
        Figure fig = picture(data, m, probes, engine, km, gm);
        int height = fig.naturalHeight(WIDTH, MIN_HEIGHT, MAX_HEIGHT);
        fig.write(this.out, WIDTH, height, "--out");
        if (svg != null) {
          fig.write(svg, WIDTH, height, "--svg");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        AtomicOutput.afterCommit(() -> {
          out.printf("%npicture: %s%s (%.2f s)%n", this.out, svg == null ? "" : " and " + svg, seconds);
          out.flush();
        });
      }
    }
    out.flush();
    return 0;
  }

  /**
   * Fits both models once on a few points first, so that the timings printed are those of the
   * fits and not of the JVM loading and compiling the engine's code (or a device building its
   * kernels), which the first fit would otherwise pay.
   */
  private Engine warmedUp(Engine engine) {
    Dataset small = twoClouds(2000, seed + 1);
    KMeans.k(2).seed(seed).fit(small, engine);
    GaussianMixture.k(2).seed(seed).fit(small, engine);
    return engine;
  }

  private void printKMeans(PrintWriter out, KMeansResult km, Matched m) {
    out.printf("K-means, k = 2: %s after %s, inertia %.1f, fit %.3f s%n",
        km.model().converged() ? "converged" : "stopped", Printing.count(km.model().iterations(), "iteration"),
        km.model().inertia(), km.report().seconds());
    long[] counts = new long[2];
    for (int v : m.labels) {
      counts[v]++;
    }
    for (int c = 0; c < 2; c++) {
      out.printf("  cluster %d: centre %s, %s%n", c, vector2(m.centres[c]), Printing.count(counts[c], "point"));
    }
  }

  private void printMixture(PrintWriter out, GaussianMixtureResult gm, Matched m, Dataset data) {
    GaussianMixtureModel g = gm.model();
    out.printf("Gaussian mixture, k = 2, full covariances: %s after %s, "
            + "log-likelihood %.4f per point, fit %.3f s%n",
        g.converged() ? "converged" : "stopped", Printing.count(g.iterations(), "iteration"),
        gm.totalLogLikelihood() / data.totalWeight(), gm.report().seconds());
    for (int c = 0; c < 2; c++) {
      out.printf("  cluster %d: weight %.3f, mean %s, covariance %s%n", c, m.weights[c],
          vector2(m.means[c]), matrix2(m.covariances[c]));
    }
  }

  private void printProbes(PrintWriter out, double[][] probes, Matched m, Engine engine) {
    Dataset pd = Dataset.of(probes);
    Labels kl = m.km.predict(pd, engine);
    double[][] p = m.probabilities(m.gm.predictProba(pd, engine));
    out.printf("%nHard versus soft, for points on the line from the round cloud's centre to the stretched one's:%n");
    out.printf("  point      x      y   K-means   P(cluster 0)  P(cluster 1)%n");
    for (int i = 0; i < probes.length; i++) {
      out.printf(Locale.ROOT, "  %5s  %5.2f  %5.2f   %7d   %12.3f  %12.3f%n", name(i), probes[i][0], probes[i][1],
          m.kmInverse[kl.get(i)], p[i][0], p[i][1]);
    }
    out.println("K-means answers 0 or 1, no maybe: its boundary is the straight line halfway between the centres.");
    out.println("The mixture answers with probabilities, and as the stretched cloud is wider, its boundary bends "
        + "around the round one.");
  }

  private Figure picture(Dataset data, Matched m, double[][] probes, Engine engine, KMeansResult km,
      GaussianMixtureResult gm) {
    RowSample sample = RowSample.of(data, DRAWN, seed);
    int[] labels = new int[sample.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = m.labels[(int) sample.rows()[i]];
    }
    double[][] proba = m.probabilities(m.gm.predictProba(sample.dataset(), engine));
    String[] names = new String[probes.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = name(i);
    }
    Comparison.Input in = new Comparison.Input(sample.values(), labels, m.centres, proba, m.weights, m.means,
        m.covariances, CLUSTER_NAMES, probes, names, "x", "y");
    String subtitle = String.format(Locale.ROOT, "%,d points (%,d drawn) · %s · K-means %.3f s · mixture %.3f s",
        data.rows(), sample.size(), km.report().engine(), km.report().seconds(), gm.report().seconds());
    return Comparison.of(in, "Two Gaussian clouds: K-means says which, a Gaussian mixture says how likely", subtitle);
  }

  static String vector2(double[] v) {
    return String.format(Locale.ROOT, "(%.2f, %.2f)", v[0], v[1]);
  }

  static String matrix2(double[][] m) {
    return String.format(Locale.ROOT, "[[%.2f, %.2f], [%.2f, %.2f]]", m[0][0], m[0][1], m[1][0], m[1][1]);
  }

  static String name(int i) {
    return String.valueOf((char) ('A' + i));
  }

  /** The table's points, evenly along the segment between the two cloud centres. */
  static double[][] probes() {
    double[][] p = new double[PROBES.length][2];
    for (int i = 0; i < p.length; i++) {
      for (int j = 0; j < 2; j++) {
        p[i][j] = CLOUD_MEANS[0][j] + PROBES[i] * (CLOUD_MEANS[1][j] - CLOUD_MEANS[0][j]);
      }
    }
    return p;
  }

  /**
   * Both models with their clusters renumbered so that cluster 0 is the round cloud in each:
   * K-means centres matched to the clouds' true means, mixture means to the K-means centres.
   */
  static final class Matched {
    final io.clmix.model.KMeansModel km;
    final GaussianMixtureModel gm;
    final int[] kmInverse;
    /** K-means labels of the data set, renumbered. */
    final int[] labels;
    final int[] gmPerm;
    final double[][] centres;
    final double[][] means;
    final double[] weights;
    final double[][][] covariances;

    private Matched(KMeansResult kr, GaussianMixtureResult gr, int[] rawLabels) {
      km = kr.model();
      gm = gr.model();
      double[][] rawCentres = km.clusterCenters();
      int[] kmPerm = Matching.permutation(rawCentres, CLOUD_MEANS);
      kmInverse = Matching.inverse(kmPerm);
      labels = new int[rawLabels.length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = kmInverse[rawLabels[i]];
      }
      centres = new double[2][];
      for (int c = 0; c < 2; c++) {
        centres[c] = rawCentres[kmPerm[c]];
      }
      double[][] rawMeans = gm.means();
      gmPerm = Matching.permutation(rawMeans, centres);
      means = new double[2][];
      weights = new double[2];
      covariances = new double[2][][];
      double[] w = gm.weights();
      for (int c = 0; c < 2; c++) {
        means[c] = rawMeans[gmPerm[c]];
        weights[c] = w[gmPerm[c]];
        covariances[c] = gm.covarianceMatrix(gmPerm[c]);
      }
    }

    static Matched of(KMeansResult kr, GaussianMixtureResult gr, int[] rawLabels) {
      return new Matched(kr, gr, rawLabels);
    }

    /** Probability columns in the matched order. */
    double[][] probabilities(double[][] raw) {
      double[][] out = new double[raw.length][2];
      for (int i = 0; i < raw.length; i++) {
        for (int c = 0; c < 2; c++) {
          out[i][c] = raw[i][gmPerm[c]];
        }
      }
      return out;
    }
  }

  /** Half the points round around (0, 0) with unit variance; half stretched around (6, 3). */
  static Dataset twoClouds(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    DatasetBuilder b = Dataset.builder(2);
    double[] row = new double[2];
    for (int i = 0; i < n; i++) {
      double u = Blobs.standardNormal(rng);
      double v = Blobs.standardNormal(rng);
      if (i < n / 2) {
        row[0] = u;
        row[1] = v;
      } else {
        // Covariance [[4, 1.5], [1.5, 1]]: x = 2u, y = 0.75u + sqrt(1 - 0.5625) v.
        row[0] = 6 + 2 * u;
        row[1] = 3 + 0.75 * u + 0.661 * v;
      }
      b.addRow(row);
    }
    return b.build();
  }
}
