package io.clmix.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.java.JavaEngine;
import org.junit.jupiter.api.Test;

/**
 * Models are immutable, and shared between threads on that promise: nothing a caller is handed
 * may be a model's own array.
 */
class ModelImmutabilityTest {
  private static final Dataset DATA = Dataset.of(new double[][] {{0, 0}, {0, 1}, {9, 9}, {9, 10}});

  @Test
  void theParametersHandedToAnEngineAreACopy() {
    GaussianMixtureModel gm = new GaussianMixtureModel(CovarianceType.DIAG, new double[] {0.5, 0.5},
        new double[][] {{0, 0}, {9, 9}}, new double[] {1, 4, 1, 4}, true, 1, -2.0);
    double[] factors = gm.precisionsCholesky();
    String saved = ModelJson.toJson(gm);
    try (JavaEngine engine = new JavaEngine(1)) {
      double[] scores = gm.scoreSamples(DATA, engine);
      MixtureParams p = gm.paramsFor(DATA);
      p.precisionCholesky()[0] = 1e6; // spoils the caller's copy, and nothing else
      p.means()[0] = 1e6;
      p.logNorm()[0] = 1e6;
      assertArrayEquals(factors, gm.precisionsCholesky());
      assertArrayEquals(scores, gm.scoreSamples(DATA, engine));
      // Before, the model saved a factor its covariances disagree with: a file that did not load.
      assertEquals(saved, ModelJson.toJson(gm));
    }
  }
}
