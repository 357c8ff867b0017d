package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.KernelConfig;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.engine.opencl.TuningCache;
import io.clmix.model.CovarianceType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuner's rules, its plans, and a small tuning run on the test device. */
class KernelTunerTest {
  @TempDir
  Path dir;

  private static KernelTuner.Confirmation c(double defaults, double tuned) {
    return new KernelTuner.Confirmation("w", "tiles=4", defaults, tuned, tuned < defaults ? 5 : 0, 5, null);
  }

  @Test
  void aWinnerMustSaveThreePercentInTheConfirmation() {
    assertTrue(KernelTuner.pays(c(1.0, 0.96)));
    assertFalse(KernelTuner.pays(c(1.0, 0.98)));
    assertFalse(KernelTuner.pays(c(1.0, 1.2)));
    assertFalse(KernelTuner.pays(c(Double.NaN, Double.NaN)), "a failed confirmation");
    assertFalse(KernelTuner.pays(new KernelTuner.Confirmation("w", "tiles=4", 1.0, 0.9, 4, 5, null)),
        "10% faster over all rounds, but slower in one of them: noise, not a gain");
    assertTrue(KernelTuner.pays(new KernelTuner.Confirmation("w", "tiles=4", 1.0, 0.9, 5, 5, null)));
    assertFalse(KernelTuner.pays(new KernelTuner.Confirmation("w", "tiles=4", 1.0, 0.9, 0, 0, null)), "no rounds");
    assertFalse(KernelTuner.pays(new KernelTuner.Confirmation("w", "tiles=4", 1.0, 0.5, 5, 5, "objective differs")));
  }

  @Test
  void aTuningIsKeptWhenItGainsOnOneWorkloadAndLosesOnNone() {
    assertTrue(KernelTuner.keeps(List.of(c(1.0, 0.9), c(1.0, 1.02))), "a loss within the noise allowance");
    assertTrue(KernelTuner.keeps(List.of(c(1.0, 1.0), c(1.0, 0.8))));
    assertFalse(KernelTuner.keeps(List.of(c(1.0, 0.8), c(1.0, 1.1))), "a Lloyd gain that slows the mixture");
    assertFalse(KernelTuner.keeps(List.of(c(1.0, 0.99), c(1.0, 0.99))), "no gain worth a change of bits");
    assertFalse(KernelTuner.keeps(List.of(c(1.0, 0.5),
        new KernelTuner.Confirmation("w", "tiles=4", 1.0, 0.5, 5, 5, "objective differs"))));
    assertFalse(KernelTuner.keeps(List.of(c(1.0, 0.5), c(Double.NaN, Double.NaN))), "a workload that failed");
    assertFalse(KernelTuner.keeps(List.of()));
  }

  @Test
  void objectivesMustAgreeToTheLastDigitsOnly() {
    assertTrue(KernelTuner.agrees(-26.390781, -26.390782));
    assertTrue(KernelTuner.agrees(85490481.17, 85490481.29));
    assertFalse(KernelTuner.agrees(85490481.17, 85500000.0));
    assertFalse(KernelTuner.agrees(Double.NaN, 1.0));
  }

  private static KernelTuner.Trial t(String spec, double seconds, double defaultSeconds) {
    return new KernelTuner.Trial("w", spec, seconds, defaultSeconds, 1.0, null);
  }

  @Test
  void aDriftingBaselineChoosesNothing() {
    // The defaults get 2% faster with each measurement (as on an H100, 0.930 to 0.721 ms over a
    // sweep) and every candidate is 1% slower than the defaults measured beside it. By seconds,
    // every candidate beats the sweep's first figure of the defaults, and the last beats it by
    // far more than the 3% a winner needs; by ratio, none beats the defaults.
    double first = 1.0;
    List<KernelTuner.Trial> trials = new ArrayList<>();
    double beside = first;
    for (int i = 0; i < 12; i++) {
      beside *= 0.98;
      trials.add(t("tiles=" + i, 1.01 * beside, beside));
    }
    for (KernelTuner.Trial x : trials) {
      assertTrue(x.seconds() < first, "faster than the first figure of the defaults: " + x);
    }
    assertTrue(trials.get(11).seconds() < (1 - KernelTuner.MIN_GAIN) * first, "by seconds it would win");
    assertEquals(-1, KernelTuner.fastest(trials), "the descent stays on the defaults");
    assertEquals(-1, KernelTuner.winner(trials), "and the sweep proposes nothing");
  }

