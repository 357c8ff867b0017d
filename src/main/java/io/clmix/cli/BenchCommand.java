package io.clmix.cli;

import io.clmix.bench.Bench;
import io.clmix.bench.BenchListener;
import io.clmix.bench.BenchReport;
import io.clmix.bench.BenchRow;
import io.clmix.bench.BenchSpec;
import io.clmix.bench.PeakTable;
import io.clmix.bench.ReportChart;
import io.clmix.bench.ReportCsv;
import io.clmix.bench.ReportJson;
import io.clmix.bench.ReportTable;
import io.clmix.bench.StartFile;
import io.clmix.bench.Workload;
import io.clmix.data.DataFiles;
import io.clmix.data.InputException;
import io.clmix.data.Precision;
import io.clmix.model.CovarianceType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clmix bench}: the same fit, from the same start, for the same number of iterations, on
 * every device; seconds per iteration, GFLOP/s, GB/s, fraction of peak, upload time, peak
 * memory and objective agreement. See {@code docs/benchmarks.md}.
 */
@Command(name = "bench", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Benchmark K-means or a Gaussian mixture on every device: generated blobs, one fixed start, "
        + "exactly --iters iterations per run, the median seconds per iteration over --repeats runs after a warm-up.",
        "A device that fails is reported in its row; when every device fails, bench ends with status 1. "
            + "The flop and byte models are in docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--algo", paramLabel = "ALGO", defaultValue = "kmeans", description = "kmeans or gmm. Default: ${DEFAULT-VALUE}.")
  String algo;

  // No picocli default: null means "not given", so --algo kmeans can refuse a given one.
  @Option(names = "--covariance", paramLabel = "TYPE",
      description = "gmm: full, tied, diag or spherical. Default: full.")
  String covariance;

  @Option(names = "--n", paramLabel = "N", required = true, description = "Rows of generated data.")
  long n;

  @Option(names = "--d", paramLabel = "D", required = true, description = "Columns.")
  int d;

  @Option(names = {"-k", "--k"}, paramLabel = "K", required = true, description = "Clusters (components), in the data and the fit.")
  int k;

  @Option(names = "--iters", paramLabel = "I", defaultValue = "20",
      description = "Iterations per run, 1 to 100000; no convergence test stops them. Default: ${DEFAULT-VALUE}.")
  int iters;

  @Option(names = "--devices", paramLabel = "LIST", defaultValue = "all",
      description = "all (every OpenCL device, then java), gpus (every OpenCL GPU), none, or a comma-separated list of "
          + "--device specs such as java,opencl:0:0. Default: ${DEFAULT-VALUE}.")
  String devices;

  @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
      description = "Timed runs per device after the warm-up, 1 to 100. Default: ${DEFAULT-VALUE}.")
  int repeats;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "10",
      description = "Untimed warm-up per device: one run, then more until SECONDS have passed (0 to 600; 0: one run). "
          + "The Java engine needs seconds of it before the JIT has compiled its kernels. Default: ${DEFAULT-VALUE}.")
  double warmup;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the data and the start. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--peak-gflops", paramLabel = "X|DEV=X,...",
      description = "Peak fp32 GFLOP/s for every device (X) or per device (java=85,opencl:0:0=85); overrides the known table.")
  String peakGflops;

  @Option(names = "--peak-gbs", paramLabel = "X|DEV=X,...", description = "Peak memory bandwidth in GB/s, as --peak-gflops.")
  String peakGbs;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
  Path json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Write the rows as CSV, separated by commas (tabs in a .tsv FILE, spaces in a .txt FILE).")
  Path csv;

  @Option(names = "--plot", paramLabel = "FILE", description = "Write a bar chart of seconds per iteration (.svg or .png).")
  Path plot;

  @Option(names = "--save-data", paramLabel = "FILE", description = "Also write the generated data (.npy float32 or .csv) for peer benchmarks.")
  Path saveData;

  @Option(names = "--save-start", paramLabel = "FILE.json", description = "Also write the start (centres, or weights, means and precisions) as JSON.")
  Path saveStart;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Outputs outputs = new Outputs().planJson("--json", json, "the report").planTable("--csv", csv, "the report")
        .plan("--plot", plot).plan("--save-data", saveData).planJson("--save-start", saveStart, "the start");
    if (plot != null) {
      ReportChart.checkType("--plot", plot);
    }
    if (saveData != null) {
      // Checked before the data are generated (seconds at millions of rows), not when they are
      // written: a file name of no known type must not wait for them, and the message names
      // the option, as --plot's does.
      DataFiles.checkType("--save-data", saveData);
    }
    BenchSpec.Algo a = BenchSpec.Algo.parse(algo);
    CovarianceType type = EstimatorOptions.covarianceOption(covariance);
    if (a != BenchSpec.Algo.GMM) {
      if (covariance != null) {
        // As in clmix fit: an option that would change nothing is refused, not ignored.
        throw new InputException("--covariance: applies to --algo gmm only");
      }
      type = null;
    }
    BenchSpec bs = new BenchSpec(a, type, n, d, k, iters, repeats, seed, warmup);
    HeapRoom.checkGenerated(n, d, k, "benchmark fewer rows");
    PeakTable peaks = PeakTable.withOverrides(peakGflops, peakGbs);
    Bench.check(devices, peaks); // before the workload is generated: a typo must not wait for it

    long t0 = System.nanoTime();
    Workload workload = Workload.generate(bs);
    double generateSeconds = (System.nanoTime() - t0) / 1e9;
    if (saveData != null) {
      DataFiles.write(saveData, workload.data(), Precision.FLOAT32);
    }
    if (saveStart != null) {
      StartFile.write(saveStart, workload);
    }
    BenchReport report;
    try (Progress bar = Progress.start("bench", 0, common.quiet)) {
      report = Bench.run(workload, devices, peaks, new BenchProgress(bar), generateSeconds);
    }
    // With --json -, --csv - or --save-start - that file owns stdout, so that it can be piped as
    // it is; the table, for people, goes to stderr.
    PrintWriter table = outputs.reportStream(out, spec.commandLine().getErr());
    table.print(ReportTable.toText(report));
    table.flush();
    if (json != null) {
      ReportJson.write(json, report);
    }
    if (csv != null) {
      ReportCsv.write(csv, report);
    }
    if (plot != null) {
      ReportChart.write(plot, report);
    }
    String failure = everyDeviceFailed(report);
    if (failure != null) {
      // Like select when every fit failed, a run that measured nothing did not succeed: the
      // table says why, and no file is written. Status 1, not 2: the options were valid (they
      // were checked before anything ran), the devices or the machine failed them.
      PrintWriter err = spec.commandLine().getErr();
      err.println("clmix: error: " + ErrorHandler.oneLine(failure));
      err.flush();
      return ErrorHandler.INTERNAL_ERROR;
    }
    return 0;
  }

  /**
   * Why the benchmark measured nothing, when every device it ran failed: the message naming each
   * device and its reason; null when a device ran or none was asked for ({@code --devices none}).
   */
  static String everyDeviceFailed(BenchReport report) {
    if (report.rows().isEmpty() || report.rows().stream().anyMatch(BenchRow::ok)) {
      return null;
    }
    StringBuilder why = new StringBuilder();
    for (BenchRow r : report.rows()) {
      why.append(why.length() == 0 ? "" : "; ").append(r.device()).append(": ").append(r.error());
    }
    int n = report.rows().size();
    return (n == 1 ? "the device failed" : "all " + n + " devices failed") + ", so nothing was measured ("
        + why + "); see the table";
  }

  /** Feeds the benchmark's progress into the progress bar: one unit per run, the device and run as its message. */
  private static final class BenchProgress implements BenchListener {
    private final Progress bar;
    private int device;
    private int devices;

    BenchProgress(Progress bar) {
      this.bar = bar;
    }

    @Override
    public void deviceStarted(String id, int index, int count) {
      device = index + 1;
      devices = count;
      bar.message("[" + device + "/" + devices + "] " + id + " · warm-up");
    }

    @Override
    public void runDone(String id, int run, int runs) {
      bar.step();
      if (run + 1 < runs) {
        bar.message("[" + device + "/" + devices + "] " + id + " · repeat " + (run + 1) + "/" + (runs - 1));
      }
    }
  }
}
