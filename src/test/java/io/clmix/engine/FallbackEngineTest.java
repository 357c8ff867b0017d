package io.clmix.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Labels;
import io.clmix.engine.EngineException.Kind;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Device faults, simulated by a {@link FaultInjectingEngine} over the Java engine, and what
 * {@link FallbackEngine} makes of them. Because the simulated device computes exactly what the
 * Java backup does, a fit that falls back must end with the very bits of a fit that ran on Java
 * from the start: same labels, iterations, objective and parameters.
 */
class FallbackEngineTest {
  private static final Dataset DATA = new Blobs(600, 3, 4, 11, 1.5, 6).generate(128); // 5 chunks
  private static final KMeans KM = KMeans.k(4).nInit(3).seed(7);
  private static final GaussianMixture GM = GaussianMixture.k(3).covariance(CovarianceType.FULL).nInit(2).seed(3);

  private static FallbackEngine auto(FaultPlan plan) {
    return FallbackEngine.withBackup(FaultInjectingEngine.wrap(new JavaEngine(2), plan), () -> new JavaEngine(3));
  }

  private static KMeansResult javaKMeans() {
    try (JavaEngine e = new JavaEngine(1)) {
      return KM.fit(DATA, e);
    }
  }

  private static GaussianMixtureResult javaGmm() {
    try (JavaEngine e = new JavaEngine(1)) {
      return GM.fit(DATA, e);
    }
  }

  /** Passes a fault-free fit makes on the simulated device. */
  private static long kmeansPasses() {
    FaultPlan plan = FaultPlan.none();
    try (FallbackEngine e = auto(plan)) {
      KM.fit(DATA, e);
    }
    return plan.passes();
  }

  private static void assertSameKMeans(KMeansResult expected, KMeansResult actual) {
    assertArrayEquals(expected.labels().toArray(), actual.labels().toArray(), "labels");
    assertEquals(expected.model().iterations(), actual.model().iterations(), "iterations");
    assertEquals(expected.model().inertia(), actual.model().inertia(), 0.0, "inertia");
    assertEquals(expected.report().totalIterations(), actual.report().totalIterations(), "iterations of all runs");
    for (int c = 0; c < expected.model().k(); c++) {
      assertArrayEquals(expected.model().clusterCenters()[c], actual.model().clusterCenters()[c], 0.0, "centre " + c);
    }
  }

