package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.java.JavaEngine;
import org.junit.jupiter.api.Test;

/** The estimators' entry points name a missing argument instead of failing with a NullPointerException. */
class EntryPointArgumentsTest {
  private static final double[][] ROWS = {{0, 0}, {0.2, 0.1}, {5, 5}, {5.2, 4.9}};

  @Test
  void missingArgumentsAreNamed() {
    io.clmix.data.InputException e = org.junit.jupiter.api.Assertions.assertThrows(io.clmix.data.InputException.class,
        () -> KMeans.k(2).fit(Dataset.of(ROWS), null));
    assertEquals("engine: null is not allowed; expected an engine (EngineSelector.select(...).engine(), new"
        + " JavaEngine(threads))", e.getMessage());
    try (JavaEngine engine = new JavaEngine(1)) {
      assertEquals("data: null is not allowed; expected a data set", org.junit.jupiter.api.Assertions.assertThrows(
          io.clmix.data.InputException.class, () -> GaussianMixture.k(2).fit(null, engine)).getMessage());
    }
    assertEquals("options: null is not allowed; expected the estimator's options", org.junit.jupiter.api.Assertions
        .assertThrows(io.clmix.data.InputException.class, () -> KMeans.with(null)).getMessage());
  }
}
