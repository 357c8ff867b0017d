package io.clmix.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.engine.DataSession;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.KernelConfig;
import io.clmix.engine.opencl.OpenClEngine;
import io.clmix.engine.opencl.TuningCache;
import io.clmix.model.CovarianceType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The short autotuning step behind {@code clmix tune}: measures a few kernel configurations on
 * one OpenCL device and keeps the fastest as the device's tuning ({@link TuningCache}).
 *
 * <p>How. Two sweeps, each on a generated workload the size of a real fit's pass (a Lloyd pass,
 * then a full-covariance E + M step; {@link #planFor}): starting from the device type's defaults
 * ({@link KernelConfig#defaultsFor}), one tunable at a time takes each of its candidate values,
 * and the value that does best stays for the next tunable (coordinate descent: a handful of
 * measurements instead of every combination). Each sweep keeps one engine with the defaults open
 * from its start to its end, the reference, first measured until a measurement is no longer
 * {@link #MIN_GAIN} faster than the one before (at most {@link #WARM_UPS} more times). Each
 * candidate then gets a new engine (its programs) and one warm-up run (and the reference one
 * more), after which the reference and the candidate take turns, each going first in every
 * other pair, for {@link Plan#repeats} timed runs each of the workload's iterations from its
 * start; a figure is the median iteration, as in {@code clmix bench}. A candidate is judged by
 * its time as a share of the reference's measured beside it ({@link #ratio}), not by its
 * seconds. On an H100 the defaults measured 0.930 ms per iteration
 * before a sweep and 0.721 ms after it, about 2% less with each measurement (probably the GPU's
 * clocks under bursty load, or the JIT compiling the host's side of the pass): too slow a drift
 * for the warm-up's test to see, and a descent that compared every candidate with one early
 * figure of the defaults followed it. The descent keeps the lowest share ({@link #fastest}), and
 * a sweep's best goes on to the confirmation only if it took at most 1 - {@link #MIN_GAIN} of its
 * neighbour's time ({@link #winner}).
 *
 * <p>Guards. A configuration that does not build, does not fit the device, or ends at an
 * objective more than {@link #AGREEMENT} (relative) from the defaults' is never chosen: tile
 * shapes reorder float32 sums, which moves the last digits, not more. The sweeps' winners, all
 * together and then each alone, are then confirmed against the defaults on every workload (some
 * tunables, such as the tiles per group, shape both kinds of pass), the two engines taking turns
 * for {@link Plan#confirmRounds} rounds each: the first candidate that saves at least
 * {@link #MIN_GAIN} of the defaults' time on one workload, and was faster in every one of that
 * workload's rounds, loses no more than that on any, and agrees on every objective is the
 * tuning; if none does, the tuning keeps the defaults (an empty spec). Timings on a shared
 * machine vary by more than the gains being measured, and a tuning that changes results' bits
 * must pay for it: on this project's 2-vCPU VM a pooled median alone kept a candidate that was
 * 11.7% faster in one confirmation and 6.4% slower in another of the same run, minutes apart;
 * a gain must also hold round after round ({@link #pays}). If the defaults themselves fail on a
 * workload (before the sweep or beside a candidate), there is no tuning at all
 * ({@link Outcome#failure}).
 */
public final class KernelTuner {
  /** Largest relative difference of a candidate's objective from the defaults'. */
  static final double AGREEMENT = 1e-5;
  /** Most measurements of the defaults before a sweep, while each is still faster than the last. */
  static final int WARM_UPS = 5;

  /**
   * The share of the defaults' time a tuning must save: a sweep's winner against the defaults
   * measured beside it, and a tuning in the confirmation on one workload (losing no more on any).
   */
  static final double MIN_GAIN = 0.03;

  /** One tunable and the values tried for it (the {@link KernelConfig#withOverrides} key). */
  public record Knob(String key, List<String> values) {}

  /** One workload (its iterations are those of every run) and the tunables swept on it. */
  public record Sweep(BenchSpec workload, List<Knob> knobs) {}

  /**
   * What to measure.
   *
   * @param sweeps in order; each starts from the defaults
   * @param repeats timed runs per configuration after one warm-up
   * @param confirmRounds turns each for the defaults and the winner in the confirmation
   */
  public record Plan(List<Sweep> sweeps, int repeats, int confirmRounds) {}

  /**
   * One measured configuration.
   *
   * @param workload {@code kmeans} or {@code gmm full}, and the size
   * @param spec the overrides measured (empty: the defaults)
   * @param seconds median seconds per iteration; NaN when it failed
   * @param defaultSeconds the defaults' median seconds per iteration measured beside this
   *     candidate on the sweep's open engine, their runs and the candidate's taking turns; NaN
   *     for the defaults' own trial and for a candidate that failed
   * @param objective the run's final inertia or lower bound; NaN when it failed
   * @param problem why it cannot be chosen (a failure, an objective that disagrees); null when it can
   */
  public record Trial(String workload, String spec, double seconds, double defaultSeconds, double objective,
      String problem) {}

  /**
   * A candidate tuning against the defaults on one workload, the two taking turns.
   *
   * @param workload as in {@link Trial}
   * @param spec the candidate
   * @param defaultSeconds the defaults' median over the rounds
   * @param tunedSeconds the candidate's median over the rounds
   * @param roundsFaster the rounds in which the candidate's median iteration was faster than the
   *     defaults' of the same round
   * @param rounds the rounds measured (0 when it failed)
   * @param problem why the candidate cannot be kept whatever its time (it failed, or its
   *     objective disagrees with the defaults'); null when it can
   */
  public record Confirmation(String workload, String spec, double defaultSeconds, double tunedSeconds,
      int roundsFaster, int rounds, String problem) {}

  /**
   * What the tuning found.
   *
   * @param spec the tuning to keep: overrides of the device's defaults, empty when the defaults
   *     were fastest
   * @param trials every measurement of the sweeps, in order
   * @param confirmations of each candidate tuning on each workload, in order
   * @param failure why there is no tuning at all (the defaults themselves failed on a workload);
   *     null when the tuning ran. A failed tuning must not be kept: it would say the defaults
   *     were fastest
   */
  public record Outcome(String spec, List<Trial> trials, List<Confirmation> confirmations, String failure) {}

  /** Hears of each measurement, for progress bars. */
  public interface Listener {
    /** A configuration is about to be measured. */
    default void measuring(String workload, String spec) {}
  }

  private final ClDeviceInfo device;
  private final Plan plan;
  private final Listener listener;

  public KernelTuner(ClDeviceInfo device, Plan plan, Listener listener) {
    this.device = device;
    this.plan = plan;
    this.listener = listener;
  }

  /**
   * The plan for {@code device}, with the tile shapes and workload sizes where its type's
   * choices matter: on a GPU the register-tiled Lloyd kernel's shape and accumulation, and the
   * mixture kernel's points per work-item and statistics blocks, on 2M and 1M rows (enough groups
   * for any GPU); on a CPU the scan kernel's register tile and tiles per group, and the mixture's
   * vector lanes, on 200k and 50k rows. Data of {@code d} columns and {@code k} clusters, since
   * the best shape depends on them; {@code scale} multiplies the rows (tests use small values).
   */
  public static Plan planFor(ClDeviceInfo device, int d, int k, double scale) {
    long kmRows = Math.max(4L * k, Math.round((device.isGpu() ? 2_000_000 : 200_000) * scale));
    long gmRows = Math.max(4L * k, Math.round((device.isGpu() ? 1_000_000 : 50_000) * scale));
    int gmK = device.isGpu() ? k : Math.min(k, 16);
    BenchSpec km = new BenchSpec(BenchSpec.Algo.KMEANS, null, kmRows, d, k, 5, 1, 0);
    BenchSpec gm = new BenchSpec(BenchSpec.Algo.GMM, CovarianceType.FULL, gmRows, device.isGpu() ? d : Math.min(d, 16),
        gmK, 5, 1, 0);
    List<Knob> kmKnobs;
    List<Knob> gmKnobs;
    if (device.isGpu()) {
      kmKnobs = List.of(
          new Knob("kacc", List.of("split", "fused")),
          new Knob("kg", List.of("2", "4", "8")),
          new Knob("tiles", List.of("4", "8", "16")),
          new Knob("cv", List.of("1", "2", "4")),
          new Knob("ppi", List.of("2", "4")),
          new Knob("wg", List.of("64", "128", "256")),
          new Knob("kaccUnroll", List.of("2", "4", "8")));
      gmKnobs = List.of(
          new Knob("gmmVecs", List.of("1", "2", "4")),
          new Knob("gmmBlock", List.of("2", "4")));
    } else {
      kmKnobs = List.of(
          new Knob("ppi", List.of("1", "2", "4")),
          new Knob("cv", List.of("2", "4")),
          new Knob("tiles", List.of("128", "512", "2048")));
      gmKnobs = List.of(
          new Knob("gmmLanes", List.of("8", "16")),
          new Knob("gmmVecs", List.of("2", "4", "8")));
    }
    // Five rounds of confirmation: a candidate no faster than the defaults passes "faster in
    // every round" by chance one time in 32.
    return new Plan(List.of(new Sweep(km, kmKnobs), new Sweep(gm, gmKnobs)), 2, 5);
  }

  /** Runs the plan and returns the tuning to keep; nothing is written. */
  public Outcome tune() {
    KernelConfig defaults = KernelConfig.defaultsFor(device);
    List<Trial> trials = new ArrayList<>();
    List<Workload> workloads = new ArrayList<>();
    List<Map<String, String>> winners = new ArrayList<>();
    for (Sweep sweep : plan.sweeps()) {
      Workload workload = Workload.generate(sweep.workload());
      workloads.add(workload);
      // Every sweep starts from the defaults and is judged against them: the winners are then
      // confirmed together on every workload, since tunables such as the tiles per group shape
      // more than one kind of pass.
      String failure = sweep(sweep, workload, defaults, trials, winners);
      if (failure != null) {
        return new Outcome("", trials, List.of(), failure);
      }
    }
    // Candidates: every sweep's winner together, then each alone; the first that the
    // confirmation keeps is the tuning.
    List<Map<String, String>> candidates = new ArrayList<>();
    Map<String, String> union = new LinkedHashMap<>();
    winners.forEach(union::putAll);
    if (!union.isEmpty()) {
      candidates.add(union);
    }
    for (Map<String, String> w : winners) {
      if (!candidates.contains(w)) {
        candidates.add(w);
      }
    }
    List<Confirmation> confirmations = new ArrayList<>();
    Map<String, String> chosen = Map.of();
    for (Map<String, String> candidate : candidates) {
      List<Confirmation> cs = new ArrayList<>();
      for (Workload w : workloads) {
        cs.add(confirm(w, describe(w.spec()), candidate));
      }
      confirmations.addAll(cs);
      if (keeps(cs)) {
        chosen = candidate;
        break;
      }
    }
    return new Outcome(minimal(defaults, chosen, plan.sweeps()), trials, confirmations, null);
  }

  /**
   * One sweep's descent on {@code workload}: its trials are added to {@code trials} and its
   * winner, if one, to {@code winners}. Returns why the defaults failed (then there is no
   * tuning), or null.
   */
  private String sweep(Sweep sweep, Workload workload, KernelConfig defaults, List<Trial> trials,
      List<Map<String, String>> winners) {
    String name = describe(sweep.workload());
    int d = sweep.workload().d();
    Passes passes = workload.passes();
    // The reference stays open for the whole sweep: measuring the defaults beside each candidate
    // then costs their timed runs only, not an engine's build and warm-up each time.
    try (OpenClEngine engine = OpenClEngine.create(device, defaults);
        DataSession reference = engine.open(workload.data())) {
      Trial base = warmUp(passes, reference, name);
      trials.add(base);
      List<Trial> measured = new ArrayList<>();
      List<Map<String, String>> specs = new ArrayList<>();
      Map<String, String> bestSpec = Map.of();
      for (Knob knob : sweep.knobs()) {
        Map<String, String> around = bestSpec;
        for (String value : knob.values()) {
          Map<String, String> candidate = new LinkedHashMap<>(around);
          candidate.put(knob.key(), value);
          if (sameConfig(defaults, candidate, around, d) || sameConfig(defaults, candidate, bestSpec, d)) {
            continue; // the value in force: already measured
          }
          Trial t = measure(workload, name, candidate, base.objective(), passes, reference);
          trials.add(t);
          measured.add(t);
          specs.add(candidate);
          int best = fastest(measured);
          bestSpec = best < 0 ? Map.of() : specs.get(best);
        }
      }
      // No second measurement of the defaults at the sweep's end: it was there because the
      // defaults, measured first, were the one configuration timed before the JIT (and the
      // device's clocks) had settled. Each candidate is now judged against the defaults measured
      // beside it, their runs taking turns under the same conditions, so the winner's share
      // already says what the end's figure would have.
      int w = winner(measured);
      if (w >= 0) {
        winners.add(specs.get(w));
      }
      return null;
    } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
      // The reference did not build, run or close: nothing can be judged against it.
      Throwable cause = e instanceof ReferenceFailure && e.getCause() != null ? e.getCause() : e;
      String why = why(cause);
      trials.add(new Trial(name, "", Double.NaN, Double.NaN, Double.NaN, why));
      return name + " failed with the defaults: " + why;
    }
  }

  /**
   * The defaults on the sweep's open {@code reference}: one warm-up run, then measurements until
   * one is no longer {@link #MIN_GAIN} faster than the one before (at most {@link #WARM_UPS}
   * after the first); the last one, as the sweep's trial of the defaults.
   */
  private Trial warmUp(Passes passes, DataSession reference, String name) {
    // The JIT compiles the host's side of a pass (Lloyd's centre update, EM's M-step) during its
    // first runs. With the pairing below that no longer decides a candidate's fate, but the
    // sweep's figure of the defaults (the table's first row, the objective the candidates must
    // agree with) should be a settled one: on an H100 one discarded run was not enough
    // (K-means, 2M rows: 1.03 ms per iteration measured second, 0.68 ms at the sweep's end).
    listener.measuring(name, "");
    passes.run(reference);
    Timing base = time(passes, reference);
    for (int w = 0; w < WARM_UPS; w++) {
      listener.measuring(name, "");
      Timing next = time(passes, reference);
      boolean settled = next.seconds() >= (1 - MIN_GAIN) * base.seconds();
      base = next;
      if (settled) {
        break;
      }
    }
    return new Trial(name, "", base.seconds(), Double.NaN, base.objective(), null);
  }

  /**
   * A candidate's time as a share of the defaults' measured beside it ({@link Trial#seconds}
   * over {@link Trial#defaultSeconds}); NaN when it cannot be chosen (it failed, or its
   * objective disagrees).
   */
  static double ratio(Trial t) {
    return t.problem() != null ? Double.NaN : t.seconds() / t.defaultSeconds();
  }

  /**
   * The descent's choice among a sweep's candidate trials so far: the index of the lowest
   * {@link #ratio} under 1 (the first of equal ones), or -1 while none beat the defaults beside
   * it. By ratio, not seconds: the seconds of every configuration drift during a sweep, and a
   * candidate timed late would look faster than one timed early for that alone.
   */
  static int fastest(List<Trial> candidates) {
    int best = -1;
    double bestRatio = 1;
    for (int i = 0; i < candidates.size(); i++) {
      double r = ratio(candidates.get(i));
      if (r < bestRatio) { // false for NaN: a failed or disagreeing candidate is never chosen
        best = i;
        bestRatio = r;
      }
    }
    return best;
  }

  /**
   * A sweep's winner among its candidate trials: the {@link #fastest}, if it took at most
   * 1 - {@link #MIN_GAIN} of the defaults' time measured beside it; -1 otherwise (the sweep
   * proposes nothing to the confirmation).
   */
  static int winner(List<Trial> candidates) {
    int best = fastest(candidates);
    return best >= 0 && ratio(candidates.get(best)) <= 1 - MIN_GAIN ? best : -1;
  }

  /**
   * Whether a confirmed candidate saves at least {@link #MIN_GAIN} of the defaults' time over all
   * rounds and was faster in each round: a gain that one noisy round makes is not a gain.
   */
  static boolean pays(Confirmation c) {
    return c.problem() == null && c.rounds() > 0 && c.roundsFaster() == c.rounds()
        && c.tunedSeconds() <= (1 - MIN_GAIN) * c.defaultSeconds();
  }

  /**
   * Whether a candidate is kept, from its confirmations on every workload: it must save
   * {@link #MIN_GAIN} on one and lose no more than that on any, with agreeing objectives.
   */
  static boolean keeps(List<Confirmation> cs) {
    boolean gains = false;
    for (Confirmation c : cs) {
      if (c.problem() != null || !(c.tunedSeconds() <= (1 + MIN_GAIN) * c.defaultSeconds())) {
        return false;
      }
      gains |= pays(c);
    }
    return gains;
  }

  /** Whether a candidate's objective is within {@link #AGREEMENT} (relative) of the defaults'. */
  static boolean agrees(double objective, double reference) {
    return Math.abs(objective - reference) <= AGREEMENT * Math.abs(reference);
  }

  /** Why {@code objective} cannot stand beside the defaults' {@code reference}, or null when it {@link #agrees}. */
  private static String disagreement(double objective, double reference) {
    return agrees(objective, reference) ? null
        : String.format(java.util.Locale.ROOT, "objective %.9g differs from the defaults' %.9g", objective, reference);
  }

  /** The outcome as the tuning record {@link TuningCache#store} writes. */
  public static ObjectNode record(TuningCache cache, ClDeviceInfo device, Outcome outcome) {
    ObjectNode o = cache.newRecord(device, outcome.spec());
    o.put("tunedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ArrayNode confirmations = o.putArray("confirmations");
    for (Confirmation c : outcome.confirmations()) {
      ObjectNode n = confirmations.addObject().put("workload", c.workload()).put("config", c.spec());
      if (!Double.isNaN(c.defaultSeconds())) {
        n.put("defaultSeconds", c.defaultSeconds()).put("tunedSeconds", c.tunedSeconds())
            .put("roundsFaster", c.roundsFaster()).put("rounds", c.rounds());
      }
      if (c.problem() != null) {
        n.put("problem", c.problem());
      }
    }
    ArrayNode trials = o.putArray("trials");
    for (Trial t : outcome.trials()) {
      ObjectNode n = trials.addObject().put("workload", t.workload()).put("config", t.spec());
      if (!Double.isNaN(t.seconds())) {
        n.put("secondsPerIteration", t.seconds());
      }
      if (!Double.isNaN(t.defaultSeconds())) {
        n.put("defaultSecondsPerIteration", t.defaultSeconds());
      }
      if (!Double.isNaN(t.objective())) {
        n.put("objective", t.objective());
      }
      if (t.problem() != null) {
        n.put("problem", t.problem());
      }
    }
    return o;
  }

  /** {@code kmeans n=200000 d=32 k=64} or {@code gmm full n=...}. */
  static String describe(BenchSpec s) {
    return (s.algo() == BenchSpec.Algo.KMEANS ? "kmeans" : "gmm " + s.covariance().id()) + " n=" + s.n() + " d="
        + s.d() + " k=" + s.k();
  }

  /**
   * Whether two override maps give the same configuration on this device for data of
   * {@code dim} columns, as sessions resolve it ({@link KernelConfig#forData}: a tunable left to
   * the device, such as the mixture's lanes, equals the value it resolves to).
   */
  private boolean sameConfig(KernelConfig defaults, Map<String, String> a, Map<String, String> b, int dim) {
    try {
      return defaults.withOverrides(spec(a)).forData(dim, device)
          .equals(defaults.withOverrides(spec(b)).forData(dim, device));
    } catch (RuntimeException e) {
      return false; // an invalid combination: let measure() report it
    }
  }

  /** {@code chosen} without the entries that change nothing for any sweep's data. */
  private String minimal(KernelConfig defaults, Map<String, String> chosen, List<Sweep> sweeps) {
    Map<String, String> out = new LinkedHashMap<>(chosen);
    for (String key : List.copyOf(out.keySet())) {
      Map<String, String> without = new LinkedHashMap<>(out);
      without.remove(key);
      boolean same = true;
      for (Sweep s : sweeps) {
        same &= sameConfig(defaults, without, out, s.workload().d());
      }
      if (same) {
        out = without;
      }
    }
    return spec(out);
  }

  static String spec(Map<String, String> overrides) {
    return overrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** Median seconds per iteration and the final objective of some timed runs. */
  private record Timing(double seconds, double objective) {}

  /** A failure of the sweep's reference while a candidate was measured: the sweep's end, not the candidate's. */
  private static final class ReferenceFailure extends RuntimeException {
    ReferenceFailure(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** {@link Plan#repeats} timed runs on {@code session} (the defaults' warm-up). */
  private Timing time(Passes passes, DataSession session) {
    List<double[]> times = new ArrayList<>();
    double objective = Double.NaN;
    for (int r = 0; r < plan.repeats(); r++) {
      Passes.RunResult result = passes.run(session);
      times.add(result.iterationSeconds());
      objective = result.objective();
    }
    return new Timing(Timings.median(Timings.pooled(times)), objective);
  }

  /**
   * One candidate on a fresh engine: a warm-up run of it and one of the defaults on the sweep's
   * open {@code reference}, then {@link Plan#repeats} timed runs of each, taking turns (the
   * defaults, the candidate, the candidate, the defaults, ...). After the candidate's build and
   * warm-up, not before: the two sets of runs then share the same stretch of time, with no idle
   * device between them, and see the same clocks, the same state of the JIT and, run by run,
   * much the same load on a shared machine.
   */
  private Trial measure(Workload workload, String name, Map<String, String> overrides, double objectiveRef,
      Passes passes, DataSession reference) {
    String s = spec(overrides);
    listener.measuring(name, s);
    try (OpenClEngine engine = OpenClEngine.create(device, KernelConfig.defaultsFor(device).withOverrides(s));
        DataSession session = engine.open(workload.data())) {
      passes.run(session);
      // One untimed run of the defaults too, so that in the timed runs each side follows itself
      // once and the other once (R C C R), whatever running after another engine does to a run.
      referenceRun(passes, reference);
      List<double[]> beside = new ArrayList<>();
      List<double[]> times = new ArrayList<>();
      double objective = Double.NaN;
      for (int r = 0; r < plan.repeats(); r++) {
        // The reference first in even runs, the candidate first in odd ones (as in confirm).
        if (r % 2 == 0) {
          beside.add(referenceRun(passes, reference).iterationSeconds());
        }
        Passes.RunResult result = passes.run(session);
        times.add(result.iterationSeconds());
        objective = result.objective();
        if (r % 2 == 1) {
          beside.add(referenceRun(passes, reference).iterationSeconds());
        }
      }
      double seconds = Timings.median(Timings.pooled(times));
      double defaultSeconds = Timings.median(Timings.pooled(beside));
      return new Trial(name, s, seconds, defaultSeconds, objective, disagreement(objective, objectiveRef));
    } catch (ReferenceFailure e) {
      throw e;
    } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
      // An invalid combination, a build or allocation failure: that configuration's row, not the end of the tuning.
      return new Trial(name, s, Double.NaN, Double.NaN, Double.NaN, why(e));
    }
  }

  /** One run of the sweep's reference beside a candidate; its failure ends the sweep ({@link ReferenceFailure}). */
  private static Passes.RunResult referenceRun(Passes passes, DataSession reference) {
    try {
      return passes.run(reference);
    } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
      throw new ReferenceFailure(e);
    }
  }

  /**
   * The defaults and {@code candidate}, taking turns on two engines kept open, for
   * {@link Plan#confirmRounds} rounds each.
   */
  private Confirmation confirm(Workload workload, String name, Map<String, String> candidate) {
    String spec = spec(candidate);
    listener.measuring(name, "confirming " + spec + " against the defaults");
    KernelConfig defaults = KernelConfig.defaultsFor(device);
    try (OpenClEngine a = OpenClEngine.create(device, defaults);
        OpenClEngine b = OpenClEngine.create(device, defaults.withOverrides(spec));
        DataSession sa = a.open(workload.data());
        DataSession sb = b.open(workload.data())) {
      Passes passes = workload.passes();
      passes.run(sa);
      passes.run(sb);
      List<double[]> ta = new ArrayList<>();
      List<double[]> tb = new ArrayList<>();
      double oa = Double.NaN;
      double ob = Double.NaN;
      int faster = 0;
      for (int r = 0; r < plan.confirmRounds(); r++) {
        // Each side goes first in every other round: on PoCL the run after another one was
        // systematically faster or slower, which a fixed order would credit to one side.
        boolean defaultsFirst = r % 2 == 0;
        Passes.RunResult ra = defaultsFirst ? passes.run(sa) : null;
        Passes.RunResult rb = passes.run(sb);
        if (!defaultsFirst) {
          ra = passes.run(sa);
        }
        ta.add(ra.iterationSeconds());
        tb.add(rb.iterationSeconds());
        oa = ra.objective();
        ob = rb.objective();
        if (Timings.median(rb.iterationSeconds()) < Timings.median(ra.iterationSeconds())) {
          faster++;
        }
      }
      return new Confirmation(name, spec, Timings.median(Timings.pooled(ta)), Timings.median(Timings.pooled(tb)),
          faster, plan.confirmRounds(), disagreement(ob, oa));
    } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
      return new Confirmation(name, spec, Double.NaN, Double.NaN, 0, 0, why(e));
    }
  }

  /** A failure as a row's problem: the first line of its message, or what it is when it has none. */
  private static String why(Throwable e) {
    return DeviceList.firstLine(e.getMessage() == null ? e.toString() : e.getMessage());
  }
}
