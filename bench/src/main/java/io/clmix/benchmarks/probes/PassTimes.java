package io.clmix.benchmarks.probes;

import io.clmix.bench.BenchSpec;
import io.clmix.bench.Workload;
import io.clmix.engine.DataSession;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.FitListener;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.IterationStats;
import io.clmix.model.CovarianceType;
import java.util.Arrays;
import java.util.Locale;

/**
 * The time of each EM iteration of {@code clmix bench --algo gmm}'s fit on the Java engine, pass
 * by pass: the same data, start and options ({@link Workload}), the same per-iteration timing
 * (the fit's own {@link IterationStats}), one session for all runs.
 *
 * <pre>  java --add-modules jdk.incubator.vector -Xmn128m -XX:+UseParallelGC \
 *       -cp bench/target/benchmarks.jar io.clmix.benchmarks.probes.PassTimes \
 *       [--covariance diag] [--n 200000] [--d 32] [-k 32] [--iters 20] [--runs 12] [--skip 4]</pre>
 *
 * <p>Prints, per pass, the median over runs {@code skip + 1 .. runs} (the first {@code skip}
 * warm the JIT up), and the median over all those runs' iterations, which is how
 * {@code clmix bench} reports seconds per iteration. Why: that median is decided by a few
 * middle passes (docs/benchmarks.md, "The last fifth of the diag target"), which a single
 * figure hides.
 */
public final class PassTimes {
  private PassTimes() {}

  public static void main(String[] args) {
    CovarianceType type = CovarianceType.DIAG;
    long n = 200_000;
    int d = 32;
    int k = 32;
    int iters = 20;
    int runs = 12;
    int skip = 4;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--covariance":
          type = CovarianceType.valueOf(v.toUpperCase(Locale.ROOT));
          break;
        case "--n":
          n = Long.parseLong(v);
          break;
        case "--d":
          d = Integer.parseInt(v);
          break;
        case "-k":
          k = Integer.parseInt(v);
          break;
        case "--iters":
          iters = Integer.parseInt(v);
          break;
        case "--runs":
          runs = Integer.parseInt(v);
          break;
        case "--skip":
          skip = Integer.parseInt(v);
          break;
        default:
          throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0 || skip < 0 || runs <= skip || iters < 1) {
      throw new IllegalArgumentException("usage: PassTimes [--covariance T] [--n N] [--d D] [-k K] [--iters I]"
          + " [--runs R] [--skip S], with 0 <= S < R");
    }
    Workload w = Workload.generate(new BenchSpec(BenchSpec.Algo.GMM, type, n, d, k, iters, 1, 0));
    double[][] seconds = new double[runs][iters];
    try (DataSession session = JavaEngine.create().open(w.data())) {
      for (int r = 0; r < runs; r++) {
        double[] times = seconds[r];
        int[] next = {0};
        GaussianMixture.with(w.mixtureOptions(iters)).listener(new FitListener() {
          @Override
          public void iterationDone(IterationStats s) {
            if (next[0] < times.length) {
              times[next[0]] = s.seconds();
            }
            next[0]++;
          }
        }).fit(session);
      }
    }
    int kept = runs - skip;
    double[] pooled = new double[kept * iters];
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "gmm %s n=%d d=%d k=%d: ms per pass, median of runs %d..%d:", type.name().toLowerCase(Locale.ROOT), n, d, k,
        skip + 1, runs));
    for (int p = 0; p < iters; p++) {
      double[] at = new double[kept];
      for (int r = skip; r < runs; r++) {
        at[r - skip] = seconds[r][p];
        pooled[(r - skip) * iters + p] = seconds[r][p];
      }
      line.append(String.format(Locale.ROOT, " %.2f", median(at) * 1e3));
    }
    System.out.println(line);
    System.out.printf(Locale.ROOT, "median over those runs' iterations: %.3f ms%n", median(pooled) * 1e3);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
}
