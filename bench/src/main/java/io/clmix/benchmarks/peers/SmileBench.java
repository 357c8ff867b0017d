package io.clmix.benchmarks.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smile.clustering.LloydSteps;
import smile.math.matrix.Matrix;
import smile.stat.distribution.MultivariateExponentialFamilyMixture;
import smile.stat.distribution.MultivariateGaussianDistribution;
import smile.stat.distribution.MultivariateMixture;

/**
 * Smile (3.1.1) on the workload {@code clmix bench} exported, from the same start, for the same
 * number of iterations:
 *
 * <pre>  java -cp bench/target/benchmarks.jar io.clmix.benchmarks.peers.SmileBench \
 *       --data W.npy --start W.start.json [--iters I] [--repeats R] [--warmup SECONDS] [--json OUT]</pre>
 *
 * <p><b>K-means</b>: Smile's Lloyd iteration ({@link LloydSteps}: its centroid update, then its
 * parallel assignment), each iteration timed on its own; the objective is the distortion of the
 * final centroids, as scikit-learn's inertia.
 *
 * <p><b>Gaussian mixture</b>: {@code MultivariateExponentialFamilyMixture.fit(x, components,
 * gamma = 0, maxIter, tol = -infinity)}, which runs exactly maxIter EM iterations from the given
 * components (full: a covariance matrix each; diag: variances). Smile has no tied covariance, and
 * no spherical one either: its spherical Gaussian ({@code MultivariateGaussianDistribution(mu,
 * variance)}) is a diagonal one whose M-step estimates a variance per column, so from the first
 * iteration on it would fit a diagonal mixture; both are reported as unsupported, with no time.
 * Its time per iteration is marginal, {@code (t(I) - t(1)) / (I - 1)}, as for
 * scikit-learn. Smile's log-likelihood is that of the parameters after the last M-step, where
 * clmix and scikit-learn report the lower bound of the last E-step, so objectives differ by
 * one EM step's improvement.
 *
 * <p>Smile works in double precision on {@code double[][]} rows (the float32 file widened).
 * Every figure is the median over the repeats after a warm-up: one run, and more until
 * {@code --warmup} seconds have passed (compare.sh gives Smile and clmix the same).
 */
public final class SmileBench {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SmileBench() {}

