package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.Blobs;
import io.clmix.data.DataFiles;
import io.clmix.data.InputException;
import io.clmix.data.Precision;
import io.clmix.fit.Numerics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clmix generate}: Gaussian blobs for tests and benchmarks. */
@Command(name = "generate", sortOptions = false, mixinStandardHelpOptions = true,
    description = "Write N rows of D-dimensional Gaussian blobs around K centres (like scikit-learn's make_blobs).")
final class GenerateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--n", paramLabel = "N", required = true, description = "Rows.")
  long n;

  @Option(names = "--d", paramLabel = "D", required = true, description = "Columns.")
  int d;

  @Option(names = {"-k", "--k"}, paramLabel = "K", required = true, description = "Clusters.")
  int k;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--std", paramLabel = "X", defaultValue = "1.0", description = "Standard deviation of each blob. Default: ${DEFAULT-VALUE}.")
  double std;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output: FILE.npy (float32) or FILE.csv.")
  Path out;

  @Option(names = "--labels-out", paramLabel = "FILE", description = "Also write each row's true cluster.")
  Path labelsOut;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    Outputs outputs = new Outputs().plan("--out", out).planLabels("--labels-out", labelsOut);
    Blobs blobs = new Blobs(n, d, k, seed, std, 10.0);
    checkK();
    checkStd();
    checkD();
    HeapRoom.checkGenerated(n, d, k, "generate fewer rows");
    DataFiles.write(out, blobs.generate(), Precision.FLOAT32);
    if (labelsOut != null) {
      DataFiles.writeLabels(labelsOut, new io.clmix.data.Labels(new int[][] {blobs.labels()}, (int) n));
    }
    // With --labels-out - the labels own stdout (so they can be piped); the note goes to stderr.
    PrintWriter pw = outputs.reportStream(spec.commandLine().getOut(), spec.commandLine().getErr());
    AtomicOutput.afterCommit(() -> {
      pw.printf("wrote %d x %d rows around %d centres to %s%n", n, d, k, out);
      pw.flush();
    });
    return 0;
  }

  /**
   * Refuses more clusters than rows. A cluster no row was drawn from is not in the data (its
   * centre is only in the generator), and {@code clmix fit -k K} on the file needs K rows; the
   * bound also keeps the K x D centres, which are made before any row, no larger than the
   * data, so that the memory check names --n rather than a -k of two billion. Blobs, the
   * library's generator, allows it (as make_blobs does).
   */
  private void checkK() {
    if (k > n) {
      throw InputException.parameter("--k", k, "an integer from 1 to --n (" + n + "): every cluster needs a row");
    }
  }

  /**
   * Refuses more columns than the readers take from a file of --out's kind: such a file, which
   * may take gigabytes and minutes to write, could not be read back by clmix fit. Called after
   * Blobs checked that d is at least 1.
   */
  private void checkD() {
    int max = DataFiles.maxColumns(out);
    if (d > max) {
      String npy = max == DataFiles.MAX_NPY_COLUMNS ? ""
          : " for a text file (a .npy file takes up to " + DataFiles.MAX_NPY_COLUMNS + ")";
      throw InputException.parameter("--d", d, "an integer from 1 to " + max + npy);
    }
  }

  /**
   * Refuses a --std whose data clmix fit would refuse as too spread out (or that would not even
   * fit float32); the limit falls with the number of rows, whose squared distances the OpenCL
   * engine sums in float32. A column's sample standard deviation exceeds --std by chance when the rows
   * are few (for 2 rows, 4 times over with probability 1.5e-8), so the limit is a quarter of
   * fit's; the centres, within +-10, add nothing at that scale. Called after Blobs checked the
   * other options, so d is at least 1.
   */
  private void checkStd() {
    double max = Numerics.maxSpread(d, n) / 4;
    if (!(std <= max)) {
      throw InputException.parameter("--std", std, String.format(Locale.ROOT,
          "a finite number > 0 and <= %.3g for %d %s of %d %s (blobs wider than that are too spread out for clmix"
              + " fit's float32 distances)", max, n, n == 1 ? "row" : "rows", d, d == 1 ? "column" : "columns"));
    }
  }
}