  @Test
  void aCandidateTenPercentFasterThanItsNeighbourWinsWhateverItsSeconds() {
    // Here the baseline drifts the other way: the real winner, timed late, has more seconds
    // than candidates timed early that only kept level with their neighbours.
    List<KernelTuner.Trial> trials = List.of(
        t("ppi=1", 1.00, 1.00),
        t("ppi=4", 1.05, 1.04),
        t("cv=2", 1.20, 1.333),
        t("tiles=128", 1.30, 1.29));
    assertEquals(2, KernelTuner.fastest(trials));
    assertEquals(2, KernelTuner.winner(trials));
    assertEquals(0.9, KernelTuner.ratio(trials.get(2)), 1e-3);
  }

  @Test
  void theDescentMovesOnAnyGainButOnlyThreePercentGoesToTheConfirmation() {
    List<KernelTuner.Trial> small = List.of(t("ppi=1", 0.99, 1.0), t("ppi=4", 0.98, 1.0));
    assertEquals(1, KernelTuner.fastest(small), "the lowest ratio leads the descent");
    assertEquals(-1, KernelTuner.winner(small), "2% is within the noise: no winner");
    assertEquals(0, KernelTuner.winner(List.of(t("ppi=1", 0.97, 1.0))), "exactly 3% is enough");
    assertEquals(0, KernelTuner.fastest(List.of(t("a=1", 0.9, 1.0), t("a=2", 0.9, 1.0))), "the first of equals");
  }

  @Test
  void aCandidateThatCannotBeChosenNeverLeadsTheDescent() {
    List<KernelTuner.Trial> trials = List.of(
        new KernelTuner.Trial("w", "cv=9", Double.NaN, Double.NaN, Double.NaN, "centreVecs: not a valid shape"),
        new KernelTuner.Trial("w", "tiles=4", 0.5, 1.0, 2.0, "objective 2 differs from the defaults' 1"),
        t("tiles=16", 0.95, 1.0));
    assertTrue(Double.isNaN(KernelTuner.ratio(trials.get(0))));
    assertTrue(Double.isNaN(KernelTuner.ratio(trials.get(1))), "half the time, but other results");
    assertEquals(2, KernelTuner.winner(trials));
    assertEquals(-1, KernelTuner.winner(trials.subList(0, 2)));
    assertEquals(-1, KernelTuner.winner(List.of()));
  }

  @Test
  void plansFollowTheDeviceType() {
    ClDeviceInfo cpu = device("cpu");
    ClDeviceInfo gpu = device("gpu");
    KernelTuner.Plan c = KernelTuner.planFor(cpu, 32, 64, 1);
    KernelTuner.Plan g = KernelTuner.planFor(gpu, 32, 64, 1);
    assertEquals(200_000, c.sweeps().get(0).workload().n());
    assertEquals(2_000_000, g.sweeps().get(0).workload().n());
    assertEquals(16, c.sweeps().get(1).workload().k(), "a CPU's mixture sweep keeps to 16 components");
    assertEquals(CovarianceType.FULL, g.sweeps().get(1).workload().covariance());
    assertTrue(keys(g).contains("kacc"), "the GPU's Lloyd accumulation is a tunable");
    assertFalse(keys(c).contains("kacc"), "a CPU runs the scan kernel, which has no such step");
    assertEquals(20_000, KernelTuner.planFor(cpu, 32, 64, 0.1).sweeps().get(0).workload().n());
    // Every candidate value is one the device's defaults accept.
    for (KernelTuner.Plan p : List.of(c, g)) {
      ClDeviceInfo dev = p == c ? cpu : gpu;
      for (KernelTuner.Sweep s : p.sweeps()) {
        for (KernelTuner.Knob k : s.knobs()) {
          for (String v : k.values()) {
            KernelConfig.defaultsFor(dev).withOverrides(k.key() + "=" + v);
          }
        }
      }
    }
  }

  private static ClDeviceInfo device(String type) {
    return new ClDeviceInfo(0, 0, "Some Platform", "a " + type, "Some Vendor", type, 8, 8L << 30, 2L << 30, 48 << 10,
        true, 1024, 1500, "OpenCL 3.0", "1");
  }

  private static Set<String> keys(KernelTuner.Plan p) {
    return p.sweeps().stream().flatMap(s -> s.knobs().stream()).map(KernelTuner.Knob::key).collect(Collectors.toSet());
  }

  @Test
  void aSmallTuningMeasuresEachCandidateOnceAndNeverChoosesOneThatFails() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    KernelConfig defaults = KernelConfig.defaultsFor(device);
    String defaultPpi = String.valueOf(defaults.pointsPerItem());
    String otherPpi = defaults.pointsPerItem() == 1 ? "2" : "1";
    KernelTuner.Plan plan = new KernelTuner.Plan(List.of(
        new KernelTuner.Sweep(new BenchSpec(BenchSpec.Algo.KMEANS, null, 3000, 4, 8, 3, 1, 0), List.of(
            new KernelTuner.Knob("ppi", List.of(defaultPpi, otherPpi)),
            new KernelTuner.Knob("cv", List.of("9")))), // not a valid shape: must fail, not stop the tuning
        new KernelTuner.Sweep(new BenchSpec(BenchSpec.Algo.GMM, CovarianceType.FULL, 1500, 3, 4, 3, 1, 0), List.of(
            new KernelTuner.Knob("gmmVecs", List.of("2"))))), 2, 2); // two of each: both orders of a pair
    List<String> heard = new ArrayList<>();
    KernelTuner.Outcome o = new KernelTuner(device, plan, new KernelTuner.Listener() {
      @Override
      public void measuring(String workload, String spec) {
        heard.add(spec);
      }
    }).tune();