  public static void main(String[] args) throws IOException {
    Path data = null;
    Path start = null;
    Path out = null;
    Integer iters = null;
    int repeats = 3;
    double warmup = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data":
          data = Path.of(args[++i]);
          break;
        case "--start":
          start = Path.of(args[++i]);
          break;
        case "--json":
          out = Path.of(args[++i]);
          break;
        case "--iters":
          iters = integer(args, ++i);
          break;
        case "--repeats":
          repeats = integer(args, ++i);
          break;
        case "--warmup":
          warmup = seconds(args, ++i);
          break;
        default:
          throw usage("unknown argument " + args[i]);
      }
    }
    if (data == null || start == null) {
      throw usage("--data and --start are required");
    }
    if (repeats < 1) {
      // No timed run would leave every time a NaN, which Jackson writes as the string "NaN".
      throw usage("--repeats must be >= 1, not " + repeats);
    }
    JsonNode s = JSON.readTree(start.toFile());
    int iterations = iters != null ? iters : s.get("iterations").asInt();
    boolean kmeans = s.get("algo").asText().equals("kmeans");
    if (iterations < (kmeans ? 1 : 2)) {
      throw usage("--iters must be >= " + (kmeans ? "1" : "2 for the marginal time per iteration") + ", not "
          + iterations);
    }
    double[][] x = rows(DataFiles.read(data));
    ObjectNode result;
    try {
      result = kmeans
          ? kmeans(x, matrix(s.get("centres")), iterations, repeats, warmup)
          : gmm(x, s, iterations, repeats, warmup);
    } catch (RuntimeException e) {
      // Smile failing on a workload is a result to report (the table shows it), not a crash.
      result = JSON.createObjectNode();
      result.putNull("secondsPerIteration");
      result.put("error", "Smile failed: " + e);
    }
    result.put("library", "smile " + smileVersion());
    result.put("algo", s.get("algo").asText());
    result.put("covariance", s.get("covariance").isNull() ? null : s.get("covariance").asText());
    result.put("n", x.length);
    result.put("d", x[0].length);
    result.put("k", s.get("k").asInt());
    result.put("iterations", iterations);
    result.put("repeats", repeats);
    result.put("warmupSeconds", warmup);
    result.put("threads", Runtime.getRuntime().availableProcessors());
    String text = JSON.writeValueAsString(result) + "\n";
    if (out != null) {
      Files.writeString(out, text);
    } else {
      System.out.print(text);
    }
  }

  private static final String USAGE =
      "usage: SmileBench --data W.npy --start W.start.json [--iters I] [--repeats R] [--warmup SECONDS] [--json OUT]";

  /** The seconds (0 to 600) after option {@code args[i - 1]}, or a usage error naming it. */
  private static double seconds(String[] args, int i) {
    if (i >= args.length) {
      throw usage(args[i - 1] + " needs a value");
    }
    double v;
    try {
      v = Double.parseDouble(args[i]);
    } catch (NumberFormatException e) {
      throw usage(args[i - 1] + " takes seconds, not '" + args[i] + "'");
    }
    if (!(v >= 0 && v <= 600)) {
      throw usage(args[i - 1] + " takes seconds from 0 to 600, not '" + args[i] + "'");
    }
    return v;
  }

  /** The integer after option {@code args[i - 1]}, or a usage error naming it. */
  private static int integer(String[] args, int i) {
    if (i >= args.length) {
      throw usage(args[i - 1] + " needs a value");
    }
    try {
      return Integer.parseInt(args[i]);
    } catch (NumberFormatException e) {
      throw usage(args[i - 1] + " takes an integer, not '" + args[i] + "'");
    }
  }

  private static IllegalArgumentException usage(String problem) {
    return new IllegalArgumentException(problem + "; " + USAGE);
  }

  private static ObjectNode kmeans(double[][] x, double[][] start, int iterations, int repeats, double warmup) {
    List<Double> times = new ArrayList<>();
    // Warm-up: one untimed run, more until `warmup` seconds have passed (the same rule as clmix
    // bench's --warmup: Smile runs on the JIT too); then the timed runs.
    long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
    do {
      lloyd(x, start, iterations, null);
    } while (System.nanoTime() < warmEnd);
    double[] last = null;
    for (int r = 0; r < repeats; r++) {
      last = lloyd(x, start, iterations, times);
    }
    double distortion = last[0];
    double cpu = last[1];
    ObjectNode o = JSON.createObjectNode();
    o.put("secondsPerIteration", median(times));
    o.put("timing", "each Lloyd iteration timed; median over repeats x iterations after a warm-up (one run, more until warmupSeconds had passed)");
    o.put("nIter", iterations);
    o.put("cpuPerWall", cpu);
    o.put("objectiveName", "inertia");
    o.put("objective", distortion);
    return o;
  }

  /**
   * One run of Lloyd iterations from {@code start}, each iteration's seconds added to
   * {@code times} (null: untimed); returns the last distortion and the run's CPU time over its
   * wall time.
   */
  private static double[] lloyd(double[][] x, double[][] start, int iterations, List<Double> times) {
    double[][] centroids = copy(start);
    int[] y = new int[x.length];
    int[] size = new int[centroids.length];
    int[][] notNaN = new int[centroids.length][x[0].length];
    LloydSteps.assign(y, x, centroids); // the labels of the start, as k-means++ seeding leaves them
    double distortion = Double.NaN;
    long c0 = cpuNanos();
    long w0 = System.nanoTime();
    for (int it = 0; it < iterations; it++) {
      long t0 = System.nanoTime();
      LloydSteps.update(centroids, x, y, size, notNaN);
      distortion = LloydSteps.assign(y, x, centroids);
      if (times != null) {
        times.add((System.nanoTime() - t0) / 1e9);
      }
    }
    return new double[] {distortion, (cpuNanos() - c0) / (double) (System.nanoTime() - w0)};
  }

  private static ObjectNode gmm(double[][] x, JsonNode s, int iterations, int repeats, double warmup) {
    ObjectNode o = JSON.createObjectNode();
    String type = s.get("covariance").asText();
    if (type.equals("tied") || type.equals("spherical")) {
      // Smile's spherical Gaussian is diagonal to its M-step, which then estimates one variance
      // per column: timing it would compare a diagonal fit with the others' spherical ones.
      o.putNull("secondsPerIteration");
      o.put("error", type.equals("tied") ? "Smile has no tied covariance"
          : "Smile has no spherical covariance (its M-step makes a spherical Gaussian diagonal)");
      return o;
    }
    MultivariateMixture.Component[] start = components(s, type);
    List<Double> marginal = new ArrayList<>();
    List<Double> perFit = new ArrayList<>();
    double logLikelihood = Double.NaN;
    double cpu = Double.NaN;
    // Warm-up: the timed fits' pair (all iterations, then one), until `warmup` seconds have passed.
    long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
    do {
      fit(x, start, iterations);
      fit(x, start, 1);
    } while (System.nanoTime() < warmEnd);
    for (int r = 0; r < repeats; r++) {
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      MultivariateExponentialFamilyMixture all = fit(x, start, iterations);
      double tAll = (System.nanoTime() - t0) / 1e9;
      cpu = (cpuNanos() - c0) / 1e9 / tAll;
      long t1 = System.nanoTime();
      fit(x, start, 1);
      double tOne = (System.nanoTime() - t1) / 1e9;
      if (iterations > 1) {
        marginal.add((tAll - tOne) / (iterations - 1));
      }
      perFit.add(tAll / iterations);
      logLikelihood = all.L;
    }
    o.put("secondsPerIteration", marginal.isEmpty() ? Double.NaN : median(marginal));
    o.put("fitSecondsPerIteration", median(perFit));
    o.put("timing", "marginal (t(I) - t(1)) / (I - 1), median over repeats after a warm-up (one pair of fits, more "
        + "until warmupSeconds had passed)");
    o.put("nIter", iterations);
    o.put("cpuPerWall", cpu);
    o.put("objectiveName", "meanLogLikelihoodAfterLastMStep");
    o.put("objective", logLikelihood / x.length);
    return o;
  }

  private static MultivariateExponentialFamilyMixture fit(double[][] x, MultivariateMixture.Component[] start,
      int iterations) {
    // tol = -infinity: Smile stops when the likelihood gain is <= tol, which then never happens.
    return MultivariateExponentialFamilyMixture.fit(x, start, 0.0, iterations, Double.NEGATIVE_INFINITY);
  }

  /** Smile's components from the start file: covariances are the inverses of the given (diagonal) precisions. */
  private static MultivariateMixture.Component[] components(JsonNode s, String type) {
    double[] weights = vector(s.get("weights"));
    double[][] means = matrix(s.get("means"));
    JsonNode precisions = s.get("precisions");
    int k = means.length;
    int d = means[0].length;
    MultivariateMixture.Component[] out = new MultivariateMixture.Component[k];
    for (int c = 0; c < k; c++) {
      MultivariateGaussianDistribution g;
      switch (type) {
        case "full": {
          double[][] p = matrix(precisions.get(c));
          g = new MultivariateGaussianDistribution(means[c], Matrix.of(p).inverse());
          break;
        }
        case "diag": {
          double[] p = vector(precisions.get(c));
          double[] variance = new double[d];
          for (int j = 0; j < d; j++) {
            variance[j] = 1 / p[j];
          }
          g = new MultivariateGaussianDistribution(means[c], variance);
          break;
        }
        default:
          throw new IllegalArgumentException("covariance " + type);
      }
      out[c] = new MultivariateMixture.Component(weights[c], g);
    }
    return out;
  }

  /** Rows in the data's own coordinates, widened to double (Smile's input type). */
  private static double[][] rows(Dataset ds) {
    double[][] x = new double[Math.toIntExact(ds.rows())][];
    for (int i = 0; i < x.length; i++) {
      x[i] = ds.row(i);
    }
    return x;
  }

  /** Smile's version, as bench/pom.xml names it (Smile's jars carry no version of their own). */
  private static String smileVersion() throws IOException {
    java.util.Properties p = new java.util.Properties();
    try (var in = SmileBench.class.getResourceAsStream("versions.properties")) {
      if (in == null) {
        return "(unknown version)";
      }
      p.load(in);
    }
    return p.getProperty("smile.version", "(unknown version)");
  }

  private static long cpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (a.length == 0) {
      return Double.NaN;
    }
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static double[][] matrix(JsonNode n) {
    double[][] m = new double[n.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(n.get(i));
    }
    return m;
  }

  private static double[] vector(JsonNode n) {
    double[] v = new double[n.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = n.get(i).asDouble();
    }
    return v;
  }

  private static double[][] copy(double[][] m) {
    return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
  }
}
