package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.EngineException.Kind;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.FaultInjectingEngine;
import io.clmix.engine.FaultPlan;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.OpenClEngine;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the command line tells a user that the device failed during a fit: one warning line on
 * stderr, however often sessions fall back, and the {@code fallback} and {@code device} fields
 * of the JSON line.
 */
class FallbackReportingTest {
  private static final Dataset DATA = new Blobs(400, 2, 3, 1, 1.0, 5).generate(100);

  @Test
  void aMidFitFallbackIsOneWarningAndTheJsonSaysWhatHappened() {
    StringWriter err = new StringWriter();
    KMeansResult r;
    try (FallbackEngine engine = FallbackEngine.withBackup(
        FaultInjectingEngine.wrap(new JavaEngine(1), FaultPlan.none().failPass(7, Kind.ALLOCATION)),
        () -> new JavaEngine(1))) {
      DeviceOption.warnOnFallback(engine, new PrintWriter(err, true));
      r = KMeans.k(3).nInit(2).fit(DATA, engine);
      KMeans.k(3).fit(DATA, engine); // a second session: no second warning
    }
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertEquals("clmix: warning: " + r.report().fallback(), err.toString().strip());
    assertTrue(r.report().fallback().contains("ran out of memory in pass 7"), r.report().fallback());

    ObjectNode json = Printing.fitJson("kmeans", 3, DATA, r.report());
    assertEquals(r.report().fallback(), json.get("fallback").asText());
    assertEquals("java", json.get("device").asText(), "the engine the fit ended on");
  }

  @Test
  void dataTooWideForTheGuardedDeviceAreOneWarningThatTheyMovedToJava() {
    // A GPU-shaped OpenCL engine with 4 KiB of local memory cannot run K-means on 100 columns.
    Dataset wide = new Blobs(200, 100, 3, 2, 1.0, 5).generate(100);
    ClDeviceInfo small = OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 4 << 10);
    StringWriter err = new StringWriter();
    KMeansResult r;
    try (FallbackEngine engine = FallbackEngine.withBackup(OpenClEngine.create(small), () -> new JavaEngine(1))) {
      DeviceOption.warnOnFallback(engine, new PrintWriter(err, true));
      r = KMeans.k(3).fit(wide, engine);
    }
    List<String> lines = err.toString().lines().toList();
    assertEquals(1, lines.size(), err.toString());
    String line = lines.get(0);
    assertTrue(line.startsWith("clmix: warning: " + small.id() + " (" + small.name() + ") cannot run data this wide in"
        + " pass "), line);
    assertTrue(line.contains("K-means on 100 columns needs 5792 bytes of local memory per work-group; the device has"
        + " 4096 bytes (4 KiB); continued on java (Java engine, 1 thread) from the last completed pass"), line);
    assertEquals("java", r.report().engine().id());
  }

  @Test
  void withoutAFailureTheJsonSaysNull() {
    KMeansResult r;
    try (JavaEngine engine = new JavaEngine(1)) {
      r = KMeans.k(3).fit(DATA, engine);
    }
    assertTrue(Printing.fitJson("kmeans", 3, DATA, r.report()).get("fallback").isNull());
  }
}
