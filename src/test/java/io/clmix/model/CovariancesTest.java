package io.clmix.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import org.junit.jupiter.api.Test;

/** The precision factors refuse covariances that are singular to rounding, and only those. */
class CovariancesTest {

  @Test
  void aCovarianceSingularToRoundingIsRefused() {
    // Three identical rows and one other, --reg-covar 0: 0.75 [[1, 1], [1, 1]], exactly singular,
    // whose factorisation leaves a pivot of rounding size (a precision factor near 1e8).
    double[] cov = {0.75, 0.75, 0.75, 0.75};
    InputException e = assertThrows(InputException.class,
        () -> Covariances.precisionCholesky(CovarianceType.FULL, cov, 1, 2));
    assertTrue(e.getMessage().startsWith("the covariance of component 0 is not positive definite"), e.getMessage());
    assertThrows(InputException.class, () -> Covariances.precisionCholesky(CovarianceType.TIED, cov, 1, 2));
  }

  @Test
  void strongButRealCorrelationsAndTinyVariancesAreKept() {
    // Correlation 1 - 1e-10: the second column keeps 2e-10 of its variance, far above rounding.
    double r = 1 - 1e-10;
    double[] correlated = {1, r, r, 1};
    double[] u = Covariances.precisionCholesky(CovarianceType.FULL, correlated, 1, 2);
    assertTrue(Double.isFinite(u[3]) && u[3] > 0, "factor " + u[3]);
    // A column of variance 1e-12 beside one of 1e12 (regCovar-sized against unscaled data).
    double[] scales = {1e12, 0, 0, 1e-12};
    double[] v = Covariances.precisionCholesky(CovarianceType.FULL, scales, 1, 2);
    assertEquals(1e6, v[3], 1e-3);
  }
}
