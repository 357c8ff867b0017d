package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.KernelConfig;
import io.clmix.engine.opencl.OpenClTestSupport;
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

  /** A row of several devices is measured against their parts' peaks, so each part is listed. */
  @Test
  void aShardedEngineIsMeasuredAsItsParts() {
    try (io.clmix.engine.ShardedEngine two = new io.clmix.engine.ShardedEngine(
        List.of(new JavaEngine(1), new JavaEngine(2)))) {
      List<io.clmix.engine.EngineInfo> parts = DeviceBench.parts(two);
      assertEquals(2, parts.size());
      assertEquals("java", parts.get(0).kind());
      assertTrue(parts.get(1).name().contains("2 threads"), parts.get(1).name());
    }
    try (JavaEngine one = new JavaEngine(1)) {
      assertEquals(List.of(one.info()), DeviceBench.parts(one));
    }
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
  void javaRowsSayTheyUploadedNothingInTheTableTheCsvAndTheJson() {
    // The Java engine reads the data in place. Opening its session took the JVM's class loading,
    // which only the first Java row of a process paid: that row said 0.031 s and a second Java
    // row 0.000 s for the same work. Every Java row now says n/a, the first included.
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 3000, 4, 3, 2, 1, 1);
    BenchReport r = run(spec, "java,java:1");
    assertEquals(2, r.rows().size());
    for (BenchRow row : r.rows()) {
      assertTrue(row.ok(), row.error());
      assertTrue(Double.isNaN(row.uploadSeconds()), row.device() + " upload " + row.uploadSeconds());
    }
    List<String> header = List.of(ReportTable.toText(r).lines().filter(l -> l.startsWith("device ")).findFirst()
        .orElseThrow().split(" {2,}"));
    int tableColumn = header.indexOf("upload s");
    assertTrue(tableColumn > 0, header.toString());
    List<String> tsv = ReportCsv.toText(r, '\t').lines().toList();
    int csvColumn = List.of(tsv.get(0).split("\t", -1)).indexOf("uploadSeconds");
    assertTrue(csvColumn > 0, tsv.get(0));
    com.fasterxml.jackson.databind.JsonNode json = ReportJson.toJson(r).get("rows");
    for (int i = 0; i < 2; i++) {
      String device = r.rows().get(i).device();
      String line = ReportTable.toText(r).lines().filter(l -> l.startsWith(device + " ")).findFirst().orElseThrow();
      assertEquals("n/a", line.trim().split(" +")[tableColumn], line);
      assertEquals("", tsv.get(1 + i).split("\t", -1)[csvColumn], tsv.get(1 + i));
      assertTrue(json.get(i).get("uploadSeconds").isNull(), json.get(i).toString());
    }
  }

  @Test
  void anOpenClDeviceStillReportsItsUpload() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 3000, 4, 3, 2, 1, 1);
    BenchReport r = run(spec, device.id() + ",java");
    assertTrue(r.rows().get(0).ok(), r.rows().get(0).error());
    double upload = r.rows().get(0).uploadSeconds();
    assertTrue(Double.isFinite(upload) && upload > 0, "OpenCL upload " + upload);
    assertTrue(Double.isNaN(r.rows().get(1).uploadSeconds()), "java upload " + r.rows().get(1).uploadSeconds());
  }

  @Test
  void objectivesOfZeroThatAgreeDifferByZero() {
    // k = n: a centre on every row, an inertia of exactly 0 on both engines.
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 4, 2, 4, 2, 1, 0);
    BenchReport r = run(spec, "java,java:1");
    for (BenchRow row : r.rows()) {
      assertTrue(row.ok(), row.error());
      assertEquals(0, row.objective());
      assertEquals(0, row.objectiveRelDiff(), "the Java row is its own reference");
    }
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
  void aDeviceThatFailsIsARowNotACrash() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 500, 2, 2, 2, 1, 0);
    List<String> events = new ArrayList<>();
    BenchListener listener = new BenchListener() {
      @Override
      public void deviceStarted(String id, int index, int count) {
        events.add("start " + id + " " + index + "/" + count);
      }

      @Override
      public void runDone(String id, int run, int runs) {
        events.add("run " + id + " " + run + "/" + runs);
      }

      @Override
      public void deviceDone(String id, double secondsPerIteration, String error) {
        events.add("done " + id + (error == null ? "" : " failed"));
      }
    };
    // The device exists, so the list passes the checks; a tuning it refuses makes it fail when
    // its engine is built, as a device can fail during any run.
    String previous = System.getProperty(KernelConfig.OVERRIDES_PROPERTY);
    System.setProperty(KernelConfig.OVERRIDES_PROPERTY, "wg=-1");
    BenchReport r;
    try {
      r = Bench.run(Workload.generate(spec), device.id() + ",java", PeakTable.known(), listener, 0);
    } finally {
      if (previous == null) {
        System.clearProperty(KernelConfig.OVERRIDES_PROPERTY);
      } else {
        System.setProperty(KernelConfig.OVERRIDES_PROPERTY, previous);
      }
    }
    assertEquals(2, r.rows().size());
    assertFalse(r.rows().get(0).ok());
    assertTrue(r.rows().get(0).error().contains("wg"), r.rows().get(0).error());
    assertTrue(Double.isNaN(r.rows().get(0).secondsPerIteration()));
    assertTrue(r.rows().get(1).ok(), r.rows().get(1).error());
    assertEquals(List.of("start " + device.id() + " 0/2", "done " + device.id() + " failed",
        "start java 1/2", "run java 0/2", "run java 1/2", "done java"), events);
  }

  @Test
  void aListThatCannotRunIsAnErrorBeforeAnythingRuns() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 500, 2, 2, 2, 1, 0);
    Workload w = Workload.generate(spec);
    List<String> started = new ArrayList<>();
    BenchListener listener = new BenchListener() {
      @Override
      public void deviceStarted(String id, int index, int count) {
        started.add(id);
      }
    };
    // A typo, an empty entry, a device that does not exist (or no OpenCL at all), a bad thread count.
    for (String devices : List.of("java,nonsense", "java,", "java,opencl:9:9", "java:0")) {
      InputException e = assertThrows(InputException.class,
          () -> Bench.run(w, devices, PeakTable.known(), listener, 0), devices);
      assertTrue(e.getMessage().startsWith("--devices"), e.getMessage());
    }
    // A peak for a device the run does not measure would be silently unused.
    InputException peak = assertThrows(InputException.class,
        () -> Bench.run(w, "java", PeakTable.withOverrides("opencl:0:0=85", null), listener, 0));
    assertTrue(peak.getMessage().startsWith("--peak-gflops: 'opencl:0:0' is not a device this run measures"),
        peak.getMessage());
    assertEquals(List.of(), started);
    // A peak for every device, or for one that runs, is fine.
    assertTrue(Bench.run(w, "java", PeakTable.withOverrides("85", "java=20"), listener, 0).rows().get(0).ok());
  }

  @Test
  void noneMeasuresNothing() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 100, 2, 2, 2, 1, 0);
    assertTrue(run(spec, "none").rows().isEmpty());
  }
}
