package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Sample weights count relatively: scaling every weight alike changes no fit beyond rounding.
 * The mixture's guard against empty components is counted in units of the mean weight, so
 * tiny uniform weights (1e-16) no longer merge components (they gave a lower bound of -7.9
 * against -1.9 before).
 */
class WeightScaleTest {
  private static final double[][] ROWS = {{0, 0}, {0.2, 0.1}, {0.1, 0.3}, {5, 5}, {5.2, 4.9}, {4.8, 5.1}};

  private static GaussianMixtureResult fit(double weight, JavaEngine engine) {
    double[] w = new double[ROWS.length];
    Arrays.fill(w, weight);
    Dataset data = Dataset.of(ROWS).withWeights(w);
    return GaussianMixture.k(2).covariance(CovarianceType.FULL).seed(3).regCovar(1e-3).fit(data, engine);
  }

  @Test
  void uniformWeightsOfAnyScaleGiveTheSameMixture() {
    try (JavaEngine engine = new JavaEngine(1)) {
      GaussianMixtureResult unit = fit(1, engine);
      for (double scale : new double[] {1e-16, 1e-30, 1e20}) {
        GaussianMixtureResult scaled = fit(scale, engine);
        assertEquals(unit.model().lowerBound(), scaled.model().lowerBound(), 1e-9, "weights of " + scale);
        assertArrayEquals(unit.model().weights(), scaled.model().weights(), 1e-9, "weights of " + scale);
      }
    }
  }
}
