package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansInit;
import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tiny benchmarks on the Java engine: the rows, iteration counts and objective agreement; never a time. */
class BenchRunTest {
  private static BenchReport run(BenchSpec spec, String devices) {
    return Bench.run(Workload.generate(spec), devices, PeakTable.known(), BenchListener.NONE, 0);
  }

  @Test
  void kmeansOnTwoJavaEnginesAgreesAndTimesEveryIteration() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 3000, 4, 3, 4, 2, 1);
    BenchReport r = run(spec, "java,java:1");
    assertEquals(2, r.rows().size());
    for (BenchRow row : r.rows()) {
      assertTrue(row.ok(), row.error());
      assertEquals("java", row.kind());
      assertEquals(4 * 2, row.timedIterations());
      assertTrue(row.secondsPerIteration() > 0);
      assertTrue(row.gflops() > 0);
      assertTrue(Double.isFinite(row.objective()) && row.objective() > 0);
      // The Java engine's results do not depend on its thread count.
      assertTrue(row.objectiveRelDiff() < 1e-12, "rel diff " + row.objectiveRelDiff());
    }
    assertEquals(0, r.rows().get(0).objectiveRelDiff());
  }

  @Test
  void lloydPassesEndWhereTheLibrarysKMeansEnds() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 4000, 3, 4, 30, 1, 2);
    Workload w = Workload.generate(spec);
    double bench = run(spec, "java").rows().get(0).objective();
    try (JavaEngine engine = new JavaEngine(2)) {
      // The library stops once no label changes; from then on the centres no longer move,
      // so 30 fixed passes from the same start reach the same inertia.
      double library = KMeans.k(4).init(KMeansInit.centres(w.startGlobal())).maxIter(30).tol(0)
          .fit(w.data(), engine).model().inertia();
      assertEquals(library, bench, 1e-9 * library);
    }
  }

  @Test
  void mixturesRunEveryIterationForEachCovarianceType() {
    for (CovarianceType t : CovarianceType.values()) {
      BenchSpec spec = new BenchSpec(BenchSpec.Algo.GMM, t, 2000, 3, 3, 3, 2, 4);
      BenchRow row = run(spec, "java").rows().get(0);
      assertTrue(row.ok(), t + ": " + row.error());
      assertEquals(3 * 2, row.timedIterations());
      // A lower bound is a mean log-density: finite, and negative for these spread-out blobs.
      assertTrue(Double.isFinite(row.objective()) && row.objective() < 0, t + ": " + row.objective());
      assertEquals(0, row.objectiveRelDiff());
    }
  }

  @Test
  void aFailingDeviceIsARowNotACrash() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 500, 2, 2, 2, 1, 0);
    List<String> events = new ArrayList<>();
    BenchListener listener = new BenchListener() {
      @Override
      public void deviceStarted(String device, int index, int count) {
        events.add("start " + device + " " + index + "/" + count);
      }

      @Override
      public void runDone(String device, int run, int runs) {
        events.add("run " + device + " " + run + "/" + runs);
      }

      @Override
      public void deviceDone(String device, double secondsPerIteration, String error) {
        events.add("done " + device + (error == null ? "" : " failed"));
      }
    };
    BenchReport r = Bench.run(Workload.generate(spec), "opencl:9:9,nonsense,java", PeakTable.known(), listener, 0);
    assertEquals(3, r.rows().size());
    assertFalse(r.rows().get(0).ok());
    assertNotNull(r.rows().get(0).error());
    assertTrue(r.rows().get(1).error().contains("nonsense"), r.rows().get(1).error());
    assertTrue(Double.isNaN(r.rows().get(1).secondsPerIteration()));
    assertTrue(r.rows().get(2).ok());
    assertEquals(List.of("start opencl:9:9 0/3", "done opencl:9:9 failed", "start nonsense 1/3", "done nonsense failed",
        "start java 2/3", "run java 0/2", "run java 1/2", "done java"), events);
  }

  @Test
  void noneMeasuresNothing() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 100, 2, 2, 2, 1, 0);
    assertTrue(run(spec, "none").rows().isEmpty());
  }
}
