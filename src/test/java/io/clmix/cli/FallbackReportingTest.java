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
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import java.io.PrintWriter;
import java.io.StringWriter;
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
  void withoutAFailureTheJsonSaysNull() {
    KMeansResult r;
    try (JavaEngine engine = new JavaEngine(1)) {
      r = KMeans.k(3).fit(DATA, engine);
    }
    assertTrue(Printing.fitJson("kmeans", 3, DATA, r.report()).get("fallback").isNull());
  }
}
