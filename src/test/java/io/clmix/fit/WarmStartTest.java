package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import org.junit.jupiter.api.Test;

/** scikit-learn's warm_start from the library: continuing a fitted mixture. */
class WarmStartTest {
  private static final Dataset DATA = Blobs.of(600, 2, 3, 7).generate();

  @Test
  void aFitContinuesFromTheModelInOneRun() {
    try (JavaEngine engine = new JavaEngine(1)) {
      GaussianMixtureModel first = GaussianMixture.k(3).covariance(CovarianceType.DIAG).maxIter(2).seed(1)
          .fit(DATA, engine).model();
      GaussianMixtureResult more = GaussianMixture.k(3).covariance(CovarianceType.DIAG).nInit(3).warmStart(first)
          .fit(DATA, engine);
      assertEquals(1, more.report().runs(), "a warm start is one run, whatever nInit");
      assertTrue(more.model().lowerBound() >= first.lowerBound() - 1e-9, "EM does not go back");
    }
  }

  @Test
  void aModelOfAnotherTypeSaysToSetTheCovarianceFirst() {
    GaussianMixtureModel diag = new GaussianMixtureModel(CovarianceType.DIAG, new double[] {0.5, 0.5},
        new double[][] {{0, 0}, {9, 9}}, new double[] {1, 1, 1, 1}, true, 1, -2.0);
    // Each setter checks the options it makes, so covariance(DIAG) after warmStart came too late,
    // and the message spoke of options asking for full covariances the caller never asked for.
    assertEquals("warmStart: the model has 2 diag components but this estimator asks for 2 full; set"
        + " covariance(DIAG) before warmStart", assertThrows(InputException.class,
            () -> GaussianMixture.k(2).warmStart(diag).covariance(CovarianceType.DIAG)).getMessage());
    assertEquals("warmStart: the model has 2 diag components but this estimator asks for 3 full; use"
        + " GaussianMixture.k(2).covariance(DIAG)", assertThrows(InputException.class,
            () -> GaussianMixture.k(3).warmStart(diag)).getMessage());
    assertEquals(diag, GaussianMixture.k(2).covariance(CovarianceType.DIAG).warmStart(diag).options().warmStart());
  }
}