  static Stream<Arguments> failingPasses() {
    long total = kmeansPasses();
    List<Arguments> out = new ArrayList<>();
    for (Kind kind : new Kind[] {Kind.EXECUTION, Kind.UNAVAILABLE, Kind.BUILD}) {
      // The first pass (seeding), one inside seeding, the middle of the fit, the final relabelling.
      for (long pass : new long[] {1, 3, total / 2, total}) {
        out.add(Arguments.of(kind, pass));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} in pass {1}")
  @MethodSource("failingPasses")
  void kmeansContinuesOnJavaWithTheResultItWouldHaveHad(Kind kind, long pass) {
    KMeansResult r;
    try (FallbackEngine e = auto(FaultPlan.none().failPass(pass, kind))) {
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals("java", r.report().engine().id(), "the report names the engine the fit ended on");
    String reason = r.report().fallback();
    assertTrue(reason.startsWith("faulty:java (fault-injecting Java engine, 2 threads) "), reason);
    assertTrue(reason.contains(" in pass " + pass + " ("), reason);
    assertTrue(reason.contains("injected " + kind), reason);
    assertTrue(reason.endsWith("; continued on java (Java engine, 3 threads) from the last completed pass"), reason);
  }

  @ParameterizedTest
  @EnumSource(value = CovarianceType.class)
  void gaussianMixtureContinuesOnJavaWithTheResultItWouldHaveHad(CovarianceType type) {
    GaussianMixture gm = GM.covariance(type);
    FaultPlan counting = FaultPlan.none();
    try (FallbackEngine e = auto(counting)) {
      gm.fit(DATA, e);
    }
    long middle = counting.passes() / 2;
    GaussianMixtureResult expected;
    try (JavaEngine e = new JavaEngine(1)) {
      expected = gm.fit(DATA, e);
    }
    GaussianMixtureResult r;
    try (FallbackEngine e = auto(FaultPlan.none().failPass(middle, Kind.EXECUTION))) {
      r = gm.fit(DATA, e);
    }
    assertEquals(expected.model().iterations(), r.model().iterations());
    assertEquals(expected.model().lowerBound(), r.model().lowerBound(), 0.0);
    assertEquals(expected.totalLogLikelihood(), r.totalLogLikelihood(), 0.0);
    assertArrayEquals(expected.model().weights(), r.model().weights(), 0.0);
    assertArrayEquals(expected.model().covariances(), r.model().covariances(), 0.0);
    assertArrayEquals(expected.labels().toArray(), r.labels().toArray());
    assertTrue(r.report().fallback().contains(" in pass " + middle + " ("), r.report().fallback());
  }

  @Test
  void withoutFaultsNothingIsReported() {
    KMeansResult r;
    try (FallbackEngine e = auto(FaultPlan.none())) {
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertNull(r.report().fallback());
    assertEquals("faulty:java", r.report().engine().id());
  }

  @Test
  void memoryTooSmallForTheDataRunsOnJavaWithoutStreaming() {
    FaultPlan plan = FaultPlan.none().failOpen(Kind.ALLOCATION);
    KMeansResult r;
    try (FallbackEngine e = auto(plan)) {
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals("faulty:java (fault-injecting Java engine, 2 threads) ran out of memory while receiving the data: "
        + "injected ALLOCATION while uploading the data; continued on java (Java engine, 3 threads) from the last"
        + " completed pass", r.report().fallback());
    assertEquals(0, plan.passes(), "no pass ran on the device");
  }

  @Test
  void memoryTooSmallForTheDataFirstRetriesWithStreamedChunks() {
    FaultPlan plan = FaultPlan.none().failOpen(Kind.ALLOCATION).offerStreaming();
    KMeansResult r;
    try (FallbackEngine e = auto(plan)) {
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals(1, plan.streamingOpens());
    assertEquals("faulty:java", r.report().engine().id(), "still on the device");
    assertTrue(r.report().fallback().endsWith("; continued with data streamed in chunks on the same device"),
        r.report().fallback());
  }

  @Test
  void allocationFailureMidFitStreamsFromThatPassOn() {
    long pass = kmeansPasses() / 2;
    FaultPlan plan = FaultPlan.none().failPass(pass, Kind.ALLOCATION).offerStreaming();
    KMeansResult r;
    try (FallbackEngine e = auto(plan)) {
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals(1, plan.streamingOpens());
    assertEquals("faulty:java", r.report().engine().id());
    assertTrue(r.report().fallback().contains("ran out of memory in pass " + pass + " ("), r.report().fallback());
  }

  @Test
  void whenStreamingFailsTooTheFitMovesToJava() {
    FaultPlan plan = FaultPlan.none().failPass(10, Kind.ALLOCATION).failStreaming(Kind.ALLOCATION);
    KMeansResult r;
    try (FallbackEngine e = auto(plan)) {
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals(1, plan.streamingOpens());
    assertEquals("java", r.report().engine().id());
    assertTrue(r.report().fallback().contains("; streaming the data failed too: injected ALLOCATION while opening a"
        + " streaming session; continued on java"), r.report().fallback());
  }

  @Test
  void rowsTooWideForTheDeviceGoStraightToJavaWithoutStreaming() {
    long pass = kmeansPasses() / 2;
    FaultPlan plan = FaultPlan.none().failPass(pass, Kind.LOCAL_MEMORY).offerStreaming();
    List<String> heard = new ArrayList<>();
    KMeansResult r;
    try (FallbackEngine e = auto(plan)) {
      e.onFallback(heard::add);
      r = KM.fit(DATA, e);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals(0, plan.streamingOpens(), "every chunk is as wide: streaming cannot help");
    assertEquals("java", r.report().engine().id());
    assertTrue(r.report().fallback().startsWith("faulty:java (fault-injecting Java engine, 2 threads) cannot run data"
        + " this wide in pass " + pass + " ("), r.report().fallback());
    assertTrue(r.report().fallback().endsWith("; continued on java (Java engine, 3 threads) from the last completed"
        + " pass"), r.report().fallback());
    assertEquals(List.of(r.report().fallback()), heard, "one reason");
  }

  @Test
  void aNamedDeviceWithRowsTooWideFailsAtOnceAndSaysWhereTheyRun() {
    FaultPlan plan = FaultPlan.none().failPass(5, Kind.LOCAL_MEMORY).offerStreaming();
    List<String> heard = new ArrayList<>();
    InputException e;
    try (FallbackEngine engine = FallbackEngine.strict(FaultInjectingEngine.wrap(new JavaEngine(2), plan),
        "--device faulty:java")) {
      engine.onFallback(heard::add);
      e = assertThrows(InputException.class, () -> KM.fit(DATA, engine));
    }
    assertEquals("--device faulty:java: faulty:java (fault-injecting Java engine, 2 threads) cannot run data this wide"
        + " in pass 5 (seedSample): injected LOCAL_MEMORY in seedSample; the Java engine has no such limit",
        e.getMessage());
    assertEquals(0, plan.streamingOpens());
    assertEquals(List.of(), heard, "nothing to announce before the error");
  }

  @Test
  void gaussianMixtureFallsBackWhenTheDeviceHasNoMixturePasses() {
    // What an OpenCL engine without E-step kernels does: every expect() fails.
    Engine noMixtures = new Engine() {
      final JavaEngine inner = new JavaEngine(2);

      @Override
      public EngineInfo info() {
        return new EngineInfo("kmeans-only", "a device with K-means kernels only", "gpu");
      }

      @Override
      public DataSession open(Dataset data) {
        DataSession s = inner.open(data);
        return (DataSession) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DataSession.class}, (proxy, m, args) -> {
              if (m.getName().equals("expect") || (m.getName().equals("pointwise") && args[0] instanceof MixtureParams)) {
                throw new EngineException(Kind.EXECUTION, "Gaussian mixture passes are not available here");
              }
              if (m.getName().equals("engine")) {
                return info();
              }
              try {
                return m.invoke(s, args);
              } catch (java.lang.reflect.InvocationTargetException ex) {
                throw ex.getCause();
              }
            });
      }

      @Override
      public void close() {
        inner.close();
      }
    };
    GaussianMixtureResult r;
    try (FallbackEngine e = FallbackEngine.withBackup(noMixtures, () -> new JavaEngine(2))) {
      r = GM.fit(DATA, e);
    }
    GaussianMixtureResult expected = javaGmm();
    assertEquals(expected.model().lowerBound(), r.model().lowerBound(), 0.0);
    assertArrayEquals(expected.labels().toArray(), r.labels().toArray());
    assertTrue(r.report().fallback().startsWith("kmeans-only (a device with K-means kernels only) failed in pass "),
        r.report().fallback());
  }

  @Test
  void aNamedDeviceFailsWithAnErrorThatNamesItAndThePass() {
    FaultPlan plan = FaultPlan.none().failPass(5, Kind.EXECUTION);
    InputException e;
    try (FallbackEngine engine = FallbackEngine.strict(FaultInjectingEngine.wrap(new JavaEngine(2), plan),
        "--device faulty:java")) {
      e = assertThrows(InputException.class, () -> KM.fit(DATA, engine));
    }
    assertEquals("--device faulty:java: faulty:java (fault-injecting Java engine, 2 threads) failed in pass 5"
        + " (seedSample): injected EXECUTION in seedSample", e.getMessage());
    assertTrue(e.getCause() instanceof EngineException, "the device's exception is the cause");
  }

  @Test
  void aNamedDeviceStillRetriesWithStreamingWhenMemoryRunsOut() {
    FaultPlan plan = FaultPlan.none().failOpen(Kind.ALLOCATION).offerStreaming();
    KMeansResult r;
    try (FallbackEngine engine = FallbackEngine.strict(FaultInjectingEngine.wrap(new JavaEngine(2), plan), "--device x")) {
      r = KM.fit(DATA, engine);
    }
    assertSameKMeans(javaKMeans(), r);
    assertEquals(1, plan.streamingOpens());
  }

  @Test
  void aFailureWhileReleasingNeverHidesTheOriginalError() {
    FaultPlan plan = FaultPlan.none().failPass(5, Kind.EXECUTION).failClose();
    InputException e;
    try (FallbackEngine engine = FallbackEngine.strict(FaultInjectingEngine.wrap(new JavaEngine(2), plan), "--device x")) {
      e = assertThrows(InputException.class, () -> KM.fit(DATA, engine));
    }
    assertTrue(e.getMessage().contains("in pass 5 (seedSample): injected EXECUTION"), e.getMessage());
    Throwable[] suppressed = e.getCause().getSuppressed();
    assertEquals(1, suppressed.length, "the release failure rides along, suppressed");
    assertEquals("injected failure while releasing a session", suppressed[0].getMessage());
  }

  @Test
  void aFailureWhileReleasingTheBrokenSessionDoesNotStopTheFallback() {
    FaultPlan plan = FaultPlan.none().failPass(12, Kind.EXECUTION).failClose();
    KMeansResult r;
    try (FallbackEngine engine = auto(plan)) {
      r = KM.fit(DATA, engine);
    }
    assertSameKMeans(javaKMeans(), r);
  }

  @Test
  void aDeviceThatFailedIsNotTriedAgain() {
    FaultPlan plan = FaultPlan.none().failPass(4, Kind.EXECUTION);
    try (FallbackEngine e = auto(plan)) {
      KM.fit(DATA, e);
      long passes = plan.passes();
      KMeansResult second = KM.fit(DATA, e);
      assertEquals(1, plan.opens(), "the second fit went straight to the backup");
      assertEquals(passes, plan.passes());
      assertSameKMeans(javaKMeans(), second);
      assertTrue(second.report().fallback().startsWith("faulty:java (fault-injecting Java engine, 2 threads) failed"
          + " earlier and is not used again: "), second.report().fallback());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Kind.class, names = {"ALLOCATION", "LOCAL_MEMORY"})
  void memoryFailuresAreNotRememberedSinceTheyDependOnTheData(Kind kind) {
    FaultPlan plan = FaultPlan.none().failPass(4, kind);
    try (FallbackEngine e = auto(plan)) {
      KM.fit(DATA, e);
      KMeansResult second = KM.fit(DATA, e);
      assertEquals(2, plan.opens(), "the second fit tried the device again");
      assertNull(second.report().fallback());
    }
  }

  @Test
  void perPointOutputIsDeliveredOnceEvenWhenTheDeviceFailsHalfWay() {
    KMeansResult fitted = javaKMeans();
    FaultPlan plan = FaultPlan.none().failPointwiseAfterChunks(2);
    List<Integer> chunks = new ArrayList<>();
    Labels labels = Labels.zeros(DATA);
    try (FallbackEngine e = auto(plan); DataSession s = e.open(DATA)) {
      s.pointwise(fitted.model().centroidsFor(DATA), (chunk, firstRow, rows, lab, values, components) -> {
        chunks.add(chunk);
        System.arraycopy(lab, 0, labels.chunk(chunk), 0, rows);
      });
      assertTrue(s.fallbackReason().contains("in pass 1 (pointwise): injected EXECUTION after 2 chunks"),
          s.fallbackReason());
    }
    assertEquals(List.of(0, 1, 2, 3, 4), chunks, "each chunk once, in order");
    assertArrayEquals(fitted.labels().toArray(), labels.toArray());
  }

  @Test
  void listenersHearAFallbackAsItHappens() {
    List<String> heard = new ArrayList<>();
    KMeansResult r;
    try (FallbackEngine e = auto(FaultPlan.none().failPass(6, Kind.EXECUTION))) {
      e.onFallback(heard::add);
      r = KM.fit(DATA, e);
    }
    assertEquals(List.of(r.report().fallback()), heard);
  }

  @Test
  void aDeviceWhoseKernelsDoNotBuildIsReplacedByJavaAtSelection() {
    FaultPlan plan = FaultPlan.none().failCreate(Kind.BUILD);
    try (EngineSelector.Selection sel = EngineSelector.preferring("opencl:9:9 (broken GPU)",
        () -> FaultInjectingEngine.wrap(new JavaEngine(1), plan))) {
      assertTrue(sel.engine() instanceof JavaEngine, "the Java engine took over");
      assertTrue(sel.fallback().startsWith("opencl:9:9 (broken GPU) failed: injected BUILD while creating the engine"),
          sel.fallback());
      KMeansResult r = KM.fit(DATA, sel.engine());
      assertSameKMeans(javaKMeans(), r);
    }
  }

  @Test
  void aWorkingDeviceIsSelectedBehindAGuard() {
    try (EngineSelector.Selection sel = EngineSelector.preferring("fine", () -> new JavaEngine(1))) {
      assertNull(sel.fallback());
      assertTrue(sel.engine() instanceof FallbackEngine, "auto mode guards the device it picked");
    }
  }

  @Test
  void closingIsIdempotent() {
    FallbackEngine e = auto(FaultPlan.none().failPass(2, Kind.EXECUTION));
    DataSession s = e.open(DATA);
    s.seedStart(DATA.localRow(0));
    s.seedStart(DATA.localRow(1)); // fails on the device, moves to the backup
    s.close();
    s.close();
    e.close();
    e.close();
    assertThrows(IllegalStateException.class, () -> e.open(DATA));
    assertThrows(IllegalStateException.class, () -> s.seedStart(DATA.localRow(0)));
  }

  /**
   * A device session that fails after its engine was closed (the session outlived it, on
   * another thread) must not bring up a backup: nothing would ever close it, and its worker
   * threads would stay for the life of the JVM. The fit stops instead, as on a closed engine.
   */
  @Test
  void aFailureAfterCloseCreatesNoBackup() {
    int[] backups = {0};
    FaultPlan plan = FaultPlan.none();
    FallbackEngine e = FallbackEngine.withBackup(FaultInjectingEngine.wrap(new JavaEngine(1), plan), () -> {
      backups[0]++;
      return new JavaEngine(2);
    });
    DataSession s = e.open(DATA);
    s.seedStart(DATA.localRow(0));
    plan.failPass(plan.passes() + 1, Kind.EXECUTION);
    e.close();
    assertThrows(IllegalStateException.class, () -> s.seedStart(DATA.localRow(1)));
    assertEquals(0, backups[0], "no backup engine was created after close");
    s.close();
  }

  @Test
  void errorsOfTheBackupArePassedOnUnchanged() {
    try (FallbackEngine e = auto(FaultPlan.none().failPass(1, Kind.EXECUTION)); DataSession s = e.open(DATA)) {
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
          () -> s.seedStart(new float[DATA.cols() + 1]));
      assertSame(IllegalArgumentException.class, bad.getClass());
    }
  }
}
