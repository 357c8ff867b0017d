package io.clmix.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.AtomicOutput;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.EngineSelector;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureOptions;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.GmmInit;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.plot.CriterionChart;
import io.clmix.plot.Figure;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code clmix select}: fits a Gaussian mixture for every number of components and covariance
 * type asked for and picks the one with the lowest BIC (scikit-learn's model-selection
 * example, as one command). The data go to the device once; every fit reuses that session.
 * A combination that cannot be fitted (a covariance that is not positive definite, more
 * components than rows) is reported in its row and the others go on.
 */
@Command(name = "select", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Fit Gaussian mixtures for every number of components K and covariance type, report BIC and AIC, "
        + "and pick the model with the lowest BIC."})
final class SelectCommand implements Callable<Integer> {
  /** Picture size of --plot. */
  static final int WIDTH = 1000;
  static final int HEIGHT = 650;
  /** Reasons longer than this are cut in the table (the JSON has them whole). */
  private static final int REASON_WIDTH = 90;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATA", description = "Data file: .npy (float32/float64, 2-D) or .csv/.tsv/.txt.")
  Path data;

  @Mixin
  HeaderOption header;

  @Option(names = {"-k", "--k"}, paramLabel = "K", defaultValue = "1..10",
      description = "Numbers of components to try: a range a..b, a list 1,2,5, or both (1..4,8). Default: ${DEFAULT-VALUE}.")
  String ks;

  @Option(names = "--covariance", paramLabel = "TYPES", defaultValue = "full,tied,diag,spherical",
      description = "Covariance types to try, comma-separated: full, tied, diag, spherical. Default: all four.")
  String covariances;

  @Option(names = "--n-init", paramLabel = "N", defaultValue = "1",
      description = "Restarts per fit, from 1 to 1000; the best is kept. Default: ${DEFAULT-VALUE}.")
  int nInit;

  @Option(names = "--max-iter", paramLabel = "N", defaultValue = "100",
      description = "EM iterations per restart at most. Default: ${DEFAULT-VALUE}.")
  int maxIter;

  @Option(names = "--tol", paramLabel = "X", defaultValue = "1e-3",
      description = "Convergence tolerance on the change of the per-sample lower bound. Default: ${DEFAULT-VALUE}.")
  double tol;

  @Option(names = "--reg-covar", paramLabel = "X", defaultValue = "1e-6",
      description = "Added to the covariance diagonals (0 to 3.4e38). Default: ${DEFAULT-VALUE}.")
  double regCovar;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed for every random choice. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Mixin
  DeviceOption device;

  @Option(names = "--plot", paramLabel = "FILE", description = "Draw BIC against K to FILE, one line per covariance type (PNG or SVG, by the extension).")
  Path plot;

  @Option(names = "--model-out", paramLabel = "FILE.json", description = "Write the best model (lowest BIC) as JSON.")
  Path modelOut;

  @Option(names = "--json", description = "Print one JSON object with every fit and the best as the last line of stdout.")
  boolean json;

  @Mixin
  CommonOptions common;

  /** One (k, covariance type) fit: its criteria, or why it failed. */
  record Row(int k, CovarianceType type, double bic, double aic, double meanLogLikelihood, boolean converged,
      int iterations, double seconds, String failure, GaussianMixtureModel model) {
    boolean ok() {
      return failure == null;
    }
  }

