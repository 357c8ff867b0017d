package io.clmix.fit;

import static io.clmix.fit.ReproducibilityTest.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.Engine;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Several threads fitting at once on one shared engine: each fit opens its own session, so
 * the fits neither interfere nor differ from the same fits run one after another (compared
 * bit for bit, on the same engine).
 */
class ConcurrentFitsTest {
  private static final int THREADS = 4;
  private static final int FITS_PER_THREAD = 3;
  private static final Dataset A = new Blobs(3000, 3, 4, 3, 1.5, 6).generate(800);
  private static final Dataset B = new Blobs(2000, 5, 3, 4, 1.0, 6).generate();

  /** Fit j of thread t, varied so that threads do different work on different data. */
  private static <R> List<R> runConcurrently(Function<Integer, R> fit) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CyclicBarrier start = new CyclicBarrier(THREADS);
    try {
      List<Future<List<R>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Callable<List<R>> work = () -> {
          start.await(); // all threads begin together
          List<R> out = new ArrayList<>();
          for (int j = 0; j < FITS_PER_THREAD; j++) {
            out.add(fit.apply(thread * FITS_PER_THREAD + j));
          }
          return out;
        };
        futures.add(pool.submit(work));
      }
      List<R> all = new ArrayList<>();
      for (Future<List<R>> f : futures) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private static KMeansResult kmeans(Engine engine, int i) {
    return KMeans.k(3 + i % 3).nInit(2).seed(i).fit(i % 2 == 0 ? A : B, engine);
  }

  private static GaussianMixtureResult gmm(Engine engine, int i) {
    CovarianceType type = CovarianceType.values()[i % 4];
    return GaussianMixture.k(2 + i % 3).covariance(type).seed(i).fit(i % 2 == 0 ? A : B, engine);
  }

  private static void checkKMeans(Engine engine) throws Exception {
    List<KMeansResult> together = runConcurrently(i -> kmeans(engine, i));
    for (int i = 0; i < together.size(); i++) {
      assertSameBits(kmeans(engine, i), together.get(i), "fit " + i);
    }
  }

  private static void checkGmm(Engine engine) throws Exception {
    List<GaussianMixtureResult> together = runConcurrently(i -> gmm(engine, i));
    for (int i = 0; i < together.size(); i++) {
      assertSameBits(gmm(engine, i), together.get(i), "fit " + i);
    }
  }

  @Test
  void kmeansOnOneJavaEngine() throws Exception {
    try (Engine engine = new JavaEngine(3)) {
      checkKMeans(engine);
    }
  }

  @Test
  void gaussianMixturesOnOneJavaEngine() throws Exception {
    try (Engine engine = new JavaEngine(3)) {
      checkGmm(engine);
    }
    // The vector kernels too (small data take the plain loops by default): their sessions
    // keep per-row caches, which concurrent fits must not share.
    try (Engine engine = new JavaEngine(3, true, false)) {
      checkGmm(engine);
    }
  }

  @Test
  void kmeansOnOneOpenClEngine() throws Exception {
    try (Engine engine = OpenClTestSupport.requireEngine()) {
      checkKMeans(engine);
    }
  }

  @Test
  void gaussianMixturesOnOneGuardedOpenClEngine() throws Exception {
    // Auto mode's engine: the device behind the fallback machinery, which threads then share
    // too. Should the device lack (or fail in) mixture passes, which fits start on it before it
    // is known to fail depends on timing, so results are compared with the Java engine's
    // within the engines' tolerance rather than bit for bit.
    try (Engine engine = FallbackEngine.withBackup(OpenClTestSupport.requireEngine(), () -> new JavaEngine(2))) {
      List<GaussianMixtureResult> together = runConcurrently(i -> gmm(engine, i));
      try (Engine java = new JavaEngine(2)) {
        for (int i = 0; i < together.size(); i++) {
          GaussianMixtureResult expected = gmm(java, i);
          GaussianMixtureResult actual = together.get(i);
          assertEquals(expected.model().iterations(), actual.model().iterations(), "fit " + i + ": iterations");
          assertEquals(expected.model().lowerBound(), actual.model().lowerBound(),
              1e-6 * Math.abs(expected.model().lowerBound()), "fit " + i + ": lower bound");
          assertArrayEquals(expected.labels().toArray(), actual.labels().toArray(), "fit " + i + ": labels");
        }
      }
    }
  }

  /**
   * Closing an engine while a fit runs on it stops the fit with an IllegalStateException, for
   * every moment of closing: the pass in flight finishes (its queued tasks are not discarded,
   * which used to leave the fit waiting for ever) and the next one refuses.
   */
  @Test
  void closingTheEngineStopsAFitRunningOnIt() throws Exception {
    Dataset data = new Blobs(20000, 4, 5, 9, 1.0, 10).generate();
    ExecutorService ex = Executors.newSingleThreadExecutor();
    try {
      for (int delay : new int[] {0, 20, 80, 200}) {
        JavaEngine engine = new JavaEngine(2);
        Future<?> fit = ex.submit(() -> GaussianMixture.k(5).nInit(50).maxIter(300).tol(0).fit(data, engine));
        Thread.sleep(delay);
        engine.close();
        java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
            java.util.concurrent.ExecutionException.class, () -> fit.get(60, java.util.concurrent.TimeUnit.SECONDS),
            "delay " + delay + ": the fit stops");
        org.junit.jupiter.api.Assertions.assertInstanceOf(IllegalStateException.class, failed.getCause(),
            "delay " + delay + ": " + failed.getCause());
      }
    } finally {
      ex.shutdownNow();
    }
  }
}
