package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineException;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.FaultInjectingEngine;
import io.clmix.engine.FaultPlan;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Native resources over many fits: every buffer, kernel, program, queue and context an
 * OpenCL fit (K-means or a mixture) creates is released, whether the fits share one engine (one context, a session
 * each) or each makes its own, so {@link OpenCl#liveObjects()} returns to where it started.
 *
 * <p>Tiny data keep the 500 fits on one engine to seconds. A fresh engine compiles its kernels
 * (about a third of a second each on PoCL), so engine-per-fit runs {@value #FRESH_ENGINES}
 * engines, and 500 bare contexts (context, queue, buffers, no compiler) cover the rest.
 */
class OpenClResourceTest {
  private static final int FITS = 500;
  private static final int FRESH_ENGINES = 12;
  /** Three columns: the dimension an engine builds eagerly, so a fresh engine compiles once. */
  private static final Dataset TINY = new Blobs(48, 3, 3, 5, 1.0, 5).generate();

  @Test
  void fiveHundredFitsOnOneEngineLeaveNothingBehind() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    long before = OpenCl.liveObjects();
    try (OpenClEngine engine = OpenClEngine.create(device)) {
      // Builds (and caches) the programs for this dimension, K-means and mixtures.
      KMeans.k(3).maxIter(3).fit(TINY, engine);
      for (CovarianceType t : CovarianceType.values()) {
        GaussianMixture.k(2).covariance(t).maxIter(2).fit(TINY, engine);
      }
      long withPrograms = OpenCl.liveObjects();
      for (int i = 0; i < FITS; i++) {
        // Mostly K-means, every fifth fit a mixture (its E-step kernels and buffers).
        long rows = i % 5 == 4
            ? GaussianMixture.k(2).covariance(CovarianceType.values()[i % 4]).maxIter(2).seed(i).fit(TINY, engine)
                .labels().size()
            : KMeans.k(3).maxIter(3).seed(i).fit(TINY, engine).labels().size();
        assertEquals(TINY.rows(), rows);
      }
      assertEquals(withPrograms, OpenCl.liveObjects(), "sessions released everything they made");
    }
    assertEquals(before, OpenCl.liveObjects(), "the engine released its context and programs");
  }

  @Test
  void anEnginePerFitLeavesNothingBehind() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    long before = OpenCl.liveObjects();
    for (int i = 0; i < FRESH_ENGINES; i++) {
      try (OpenClEngine engine = OpenClEngine.create(device)) {
        KMeans.k(3).maxIter(3).seed(i).fit(TINY, engine);
      }
      assertEquals(before, OpenCl.liveObjects(), "after engine " + i);
    }
  }

  @Test
  void fiveHundredFreshContextsLeaveNothingBehind() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    long before = OpenCl.liveObjects();
    for (int i = 0; i < FITS; i++) {
      try (ClContext context = ClContext.create(device); ClContext shared = context.share()) {
        context.buffer("a", 1024);
        shared.buffer("b", 4096);
        assertEquals(6, OpenCl.liveObjects() - before, "two contexts, two queues, two buffers");
      }
    }
    assertEquals(before, OpenCl.liveObjects());
  }

  @Test
  void closingTwiceIsHarmlessAndClosedThingsRefuseWork() {
    long before = OpenCl.liveObjects();
    OpenClEngine engine = OpenClTestSupport.requireEngine();
    DataSession s = engine.open(TINY);
    s.close();
    s.close();
    engine.close();
    engine.close();
    assertEquals(before, OpenCl.liveObjects());
    assertThrows(IllegalStateException.class, () -> engine.open(TINY));
  }

  @Test
  void closingTheEngineReleasesSessionsLeftOpen() {
    long before = OpenCl.liveObjects();
    OpenClEngine engine = OpenClTestSupport.requireEngine();
    engine.open(TINY);
    engine.open(TINY);
    engine.close();
    assertEquals(before, OpenCl.liveObjects());
  }

  /**
   * An engine closed on another thread while a pass runs on one of its sessions waits for that
   * pass: releasing the session's kernels and buffers under it used to hand freed objects to
   * the driver (a JVM crash in PoCL) or, where the handles' checks caught it first, fail the
   * pass half-way. The pass here is a per-point pass over several chunks, held in its sink
   * until the closing thread is blocked (or, without the wait, done).
   */
  @Test
  void closingTheEngineUnderAPassWaitsForThePass() throws Exception {
    Dataset data = new Blobs(4000, 3, 3, 5, 1.0, 5).generate(500);
    Centroids centres = Centroids.of(new double[][] {{0, 0, 0}, {1, 1, 1}, {-1, 2, 0}});
    long before = OpenCl.liveObjects();
    OpenClEngine engine = OpenClTestSupport.requireEngine();
    DataSession s = engine.open(data);
    s.assign(centres);
    Thread closer = new Thread(engine::close, "closer");
    AtomicReference<Throwable> closeFailure = new AtomicReference<>();
    closer.setUncaughtExceptionHandler((t, e) -> closeFailure.set(e));
    AtomicInteger chunks = new AtomicInteger();
    s.pointwise(centres, (chunk, firstRow, rows, labels, values, components) -> {
      if (chunk == 0) {
        closer.start();
        while (closer.isAlive() && closer.getState() != Thread.State.BLOCKED
            && closer.getState() != Thread.State.WAITING) {
          Thread.onSpinWait();
        }
      }
      chunks.incrementAndGet();
    });
    closer.join();
    assertEquals(data.chunkCount(), chunks.get(), "the pass in flight ran to its end");
    assertEquals(null, closeFailure.get());
    assertThrows(IllegalStateException.class, () -> s.assign(centres), "the next pass is refused");
    assertEquals(before, OpenCl.liveObjects(), "the close released everything once the pass was over");
  }

  @Test
  void aFitThatFallsBackReleasesTheDeviceSession() {
    long before = OpenCl.liveObjects();
    FaultPlan plan = FaultPlan.none();
    KMeansResult r;
    try (FallbackEngine engine = FallbackEngine.withBackup(
        FaultInjectingEngine.wrap(OpenClTestSupport.requireEngine(), plan), () -> new JavaEngine(1))) {
      KMeans.k(3).fit(TINY, engine); // builds and caches whatever programs the engine keeps
      long withPrograms = OpenCl.liveObjects();
      long failing = plan.passes() + 6;
      plan.failPass(failing, EngineException.Kind.EXECUTION);
      r = KMeans.k(3).fit(TINY, engine);
      assertTrue(r.report().fallback().contains("in pass 6 "), r.report().fallback());
      assertEquals(withPrograms, OpenCl.liveObjects(), "the failed device session was released");
    }
    assertEquals(before, OpenCl.liveObjects());
  }
}
