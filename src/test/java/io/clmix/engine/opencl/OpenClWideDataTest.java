package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineException;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rows too wide for the device's local memory, on a real OpenCL engine made to believe it has
 * little of it: K-means on a GPU-shaped engine with 4 KiB (the scan kernel needs a step of 8
 * centres of 100 columns, 3.2 KB, beside its other arrays), a mixture on a CPU-shaped one with
 * 16 KiB (a tile of 64 points of 100 columns, 25.6 KB; its K-means start still fits). Streaming
 * cannot help such data, so a named device fails at once with one error that says the data are
 * too wide, and the guarded device of auto mode goes straight to the Java engine with one
 * reason, which ends with the Java engine's result.
 */
class OpenClWideDataTest {
  private static final Dataset DATA = new Blobs(300, 100, 3, 41, 2.0, 8).generate(128);
  private static final KMeans KM = KMeans.k(3).seed(5);
  private static final GaussianMixture GM = GaussianMixture.k(2).covariance(CovarianceType.DIAG).seed(6);

  /** A GPU-shaped engine whose K-means passes cannot take 100 columns. */
  private static OpenClEngine smallGpu() {
    return OpenClEngine.create(OpenClTestSupport.pretendGpu(OpenClTestSupport.requireDevice(), 4 << 10));
  }

  /** A CPU-shaped engine whose K-means passes take 100 columns but whose mixture passes cannot. */
  private static OpenClEngine smallCpu() {
    return OpenClEngine.create(OpenClTestSupport.pretendCpu(OpenClTestSupport.requireDevice(), 16 << 10));
  }

  @Test
  void aNamedDeviceSaysOnceThatKMeansDataAreTooWide() {
    List<String> heard = new ArrayList<>();
    InputException e;
    try (FallbackEngine engine = FallbackEngine.strict(smallGpu(), "--device opencl:0:0")) {
      engine.onFallback(heard::add);
      e = assertThrows(InputException.class, () -> KM.fit(DATA, engine));
    }
    String m = e.getMessage();
    assertTrue(m.startsWith("--device opencl:0:0: "), m);
    assertTrue(m.contains(") cannot run data this wide in pass "), m);
    assertTrue(m.endsWith(" (assign): K-means on 100 columns needs 5792 bytes of local memory per work-group;"
        + " the device has 4096 bytes (4 KiB); the Java engine has no such limit"), m);
    assertEquals(EngineException.Kind.LOCAL_MEMORY, ((EngineException) e.getCause()).kind());
    assertEquals(List.of(), heard, "no retry with streamed chunks was announced");
    assertEquals(0, e.getCause().getSuppressed().length, "and none was tried");
  }

  @Test
  void autoModeMovesKMeansToJavaWithOneReason() {
    KMeansResult expected;
    try (JavaEngine java = new JavaEngine(2)) {
      expected = KM.fit(DATA, java);
    }
    List<String> heard = new ArrayList<>();
    KMeansResult r;
    try (FallbackEngine engine = FallbackEngine.withBackup(smallGpu(), () -> new JavaEngine(2))) {
      engine.onFallback(heard::add);
      r = KM.fit(DATA, engine);
    }
    assertEquals(List.of(r.report().fallback()), heard, "one reason, heard once");
    String reason = r.report().fallback();
    assertTrue(reason.contains(" cannot run data this wide in pass "), reason);
    assertTrue(reason.contains("K-means on 100 columns needs 5792 bytes"), reason);
    assertTrue(reason.endsWith("; continued on java (Java engine, 2 threads) from the last completed pass"), reason);
    assertFalse(reason.contains("stream"), reason);
    assertEquals("java", r.report().engine().id());
    assertArrayEquals(expected.labels().toArray(), r.labels().toArray());
    assertEquals(expected.model().iterations(), r.model().iterations());
    assertEquals(expected.model().inertia(), r.model().inertia(), 1e-6 * expected.model().inertia());
  }

  @Test
  void aNamedDeviceSaysOnceThatMixtureDataAreTooWide() {
    List<String> heard = new ArrayList<>();
    InputException e;
    try (FallbackEngine engine = FallbackEngine.strict(smallCpu(), "--device opencl:0:0")) {
      engine.onFallback(heard::add);
      e = assertThrows(InputException.class, () -> GM.fit(DATA, engine));
    }
    String m = e.getMessage();
    assertTrue(m.contains(") cannot run data this wide in pass "), m);
    assertTrue(m.endsWith(" (expect): a Gaussian mixture on 100 columns needs 26888 bytes of local memory per"
        + " work-group; the device has 16384 bytes (16 KiB); the Java engine has no such limit"), m);
    assertEquals(List.of(), heard, "no retry with streamed chunks was announced");
  }

  @Test
  void autoModeMovesTheMixtureToJavaWithOneReason() {
    GaussianMixtureResult expected;
    try (JavaEngine java = new JavaEngine(2)) {
      expected = GM.fit(DATA, java);
    }
    List<String> heard = new ArrayList<>();
    GaussianMixtureResult r;
    try (FallbackEngine engine = FallbackEngine.withBackup(smallCpu(), () -> new JavaEngine(2))) {
      engine.onFallback(heard::add);
      r = GM.fit(DATA, engine);
    }
    assertEquals(List.of(r.report().fallback()), heard, "one reason, heard once");
    String reason = r.report().fallback();
    assertTrue(reason.contains(" cannot run data this wide in pass "), reason);
    assertTrue(reason.contains(" (expect): a Gaussian mixture on 100 columns needs 26888 bytes"), reason);
    assertFalse(reason.contains("stream"), reason);
    assertEquals("java", r.report().engine().id());
    assertArrayEquals(expected.labels().toArray(), r.labels().toArray());
    assertEquals(expected.model().iterations(), r.model().iterations());
    assertEquals(expected.model().lowerBound(), r.model().lowerBound(), 1e-6 * Math.abs(expected.model().lowerBound()));
  }

  @Test
  void narrowerDataStillRunOnTheDevice() {
    // The failure depends on the data, so the guard does not write the device off.
    Dataset narrow = new Blobs(300, 4, 3, 42, 2.0, 8).generate(128);
    try (FallbackEngine engine = FallbackEngine.withBackup(smallGpu(), () -> new JavaEngine(2))) {
      Engine device = engine.primary();
      assertNotNull(KM.fit(DATA, engine).report().fallback());
      KMeansResult r = KM.fit(narrow, engine);
      assertEquals(device.info().id(), r.report().engine().id(), r.report().fallback());
    }
  }
}
