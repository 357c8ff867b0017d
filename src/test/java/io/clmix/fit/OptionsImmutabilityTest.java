package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.Test;

/**
 * Options are validated once, when they are built, and estimators are immutable: the arrays an
 * options record hands out are copies, so changing them cannot slip a NaN or negative weight
 * past that validation into a fit (where it was blamed on the data) or change an estimator
 * another thread fits with.
 */
class OptionsImmutabilityTest {
  private static final Dataset DATA = Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {9, 9}, {9, 10}, {10, 9}});

  @Test
  void initialValuesHandedOutAreCopies() {
    GaussianMixture gm = GaussianMixture.k(2).covariance(CovarianceType.DIAG).weightsInit(new double[] {0.5, 0.5})
        .meansInit(new double[][] {{0, 0}, {9, 9}}).precisionsInit(new double[] {1, 1, 1, 1});
    GaussianMixtureOptions o = gm.options();
    o.weightsInit()[0] = Double.NaN;
    o.meansInit()[0][0] = Double.NaN;
    o.meansInit()[1] = new double[] {1};
    o.precisionsInit()[0] = -1;
    assertArrayEquals(new double[] {0.5, 0.5}, o.weightsInit());
    assertArrayEquals(new double[][] {{0, 0}, {9, 9}}, o.meansInit());
    assertArrayEquals(new double[] {1, 1, 1, 1}, o.precisionsInit());
    try (JavaEngine engine = new JavaEngine(1)) {
      GaussianMixtureResult r = GaussianMixture.with(o).fit(DATA, engine);
      assertEquals(0.5, r.model().weights()[0], 1e-9);
      assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, r.labels().toArray());
    }
  }
}
