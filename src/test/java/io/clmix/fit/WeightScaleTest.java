package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
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

  /**
   * Weights whose total exceeds float32 are refused with a divisor that, taken, brings the total
   * within range without pushing the lightest weight below float32's normal range; where no
   * power of ten can do both, the message says so instead of giving advice that fails.
   */
  @Test
  void theAdviceForWeightsSummingBeyondFloat32Works() {
    double[] heavy = {3e38, 3e38, 1, 1, 2, 2};
    InputException e = assertThrows(InputException.class, () -> Dataset.of(ROWS).withWeights(heavy));
    assertTrue(e.getMessage().endsWith("divide the weights by 10 (fits do not depend on their scale)"), e.getMessage());
    double[] divided = Arrays.stream(heavy).map(v -> v / 10).toArray();
    assertEquals(6e37 + 0.6, Dataset.of(ROWS).withWeights(divided).totalWeight(), 1e31);

    double[] wide = {3e38, 3e38, 1e-37, 1, 2, 2};
    InputException none = assertThrows(InputException.class, () -> Dataset.of(ROWS).withWeights(wide));
    assertTrue(none.getMessage().contains("no power of ten brings them within 1.2e-38 to 3.4e38, as the smallest"
        + " positive weight is 1.00e-37"), none.getMessage());
  }
}
