package io.clmix.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineSelector;
import io.clmix.fit.FitReport;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureOptions;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.GmmInit;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansInit;
import io.clmix.fit.KMeansOptions;
import io.clmix.fit.KMeansResult;
import io.clmix.model.KMeansModel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clmix fit}: fits K-means (or a Gaussian mixture) to a data file. */
@Command(name = "fit", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Fit K-means or a Gaussian mixture to DATA (.npy or .csv) and report, save or print the result.")
final class FitCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATA", description = "Data file: .npy (float32/float64, 2-D) or .csv/.tsv/.txt.")
  Path data;

  @Mixin
  HeaderOption header;

  @Option(names = "--algo", paramLabel = "ALGO", defaultValue = "kmeans",
      description = "kmeans or gmm. Default: ${DEFAULT-VALUE}.")
  String algo;

  @Option(names = {"-k", "--k"}, paramLabel = "K", required = true, description = "Number of clusters (components).")
  int k;

  @Option(names = "--init", paramLabel = "INIT",
      description = "kmeans: k-means++ (default), random, or a .npy/.csv file of K x D initial centres. "
          + "gmm: kmeans (default), k-means++, random, random-from-data, or a file of K x D initial means.")
  String init;

  // The two mixture-only options have no picocli default: null means "not given", which is
  // how --algo kmeans tells them apart from a value it would silently ignore.
  @Option(names = "--covariance", paramLabel = "TYPE",
      description = "gmm: full, tied, diag or spherical. Default: full.")
  String covariance;

  @Option(names = "--reg-covar", paramLabel = "X",
      description = "gmm: added to the covariance diagonals (0 to 3.4e38). Default: 1e-6.")
  Double regCovar;

  @Option(names = "--n-init", paramLabel = "N", defaultValue = "1",
      description = "Restarts, from 1 to 1000; the best result is kept. Default: ${DEFAULT-VALUE}.")
  int nInit;

  @Option(names = "--max-iter", paramLabel = "N", description = "Iterations per restart at most. Default: 300 (kmeans), 100 (gmm).")
  Integer maxIter;

  @Option(names = "--tol", paramLabel = "X",
      description = "Convergence tolerance. kmeans: on the squared centre shift, relative to the mean feature variance "
          + "with rows counted by their weights (default 1e-4). gmm: on the change of the per-sample lower bound (default 1e-3).")
  Double tol;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed for every random choice. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--weights", paramLabel = "FILE", description = "Sample weights: one non-negative number per row (.npy or .csv).")
  Path weights;

  @Mixin
  DeviceOption device;

  @Option(names = "--model-out", paramLabel = "FILE.json", description = "Write the fitted model as JSON.")
  Path modelOut;

  @Option(names = "--labels-out", paramLabel = "FILE",
      description = "Write each row's label under the fitted model (as predict gives it), one per line (or .npy).")
  Path labelsOut;

  @Option(names = "--json", description = "Print one JSON object with the results as the last line of stdout.")
  boolean json;

  @Mixin
  CommonOptions common;

  /** The progress bar of the running fit (stderr, terminals only). */
  private Progress progress = Progress.none();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Outputs outputs = new Outputs().reading("the data file", data).reading("--weights", weights)
        .reading("--init", initFile())
        .planJson("--model-out", modelOut, "the model").planLabels("--labels-out", labelsOut);
    outputs.refuseJsonBeside(json);
    // An output into stdout owns it (so it can be piped); the summary then goes to stderr.
    PrintWriter report = outputs.reportStream(out, err);
    algo = algoOption(algo);
    // Options are validated before the data are read, so a typo fails fast.
    header.choice();
    OptionNames names = OptionNames.forFit(init);
    KMeansOptions kmOptions;
    GaussianMixtureOptions gmOptions;
    try {
      checkMixtureOnlyOptions();
      kmOptions = algo.equals("kmeans") ? kmeansOptions() : null;
      gmOptions = algo.equals("gmm") ? gmmOptions() : null;
    } catch (InputException e) {
      throw names.rename(e);
    }
    boolean startsGiven = kmOptions != null ? kmOptions.init() instanceof KMeansInit.Given
        : gmOptions.meansInit() != null;
    if (startsGiven && nInit > 1) {
      // Every restart would begin at the file's centres and run the same fit: refused, rather
      // than run once silently (K-means) or the same fit N times (mixtures).
      throw InputException.parameter("--n-init", nInit, "1 with --init " + init
          + ": every restart would start from its centres and give the same fit");
    }
    // The weights are read first, so that the data are centred for them.
    Weights.Early early = Weights.readEarly(weights);
    Dataset ds = early.attach(header.read(data, err, early.values()));
    try (EngineSelector.Selection sel = device.open(err);
        Progress bar = Progress.start("fit", nInit, common.quiet)) {
      progress = bar;
      ObjectNode json;
      try {
        json = kmOptions != null
            ? fitKMeans(kmOptions, ds, sel, outputs, report)
            : fitGmm(gmOptions, ds, sel, outputs, report);
      } catch (InputException e) {
        throw names.rename(e);
      }
      if (this.json) {
        out.println(Printing.compact(json));
      }
      report.flush();
      out.flush();
    }
    return 0;
  }

  private ObjectNode fitKMeans(KMeansOptions options, Dataset ds, EngineSelector.Selection sel, Outputs outputs,
      PrintWriter out) {
    KMeansResult r;
    FitReport report;
    try (DataSession session = sel.engine().open(ds)) {
      // No labels kept: --labels-out streams them on the fit's session, so a fit holds no n
      // labels on the heap and the data are not uploaded again.
      r = KMeans.with(options).keepLabels(false).listener(progress.fitListener("", "inertia", true)).fit(session);
      progress.done(); // before the results reach the terminal
      outputs.writeModel(modelOut, r.model());
      report = labels(r.model(), session, withFallback(r.report(), sel));
    }
    KMeansModel model = r.model();
    int distinct = model.distinctCenters();
    if (distinct < k) {
      // As scikit-learn's ConvergenceWarning: centres that coincide are clusters that are not there.
      spec.commandLine().getErr().println("clmix: warning: only " + distinct + " distinct centre"
          + (distinct == 1 ? "" : "s") + " for k = " + k
          + ": fewer distinct points than k carry the fit (duplicate rows, or rows of weight 0)");
    }

    out.printf("K-means, k = %d, on %d x %d rows of %s%n", k, ds.rows(), ds.cols(), data.getFileName());
    out.printf("device: %s%n", report.engine());
    out.printf("%s after %s (best of %s), inertia %.6g%n", model.converged() ? "converged" : "stopped at --max-iter",
        Printing.count(model.iterations(), "iteration"), runs(report), model.inertia());
    out.printf("fit: %.3f s, %.4f s per iteration%n", report.seconds(), report.secondsPerIteration());
    Printing.centres(out, "centres", model.clusterCenters());
    ObjectNode o = Printing.fitJson("kmeans", k, ds, report);
    o.put("init", options.init().toString());
    o.put("nInit", options.nInit());
    o.put("seed", seed);
    o.put("iterations", model.iterations());
    o.put("converged", model.converged());
    o.put("inertia", model.inertia());
    return o;
  }

  private ObjectNode fitGmm(GaussianMixtureOptions options, Dataset ds, EngineSelector.Selection sel, Outputs outputs,
      PrintWriter out) {
    GaussianMixtureResult r;
    FitReport report;
    try (DataSession session = sel.engine().open(ds)) {
      r = GaussianMixture.with(options).keepLabels(false).listener(progress.fitListener("", "log-lik", true))
          .fit(session);
      progress.done(); // before the results reach the terminal
      outputs.writeModel(modelOut, r.model());
      report = labels(r.model(), session, withFallback(r.report(), sel)); // as for K-means above
    }
    GaussianMixtureModel model = r.model();
    double bic = model.bic(r.totalLogLikelihood(), ds.totalWeight());
    double aic = model.aic(r.totalLogLikelihood());

    out.printf("Gaussian mixture, k = %d, %s covariances, on %d x %d rows of %s%n", k, options.covarianceType().id(),
        ds.rows(), ds.cols(), data.getFileName());
    out.printf("device: %s%n", report.engine());
    out.printf("%s after %s (best of %s), lower bound %.6g, BIC %.6g, AIC %.6g%n",
        model.converged() ? "converged" : "stopped at --max-iter", Printing.count(model.iterations(), "iteration"),
        runs(report), model.lowerBound(), bic, aic);
    out.printf("fit: %.3f s, %.4f s per iteration%n", report.seconds(), report.secondsPerIteration());
    Printing.centres(out, "weights", new double[][] {model.weights()});
    Printing.centres(out, "means", model.means());
    ObjectNode o = Printing.fitJson("gmm", k, ds, report);
    o.put("covarianceType", options.covarianceType().id());
    o.put("init", init == null ? options.init().id() : init);
    o.put("nInit", options.nInit());
    o.put("seed", seed);
    o.put("regCovar", options.regCovar());
    o.put("iterations", model.iterations());
    o.put("converged", model.converged());
    o.put("lowerBound", model.lowerBound());
    o.put("meanLogLikelihood", r.totalLogLikelihood() / ds.totalWeight());
    o.put("bic", bic);
    o.put("aic", aic);
    return o;
  }

  private static FitReport withFallback(FitReport report, EngineSelector.Selection sel) {
    return sel.fallback() == null ? report : report.withFallback(sel.fallback());
  }

  /**
   * Streams the labels of {@code model} into --labels-out, if given, on the fit's session.
   * Returns the report with the session's fallback reason if the labelling pass is what fell
   * back (the fit's own passes did not), so that --json says a device failed.
   */
  private FitReport labels(io.clmix.model.Model model, DataSession session, FitReport report) {
    if (labelsOut == null) {
      return report;
    }
    LabelFiles.write(model, session, labelsOut);
    String reason = session.fallbackReason();
    return reason != null && report.fallback() == null ? report.withFallback(reason) : report;
  }

  private static String runs(FitReport report) {
    return Printing.count(report.runs(), "run");
  }

  /**
   * --covariance and --reg-covar shape a mixture only. Their values are checked whatever the
   * algorithm, and K-means refuses them when given: ignoring them would let the user believe
   * they changed the fit (a typo of --algo, or a script that dropped it).
   */
  private void checkMixtureOnlyOptions() {
    EstimatorOptions.covarianceOption(covariance);
    if (regCovar != null) {
      GaussianMixtureOptions.checkRegCovar(regCovar);
    }
    if (algo.equals("kmeans")) {
      if (covariance != null) {
        throw new InputException("--covariance: applies to --algo gmm only");
      }
      if (regCovar != null) {
        throw new InputException("--reg-covar: applies to --algo gmm only");
      }
    }
  }

  /**
   * The algorithm --algo names, {@code kmeans} or {@code gmm}, in any letter case, as every
   * option that names a choice takes it (--covariance, --header, --device, --init's methods).
   */
  static String algoOption(String value) {
    String a = value.trim().toLowerCase(Locale.ROOT);
    if (!a.equals("kmeans") && !a.equals("gmm")) {
      throw InputException.parameter("--algo", "'" + value + "'", "kmeans or gmm");
    }
    return a;
  }

  /** The file --init names, or null when it names none that exists ("" would be the working directory). */
  private Path initFile() {
    return init == null || init.isEmpty() || !Files.exists(Path.of(init)) ? null : Path.of(init);
  }

  /**
   * Whether --init names a method (in any case) of K-means or, with {@code gmm}, of a mixture:
   * a method's name is always the method, for both algorithms: a file of initial centres needs a
   * .npy, .csv, .tsv or .txt extension, which no method's name has.
   */
  static boolean isMethod(String init, boolean gmm) {
    String m = init.trim().toLowerCase(Locale.ROOT);
    if (!gmm) {
      return m.equals("k-means++") || m.equals("kmeans++") || m.equals("random");
    }
    try {
      GmmInit.parse(init);
      return true;
    } catch (InputException e) {
      return false;
    }
  }

  private GaussianMixtureOptions gmmOptions() {
    CovarianceType type = EstimatorOptions.covarianceOption(covariance);
    GmmInit method = GmmInit.KMEANS;
    double[][] means = null;
    if (init != null) {
      Path file = initFile();
      if (file != null && !isMethod(init, true)) {
        means = initMatrix(file);
      } else {
        method = GmmInit.parse(init);
      }
    }
    return estimatorOptions().gmm(k, type, method, means);
  }

  private KMeansOptions kmeansOptions() {
    KMeansInit in;
    String i = init == null ? "k-means++" : init;
    String method = i.trim().toLowerCase(Locale.ROOT);
    if (method.equals("k-means++") || method.equals("kmeans++")) {
      in = KMeansInit.kMeansPlusPlus();
    } else if (method.equals("random")) {
      in = KMeansInit.random();
    } else {
      Path file = initFile();
      if (file == null) {
        throw InputException.parameter("--init", "'" + i + "'", "k-means++, random, or an existing .npy/.csv file of initial centres");
      }
      in = new KMeansInit.Given(initMatrix(file), file.toString());
    }
    return estimatorOptions().kmeans(k, in);
  }

  /**
   * The centres or means of an {@code --init} file. The readers refuse values beyond float32's
   * range, in which the engines compute them as they do the data: such a value would be
   * infinite on an OpenCL device and finite on the Java engine.
   */
  static double[][] initMatrix(Path file) {
    DataFiles.checkType("--init", file); // so that an unknown type says which option named the file
    return DataFiles.readMatrix(file, "--init", true);
  }

  private EstimatorOptions estimatorOptions() {
    return new EstimatorOptions(nInit, maxIter, tol, regCovar, seed);
  }
}