  @Override
  public Integer call() {
    int[] kValues = KRange.parse("--k", ks);
    List<CovarianceType> types = types(covariances);
    options(kValues[kValues.length - 1], types.get(0)); // checks the numbers before the data are read
    if (plot != null) {
      Figure.Format.of(plot, "--plot");
    }
    header.choice();
    Outputs outputs = new Outputs().reading("the data file", data).plan("--plot", plot).planJson("--model-out", modelOut, "the model");
    outputs.refuseJsonBeside(json);
    // With --model-out - the model owns stdout (so it can be piped); the report goes to stderr.
    PrintWriter out = outputs.reportStream(spec.commandLine().getOut(), spec.commandLine().getErr());
    Dataset ds = header.read(data, spec.commandLine().getErr());
    List<Row> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    EngineInfo engineInfo;
    String fallback;
    int largest = kValues[kValues.length - 1];
    if (largest > ds.rows()) {
      // As fit refuses k > n before any work: here every fit of such a k would fail, after the others ran.
      throw InputException.parameter("--k", "'" + ks + "'", "at most " + ds.rows() + " components: " + data + " has "
          + ds.rows() + (ds.rows() == 1 ? " row" : " rows") + " and every component needs one");
    }
    try (EngineSelector.Selection sel = device.open(spec.commandLine().getErr());
        Progress progress = Progress.start("select", (long) kValues.length * types.size(), common.quiet);
        DataSession session = sel.engine().open(ds)) {
      // Printed once the device is open, so that a device that cannot be opened leaves stdout
      // empty (with --json, a line of text before the error would spoil it).
      out.printf("Gaussian mixtures on %s (%d x %d): k = %s, %s covariances, %s%n", data.getFileName(), ds.rows(),
          ds.cols(), KRange.describe(kValues), names(types), nInit == 1 ? "1 run each" : nInit + " runs each");
      out.flush();
      engineInfo = session.engine();
      fallback = sel.fallback();
      for (CovarianceType type : types) {
        for (int k : kValues) {
          String label = "k = " + k + ", " + type.id();
          rows.add(fit(session, ds, k, type, progress.fitListener(label, "log-lik", false)));
          progress.step();
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Row best = best(rows, null);
    Map<CovarianceType, Row> bestPerType = new EnumMap<>(CovarianceType.class);
    for (CovarianceType t : types) {
      Row b = best(rows, t);
      if (b != null) {
        bestPerType.put(t, b);
      }
    }
    out.printf("device: %s%n%n", engineInfo);
    table(out, rows, best, bestPerType);
    if (best == null) {
      if (json) {
        // The table's reasons are the fits' 'failed' fields, and stdout ends with the JSON as
        // --help promises: a script that reads the last line gets the failures, not a line of
        // the table. The status is still 2, with the error line on stderr.
        out.println(Printing.compact(json(rows, null, bestPerType, ds, engineInfo, fallback, seconds)));
      }
      out.flush();
      throw new InputException(data + (rows.size() == 1 ? ": the one fit failed" : ": none of the " + rows.size()
          + " fits succeeded") + "; see the table for why");
    }
    out.println();
    out.printf(Locale.ROOT, "best by BIC: k = %d, %s covariances (BIC %.6g, AIC %.6g)%n", best.k(), best.type().id(),
        best.bic(), best.aic());
    if (types.size() > 1) {
      StringBuilder sb = new StringBuilder("best per type:");
      String sep = " ";
      for (Map.Entry<CovarianceType, Row> e : bestPerType.entrySet()) {
        sb.append(sep).append(e.getKey().id()).append(" k = ").append(e.getValue().k());
        sep = ", ";
      }
      out.println(sb);
    }
    out.printf("%d fits in %.2f s%n", rows.size(), seconds);
    outputs.writeModel(modelOut, best.model());
    if (plot != null) {
      picture(rows, best, ds).write(plot, WIDTH, HEIGHT, "--plot");
    }
    String report = json ? Printing.compact(json(rows, best, bestPerType, ds, engineInfo, fallback, seconds)) : null;
    out.flush();
    // The picture's line, and the JSON after it (stdout's last line), once the files are in place.
    AtomicOutput.afterCommit(() -> {
      if (plot != null) {
        out.printf("picture: %s%n", plot);
      }
      if (report != null) {
        out.println(report);
      }
      out.flush();
    });
    return 0;
  }

  private Row fit(DataSession session, Dataset ds, int k, CovarianceType type, io.clmix.fit.FitListener listener) {
    long t0 = System.nanoTime();
    try {
      // No labels: select reports criteria only, and each fit would add a labelling pass.
      GaussianMixtureResult r = GaussianMixture.with(options(k, type)).keepLabels(false).listener(listener).fit(session);
      GaussianMixtureModel m = r.model();
      double n = ds.totalWeight();
      return new Row(k, type, m.bic(r.totalLogLikelihood(), n), m.aic(r.totalLogLikelihood()),
          r.totalLogLikelihood() / n, m.converged(), m.iterations(), r.report().seconds(), null, m);
    } catch (IllegalArgumentException e) {
      // Bad for this combination only (singular covariance, k > n): report it and go on.
      return new Row(k, type, Double.NaN, Double.NaN, Double.NaN, false, 0, (System.nanoTime() - t0) / 1e9,
          ErrorHandler.message(e), null);
    }
  }

  private GaussianMixtureOptions options(int k, CovarianceType type) {
    try {
      return new EstimatorOptions(nInit, maxIter, tol, regCovar, seed).gmm(k, type, GmmInit.KMEANS, null);
    } catch (InputException e) {
      throw OptionNames.forSelect().rename(e);
    }
  }

  /** The row with the lowest BIC (of {@code type}, or of all when null); ties keep the simpler, earlier one. */
  static Row best(List<Row> rows, CovarianceType type) {
    Row best = null;
    for (Row r : rows) {
      if (r.ok() && (type == null || r.type() == type) && (best == null || r.bic() < best.bic())) {
        best = r;
      }
    }
    return best;
  }

  static List<CovarianceType> types(String spec) {
    Set<CovarianceType> out = new LinkedHashSet<>();
    for (String s : spec.split(",", -1)) {
      if (s.isBlank()) {
        // 'full,,diag' is a typo as surely as '-k 1..3,' is, which -k refuses too.
        throw InputException.parameter("--covariance", "'" + spec + "'",
            "a comma-separated list of full, tied, diag and spherical (an entry is empty)");
      }
      if (s.trim().equalsIgnoreCase("all")) {
        out.addAll(List.of(CovarianceType.values()));
        continue;
      }
      try {
        out.add(CovarianceType.parse(s));
      } catch (InputException e) {
        throw InputException.parameter("--covariance", "'" + spec + "'",
            "a comma-separated list of full, tied, diag and spherical ('" + s.trim() + "' is none of them)");
      }
    }
    if (out.isEmpty()) {
      throw InputException.parameter("--covariance", "'" + spec + "'", "a comma-separated list of full, tied, diag and spherical");
    }
    return List.copyOf(out);
  }

  private static String names(List<CovarianceType> types) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < types.size(); i++) {
      sb.append(i == 0 ? "" : i == types.size() - 1 ? " and " : ", ").append(types.get(i).id());
    }
    return sb.toString();
  }

  private static void table(PrintWriter out, List<Row> rows, Row best, Map<CovarianceType, Row> bestPerType) {
    out.printf("%-10s %4s %14s %14s %13s %6s %5s %8s%n", "covariance", "k", "BIC", "AIC", "log-lik/pt", "iters",
        "conv", "seconds");
    CovarianceType previous = null;
    for (Row r : rows) {
      if (previous != null && r.type() != previous) {
        out.println();
      }
      previous = r.type();
      if (!r.ok()) {
        String reason = r.failure().length() > REASON_WIDTH ? r.failure().substring(0, REASON_WIDTH - 3) + "..."
            : r.failure();
        out.printf("%-10s %4d   failed: %s%n", r.type().id(), r.k(), reason);
        continue;
      }
      String mark = r == best ? "  <- best" : r == bestPerType.get(r.type()) ? "  <- best " + r.type().id() : "";
      out.printf(Locale.ROOT, "%-10s %4d %14.6g %14.6g %13.5f %6d %5s %8.3f%s%n", r.type().id(), r.k(), r.bic(),
          r.aic(), r.meanLogLikelihood(), r.iterations(), r.converged() ? "yes" : "no", r.seconds(), mark);
    }
  }

  private Figure picture(List<Row> rows, Row best, Dataset ds) {
    CriterionChart chart = new CriterionChart("BIC");
    for (Row r : rows) {
      chart.add(r.type().id(), r.k(), r.bic());
    }
    chart.best(best.k(), best.bic(), "best: k = " + best.k() + ", " + best.type().id());
    return chart.figure("Model selection: BIC by number of components",
        String.format(Locale.ROOT, "Gaussian mixtures on %s (%,d x %d)", data.getFileName(), ds.rows(), ds.cols()));
  }

  private ObjectNode json(List<Row> rows, Row best, Map<CovarianceType, Row> bestPerType, Dataset ds,
      EngineInfo engine, String fallback, double seconds) {
    ObjectNode o = Printing.JSON.createObjectNode();
    o.put("command", "select");
    o.put("criterion", "bic");
    o.put("n", ds.rows());
    o.put("d", ds.cols());
    o.put("device", engine.id());
    o.put("deviceName", engine.name());
    if (fallback != null) {
      o.put("fallback", fallback);
    } else {
      o.putNull("fallback");
    }
    o.put("nInit", nInit);
    o.put("seed", seed);
    ArrayNode fits = o.putArray("fits");
    for (Row r : rows) {
      fits.add(rowJson(r));
    }
    if (best != null) {
      o.set("best", rowJson(best));
    } else {
      o.putNull("best"); // every fit failed
    }
    ObjectNode per = o.putObject("bestPerType");
    for (Map.Entry<CovarianceType, Row> e : bestPerType.entrySet()) {
      per.set(e.getKey().id(), rowJson(e.getValue()));
    }
    o.put("seconds", seconds);
    return o;
  }

  private static ObjectNode rowJson(Row r) {
    ObjectNode o = Printing.JSON.createObjectNode();
    o.put("k", r.k());
    o.put("covarianceType", r.type().id());
    if (r.ok()) {
      o.put("bic", r.bic());
      o.put("aic", r.aic());
      o.put("meanLogLikelihood", r.meanLogLikelihood());
      o.put("converged", r.converged());
      o.put("iterations", r.iterations());
    } else {
      o.putNull("bic");
      o.putNull("aic");
      o.putNull("meanLogLikelihood");
      o.put("converged", false);
      o.put("iterations", r.iterations());
    }
    o.put("seconds", r.seconds());
    if (r.ok()) {
      o.putNull("failed");
    } else {
      o.put("failed", r.failure());
    }
    return o;
  }
}
