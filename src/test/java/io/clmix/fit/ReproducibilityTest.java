package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * docs/reproducibility.md on the Java engine: one seed decides every random choice, so the same
 * seed and data give bit-identical results on every run and whatever the number of threads
 * (the work is cut by the data's shape, never by the thread count, and partial sums are added
 * in a fixed order).
 */
class ReproducibilityTest {
  /** 6000 rows in chunks of 1000: 12 blocks of work, so 1 to 8 threads share it differently. */
  static final Dataset DATA = new Blobs(6000, 5, 6, 17, 2.5, 6).generate(1000);
  static final int[] THREADS = {1, 2, 3, 8};

  static void assertSameBits(KMeansResult a, KMeansResult b, String what) {
    assertEquals(a.model().inertia(), b.model().inertia(), 0.0, what + ": inertia");
    assertEquals(a.model().iterations(), b.model().iterations(), what + ": iterations");
    assertEquals(a.report().bestRun(), b.report().bestRun(), what + ": best run");
    assertArrayEquals(a.labels().toArray(), b.labels().toArray(), what + ": labels");
    for (int c = 0; c < a.model().k(); c++) {
      assertArrayEquals(a.model().clusterCenters()[c], b.model().clusterCenters()[c], 0.0, what + ": centre " + c);
    }
    for (int i = 0; i < a.report().totalIterations(); i++) {
      assertEquals(a.report().iterations().get(i).objective(), b.report().iterations().get(i).objective(), 0.0,
          what + ": objective of iteration " + i);
    }
  }

  static void assertSameBits(GaussianMixtureResult a, GaussianMixtureResult b, String what) {
    assertEquals(a.model().lowerBound(), b.model().lowerBound(), 0.0, what + ": lower bound");
    assertEquals(a.totalLogLikelihood(), b.totalLogLikelihood(), 0.0, what + ": log-likelihood");
    assertEquals(a.model().iterations(), b.model().iterations(), what + ": iterations");
    assertArrayEquals(a.model().weights(), b.model().weights(), 0.0, what + ": weights");
    assertArrayEquals(a.model().covariances(), b.model().covariances(), 0.0, what + ": covariances");
    for (int c = 0; c < a.model().k(); c++) {
      assertArrayEquals(a.model().means()[c], b.model().means()[c], 0.0, what + ": mean " + c);
    }
    assertArrayEquals(a.labels().toArray(), b.labels().toArray(), what + ": labels");
  }

  private static KMeansResult kmeans(KMeans km, int threads) {
    try (Engine e = new JavaEngine(threads)) {
      return km.fit(DATA, e);
    }
  }

  private static GaussianMixtureResult gmm(GaussianMixture gm, int threads) {
    return gmm(gm, threads, true);
  }

  /** {@code plainSmall} false: the vector kernels for every pass, which these small data would not get. */
  private static GaussianMixtureResult gmm(GaussianMixture gm, int threads, boolean plainSmall) {
    try (Engine e = new JavaEngine(threads, true, plainSmall)) {
      return gm.fit(DATA, e);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"k-means++", "random"})
  void kmeansGivesTheSameBitsOnEveryRunAndThreadCount(String init) {
    KMeans km = KMeans.k(6).nInit(3).seed(99).init(init.equals("random") ? KMeansInit.random() : KMeansInit.kMeansPlusPlus());
    KMeansResult reference = kmeans(km, 1);
    assertSameBits(reference, kmeans(km, 1), "a second run");
    for (int t : THREADS) {
      assertSameBits(reference, kmeans(km, t), t + " threads");
    }
  }

  @ParameterizedTest
  @EnumSource(GmmInit.class)
  void gaussianMixtureGivesTheSameBitsOnEveryRunAndThreadCount(GmmInit init) {
    GaussianMixture gm = GaussianMixture.k(4).covariance(CovarianceType.FULL).init(init).nInit(2).maxIter(20).seed(5);
    GaussianMixtureResult reference = gmm(gm, 1);
    assertSameBits(reference, gmm(gm, 1), "a second run");
    for (int t : THREADS) {
      assertSameBits(reference, gmm(gm, t), t + " threads");
    }
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void theVectorKernelsGiveTheSameBitsOnEveryRunAndThreadCount(CovarianceType type) {
    GaussianMixture gm = GaussianMixture.k(4).covariance(type).nInit(2).maxIter(20).seed(5);
    GaussianMixtureResult reference = gmm(gm, 1, false);
    assertSameBits(reference, gmm(gm, 1, false), type.id() + ": a second run");
    for (int t : THREADS) {
      assertSameBits(reference, gmm(gm, t, false), type.id() + ": " + t + " threads");
    }
  }

  @ParameterizedTest
  @EnumSource(CovarianceType.class)
  void everyCovarianceTypeIsReproducible(CovarianceType type) {
    GaussianMixture gm = GaussianMixture.k(3).covariance(type).seed(8);
    assertSameBits(gmm(gm, 2), gmm(gm, 3), type.id());
  }

  @Test
  void theSeedIsTheOnlySourceOfRandomness() {
    // A different seed gives a different start: the results above are not equal by accident.
    KMeans km = KMeans.k(6).init(KMeansInit.random()).maxIter(1);
    assertNotEquals(kmeans(km.seed(1), 2).model().inertia(), kmeans(km.seed(2), 2).model().inertia());
  }
}