    List<String> kmSpecs = o.trials().stream().filter(t -> t.workload().startsWith("kmeans")).map(KernelTuner.Trial::spec)
        .toList();
    assertEquals("", kmSpecs.get(0), "each sweep starts from the defaults");
    assertEquals("", o.trials().stream().filter(t -> t.workload().startsWith("gmm")).findFirst().orElseThrow().spec(),
        "the mixture sweep too, whatever the Lloyd sweep found");
    assertFalse(kmSpecs.contains("ppi=" + defaultPpi), "the value in force is not measured again: " + kmSpecs);
    assertTrue(kmSpecs.contains("ppi=" + otherPpi), kmSpecs.toString());
    KernelTuner.Trial bad = o.trials().stream().filter(t -> t.spec().contains("cv=9")).findFirst().orElseThrow();
    assertNotNull(bad.problem());
    assertTrue(bad.problem().contains("centreVecs"), bad.problem());
    assertTrue(Double.isNaN(bad.seconds()));
    assertFalse(o.spec().contains("cv=9"), o.spec());
    assertTrue(o.trials().stream().anyMatch(t -> t.workload().startsWith("gmm full")), "the mixture was measured");
    for (KernelTuner.Trial t : o.trials()) {
      if (t.problem() == null) {
        assertTrue(t.seconds() > 0, t.toString());
      }
      if (t.spec().isEmpty()) {
        assertTrue(Double.isNaN(t.defaultSeconds()), "the defaults' own trial has no neighbour: " + t);
      } else if (t.problem() == null) {
        assertTrue(t.defaultSeconds() > 0, "measured beside the defaults: " + t);
      }
    }
    for (String w : List.of("kmeans", "gmm full")) {
      assertEquals(1, o.trials().stream().filter(t -> t.workload().startsWith(w) && t.spec().isEmpty()).count(),
          "the defaults are one trial per sweep, measured beside each candidate rather than again at the end");
    }
    assertTrue(heard.size() > o.trials().size(), "the warm-up, every trial and any confirmation are announced");
    // Whatever won, it is one of the candidates and a valid configuration on the device.
    for (String part : o.spec().isEmpty() ? new String[0] : o.spec().split(",")) {
      assertTrue(Set.of("ppi=" + otherPpi, "gmmVecs=2").contains(part), o.spec());
    }
    KernelConfig tuned = defaults.withOverrides(o.spec());
    assertEquals(o.spec().isEmpty(), tuned.forData(4, device).equals(defaults.forData(4, device))
        && tuned.forData(3, device).equals(defaults.forData(3, device)));
    assertNull(o.failure());
    if (!o.spec().isEmpty()) {
      // Kept only after a confirmation on every workload that it passed.
      List<KernelTuner.Confirmation> mine = o.confirmations().stream().filter(x -> x.spec().equals(o.spec())).toList();
      assertEquals(2, mine.size(), o.confirmations().toString());
      assertTrue(KernelTuner.keeps(mine), mine.toString());
    }
    for (KernelTuner.Confirmation x : o.confirmations()) {
      assertFalse(x.spec().contains("cv=9"), "a failed candidate is never confirmed: " + x);
    }

    // The record round-trips through the cache as the device's tuning.
    TuningCache cache = new TuningCache(dir, true, "test");
    ObjectNode record = KernelTuner.record(cache, device, o);
    assertEquals(o.trials().size(), record.get("trials").size());
    cache.store(device, record);
    TuningCache.Lookup l = cache.lookup(device);
    assertEquals(TuningCache.Status.USED, l.status(), l.detail());
    assertEquals(o.spec(), l.spec());
    assertNull(record.get("trials").get(0).get("problem"));
    assertNull(record.get("trials").get(0).get("defaultSecondsPerIteration"), "the defaults' own trial");
    for (int i = 0; i < o.trials().size(); i++) {
      KernelTuner.Trial t = o.trials().get(i);
      if (!t.spec().isEmpty() && t.problem() == null) {
        assertEquals(t.defaultSeconds(), record.get("trials").get(i).get("defaultSecondsPerIteration").asDouble());
      }
    }
  }
}
