package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.EngineException.Kind;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.FaultInjectingEngine;
import io.clmix.engine.FaultPlan;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.Test;

/**
 * Device faults injected into a real OpenCL engine: a fit that loses the device half way ends
 * on the Java engine with the result it would have had on either engine from the start, within
 * the engines' tolerance (same labels and iterations, inertia to 1e-6 relative).
 */
class OpenClFallbackTest {
  static final Dataset DATA = new Blobs(3000, 3, 4, 29, 1.5, 6).generate(700);
  static final KMeans KM = KMeans.k(4).nInit(2).seed(13);

  private static FallbackEngine faulty(FaultPlan plan) {
    return FallbackEngine.withBackup(FaultInjectingEngine.wrap(OpenClTestSupport.requireEngine(), plan),
        () -> new JavaEngine(2));
  }

  private static KMeansResult onJava() {
    try (JavaEngine e = new JavaEngine(2)) {
      return KM.fit(DATA, e);
    }
  }

  private static void assertEquivalent(KMeansResult expected, KMeansResult actual) {
    assertArrayEquals(expected.labels().toArray(), actual.labels().toArray(), "labels");
    assertEquals(expected.model().iterations(), actual.model().iterations(), "iterations");
    assertEquals(expected.model().inertia(), actual.model().inertia(), 1e-6 * expected.model().inertia(), "inertia");
  }

  @Test
  void anErrorMidFitContinuesOnJavaWithTheSameResult() {
    FaultPlan counting = FaultPlan.none();
    KMeansResult onDevice;
    try (FallbackEngine e = faulty(counting)) {
      onDevice = KM.fit(DATA, e);
    }
    long middle = counting.passes() / 2;
    KMeansResult r;
    try (FallbackEngine e = faulty(FaultPlan.none().failPass(middle, Kind.EXECUTION))) {
      r = KM.fit(DATA, e);
    }
    assertEquivalent(onDevice, r);
    assertEquivalent(onJava(), r);
    assertEquals("java", r.report().engine().id());
    assertTrue(r.report().fallback().contains(" failed in pass " + middle + " ("), r.report().fallback());
  }

  @Test
  void anAllocationFailureMidFitStreamsOnTheDevice() {
    long before = OpenCl.liveObjects();
    FaultPlan plan = FaultPlan.none().failPass(9, Kind.ALLOCATION).offerStreaming();
    KMeansResult r;
    try (FallbackEngine e = faulty(plan)) {
      r = KM.fit(DATA, e);
    }
    assertEquivalent(onJava(), r);
    assertEquals(1, plan.streamingOpens());
    assertTrue(r.report().engine().id().startsWith("faulty:opencl:"), r.report().engine().id());
    assertEquals(before, OpenCl.liveObjects(), "the failed session and the streaming one were released");
  }

  @Test
  void aMixtureFitOnTheGuardedDeviceMatchesJava() {
    // Whether the device runs the E-steps itself or (without mixture kernels) hands them to the
    // Java engine, auto mode's result is the Java engine's within the engines' tolerance.
    GaussianMixture gm = GaussianMixture.k(4).covariance(CovarianceType.DIAG).seed(2);
    GaussianMixtureResult java;
    try (JavaEngine e = new JavaEngine(2)) {
      java = gm.fit(DATA, e);
    }
    GaussianMixtureResult r;
    try (FallbackEngine e = FallbackEngine.withBackup(OpenClTestSupport.requireEngine(), () -> new JavaEngine(2))) {
      r = gm.fit(DATA, e);
    }
    assertEquals(java.model().iterations(), r.model().iterations());
    assertEquals(java.model().lowerBound(), r.model().lowerBound(), 1e-6 * Math.abs(java.model().lowerBound()));
    assertArrayEquals(java.labels().toArray(), r.labels().toArray());
  }
}
