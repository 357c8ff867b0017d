package io.clmix.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.bench.KernelTuner;
import io.clmix.data.InputException;
import io.clmix.engine.EngineException;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.OpenCl;
import io.clmix.engine.opencl.TuningCache;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clmix tune}: measures kernel configurations on OpenCL devices and keeps the fastest as
 * each device's tuning, which every later engine on it starts from ({@link KernelTuner},
 * {@link TuningCache}).
 */
@Command(name = "tune", sortOptions = false, mixinStandardHelpOptions = true,
    description = {"Measure a few kernel configurations on each OpenCL device (a Lloyd pass and a full-covariance "
        + "mixture step on generated data, one tunable at a time) and keep the fastest as the device's tuning, "
        + "which later fits, predictions and benchmarks on that device use.",
        "A winner must save 3%% on one workload, and be faster in each of five rounds against the defaults there, "
        + "and lose no more on the other, or the defaults are kept. Tunings live in "
        + "~/.cache/clmix/tuning (CLMIX_CACHE_DIR moves them); -Dclmix.opencl.tuning=off ignores them."})
final class TuneCommand implements Callable<Integer> {
  /**
   * The smallest --scale whose tuning is kept. Below it the workloads shrink to a few thousand
   * rows or less (from 20k and 10k on a GPU, 2000 and 500 on a CPU, down to the floor of 4 rows
   * per cluster, 256 at the default k), passes that take microseconds, where launch overheads
   * and not tile shapes decide the timings; a tuning measured there would steer every later fit
   * on the device. Smaller scales still run with --dry-run, for a quick look that keeps nothing.
   */
  static final double MIN_KEPT_SCALE = 0.01;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--device", paramLabel = "SPEC", defaultValue = "all",
      description = "all (every OpenCL device), opencl (the device --device opencl uses: the fastest GPU, else the "
          + "first device) or opencl:P:D. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--d", paramLabel = "D", defaultValue = "32",
      description = "Columns of the generated data: tune for the width you fit (the mixture takes at most 16 on a "
          + "CPU). Default: ${DEFAULT-VALUE}.")
  int d;

  @Option(names = {"-k", "--k"}, paramLabel = "K", defaultValue = "64",
      description = "Clusters of the Lloyd workload (the mixture takes at most 16 on a CPU). Default: ${DEFAULT-VALUE}.")
  int k;

  @Option(names = "--scale", paramLabel = "X", defaultValue = "1",
      description = "Multiply the workloads' rows (2M and 1M on a GPU, 200k and 50k on a CPU): from 0.01 to 100, "
          + "or above 0 with --dry-run. Default: ${DEFAULT-VALUE}.")
  double scale;

  @Option(names = "--force", description = "Measure again where a device already has a current tuning.")
  boolean force;

  @Option(names = "--dry-run", description = "Measure and print, but keep no tuning.")
  boolean dryRun;

  @Option(names = "--reset", description = "Remove the devices' tunings (back to the defaults) and measure nothing.")
  boolean reset;

  @Option(names = "--json", description = "Print one JSON object per device (the tuning record) instead of a table.")
  boolean json;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (d < 1) {
      throw InputException.parameter("--d", d, "an integer >= 1");
    }
    if (k < 1) {
      throw InputException.parameter("--k", k, "an integer >= 1");
    }
    if (!(scale > 0) || scale > 100) {
      throw InputException.parameter("--scale", scale, "a number in (0, 100]");
    }
    if (scale < MIN_KEPT_SCALE && !dryRun && !reset) {
      // Refused before minutes of measuring, rather than measured and then not kept.
      throw InputException.parameter("--scale", scale, "a number in [" + MIN_KEPT_SCALE + ", 100] for a tuning to"
          + " keep: smaller workloads are too few rows for their timings to say which kernels suit a fit"
          + " (--dry-run measures them without keeping anything)");
    }
    if (reset) {
      picocli.CommandLine.ParseResult given = spec.commandLine().getParseResult();
      for (String measuring : new String[] {"--force", "--dry-run", "--scale", "--d", "--k"}) {
        if (given.hasMatchedOption(measuring)) {
          throw new InputException("--reset: measures nothing; it takes none of --force, --dry-run, --scale, --d"
              + " and -k (" + (measuring.equals("--k") ? "-k" : measuring) + " was given)");
        }
      }
    }
    TuningCache cache = TuningCache.fromEnvironment();
    List<ClDeviceInfo> devices = devices(device);
    if (!dryRun && !reset) {
      // Before minutes of measuring, not after; after the devices, so that a machine without
      // OpenCL is told so without a cache folder being made for nothing.
      cache.checkWritable();
    }
    if (reset) {
      for (ClDeviceInfo dev : devices) {
        boolean had = cache.remove(dev);
        out.printf("%s %s: %s%n", dev.id(), dev.name(), had ? "tuning removed (" + cache.fileFor(dev) + ")" : "had no tuning");
      }
      out.flush();
      return 0;
    }
    if (!force && !dryRun) {
      // Before anything is measured: a tuning changes results' last bits, so replacing one is asked for.
      for (ClDeviceInfo dev : devices) {
        TuningCache.Lookup l = cache.lookup(dev);
        if (l.status() == TuningCache.Status.USED) {
          throw new InputException(l.file() + ": " + dev.id() + " (" + dev.name() + ") is already tuned ("
              + (l.spec().isEmpty() ? "the defaults" : l.spec()) + "); pass --force to measure again, or --reset");
        }
      }
    }
    List<String> failed = new ArrayList<>();
    for (ClDeviceInfo dev : devices) {
      KernelTuner.Plan plan = KernelTuner.planFor(dev, d, k, scale);
      KernelTuner.Outcome outcome;
      try (Progress bar = Progress.start("tune " + dev.id(), 0, common.quiet)) {
        outcome = new KernelTuner(dev, plan, new KernelTuner.Listener() {
          @Override
          public void measuring(String workload, String config) {
            bar.message(workload + " · " + (config.isEmpty() ? "defaults" : config));
          }
        }).tune();
      }
      ObjectNode record = KernelTuner.record(cache, dev, outcome);
      // A tuning that could not run is not kept: it would say the defaults were fastest.
      Path file = dryRun || outcome.failure() != null ? null : cache.store(dev, record);
      if (outcome.failure() != null) {
        failed.add(dev.id() + ": " + outcome.failure());
      }
      if (json) {
        record.put("id", dev.id());
        record.put("file", file == null ? null : file.toString());
        out.println(Printing.compact(record));
      } else {
        print(out, dev, outcome, file);
      }
      out.flush();
    }
    if (!failed.isEmpty()) {
      throw new InputException("no tuning kept for " + String.join("; ", failed));
    }
    return 0;
  }

  private static void print(PrintWriter out, ClDeviceInfo dev, KernelTuner.Outcome o, Path file) {
    out.printf("%s %s (%s)%n", dev.id(), dev.name(), dev.type());
    out.printf("  %-34s %-36s %10s  %s%n", "workload", "configuration", "s/iter", "");
    // Each candidate against the defaults measured beside it, as the tuner judged it: the
    // seconds drift during a sweep (on an H100 the defaults' fell by 22%), so a candidate's
    // figure says little beside the defaults' figure from another moment.
    for (KernelTuner.Trial t : o.trials()) {
      String cfg = t.spec().isEmpty() ? "(defaults)" : t.spec();
      String note = t.problem() != null ? "not chosen: " + t.problem()
          : t.spec().isEmpty() ? "the reference each candidate is measured beside"
          : String.format(Locale.ROOT, "%.2fx the time of the defaults measured beside it (%.5f)",
              t.seconds() / t.defaultSeconds(), t.defaultSeconds());
      out.printf(Locale.ROOT, "  %-34s %-36s %10.5f  %s%n", t.workload(), cfg, t.seconds(), note);
    }
    for (KernelTuner.Confirmation c : o.confirmations()) {
      String verdict = c.problem() != null ? "not kept: " + c.problem()
          : (c.tunedSeconds() < c.defaultSeconds()
              ? String.format(Locale.ROOT, "%.1f%% faster", 100 * (1 - c.tunedSeconds() / c.defaultSeconds()))
              : String.format(Locale.ROOT, "%.1f%% slower", 100 * (c.tunedSeconds() / c.defaultSeconds() - 1)))
              + String.format(Locale.ROOT, ", faster in %d of %d rounds", c.roundsFaster(), c.rounds());
      out.printf(Locale.ROOT, "  confirmation, %s, %s: %.5f s against %.5f s for the defaults (%s)%n", c.workload(),
          c.spec(), c.tunedSeconds(), c.defaultSeconds(), verdict);
    }
    if (o.failure() != null) {
      out.printf("  no tuning: %s%n", o.failure());
      return;
    }
    out.printf("  tuning: %s%s%n",
        o.spec().isEmpty() ? "the defaults (nothing beat them by 3% in every round)" : o.spec(),
        file == null ? " (dry run: not kept)" : ", kept in " + file);
  }

  /** The OpenCL devices {@code spec} names; an error naming the accepted values otherwise. */
  static List<ClDeviceInfo> devices(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    // The Java engine is never a choice, with OpenCL or without: said first, so a machine without
    // OpenCL answers 'tune --device java' about the option, as every other machine does.
    boolean java = s.equals("java") || s.startsWith("java:");
    List<ClDeviceInfo> all;
    try {
      all = OpenCl.devices();
    } catch (EngineException | LinkageError e) {
      if (java) {
        throw notADevice(spec, List.of(), true);
      }
      throw new InputException("tune: " + e.getMessage()); // "OpenCL is not available: ..." and how to get it
    }
    if (all.isEmpty()) {
      throw new InputException("--device " + spec + ": no OpenCL device found; only OpenCL devices have kernels to tune");
    }
    if (s.equals("all") || s.equals("opencl:all")) { // opencl:all as --device takes it elsewhere
      return all;
    }
    if (s.equals("opencl")) {
      String auto = io.clmix.engine.EngineSelector.autoChoice(all).id();
      ClDeviceInfo pick = all.stream().filter(x -> x.id().equals(auto)).findFirst().orElse(all.get(0));
      return List.of(pick);
    }
    if (s.startsWith("opencl:")) {
      // As every command names an OpenCL device: a malformed index, or a device that does not
      // exist with the list of those that do, in the words of --device everywhere else.
      String id = io.clmix.engine.EngineSelector.engineId(spec);
      for (ClDeviceInfo x : all) {
        if (x.id().equals(id)) {
          return List.of(x);
        }
      }
    }
    throw notADevice(spec, all, java);
  }

  /**
   * The refusal of a --device that names no OpenCL device: the accepted values, with the ids of
   * {@code all} (none where OpenCL is missing); only a user who named the Java engine is told why
   * it is not among them.
   */
  private static InputException notADevice(String spec, List<ClDeviceInfo> all, boolean java) {
    List<String> ids = new ArrayList<>();
    for (ClDeviceInfo x : all) {
      ids.add(x.id());
    }
    String devices = ids.isEmpty() ? "one of the OpenCL devices (none found here)" : "one of " + String.join(", ", ids);
    return InputException.parameter("--device", "'" + spec + "'", "all, opencl or " + devices
        + (java ? " (the Java engine has no kernels to tune)" : ""));
  }
}
