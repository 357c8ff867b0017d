package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.Test;

/**
 * Full and tied {@code precisionsInit} matrices are checked as scikit-learn checks
 * {@code precisions_init}: finite and symmetric. A Cholesky factorisation reads one triangle
 * only, so without the check an asymmetric matrix was silently taken as another one, and a
 * non-finite value surfaced as an unrelated covariance error advising a larger regCovar.
 */
class PrecisionsInitTest {
  private static final Dataset DATA = Dataset.of(new double[][] {{0, 0}, {0.2, 0.1}, {1, -0.4}, {5, 5}, {5.2, 4.9},
      {4.1, 5.6}});

  private static String refusal(CovarianceType type, int k, double[] precisions) {
    try (JavaEngine engine = new JavaEngine(1)) {
      return assertThrows(InputException.class,
          () -> GaussianMixture.k(k).covariance(type).precisionsInit(precisions).fit(DATA, engine)).getMessage();
    }
  }

  @Test
  void anAsymmetricFullPrecisionIsRefused() {
    assertEquals("precisionsInit: the precision of component 0 is not symmetric: entry (1, 2) is 0.5 but entry"
        + " (2, 1) is 0.0", refusal(CovarianceType.FULL, 1, new double[] {1, 0.5, 0, 1}));
  }

  @Test
  void anAsymmetricTiedPrecisionIsRefused() {
    assertEquals("precisionsInit: the precision of component 0 is not symmetric: entry (1, 2) is -0.3 but entry"
        + " (2, 1) is 0.3", refusal(CovarianceType.TIED, 2, new double[] {2, -0.3, 0.3, 2}));
  }

  @Test
  void aNonFiniteFullPrecisionIsNamed() {
    assertEquals("precisionsInit: value NaN at index 7 is not allowed; precisions must be finite",
        refusal(CovarianceType.FULL, 2, new double[] {1, 0, 0, 1, 1, 0, 0, Double.NaN}));
    assertEquals("precisionsInit: value Infinity at index 0 is not allowed; precisions must be finite",
        refusal(CovarianceType.TIED, 2, new double[] {Double.POSITIVE_INFINITY, 0, 0, 1}));
  }

  @Test
  void aSymmetricPrecisionWithinRoundingIsAccepted() {
    try (JavaEngine engine = new JavaEngine(1)) {
      GaussianMixtureResult r = GaussianMixture.k(1).covariance(CovarianceType.FULL)
          .precisionsInit(new double[] {2, 0.1, 0.1 + 1e-12, 3}).fit(DATA, engine);
      assertEquals(2, r.model().d());
    }
  }
}
