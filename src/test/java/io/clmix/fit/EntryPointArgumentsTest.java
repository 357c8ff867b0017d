package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.Engine;
import io.clmix.engine.ShardedEngine;
import io.clmix.engine.java.JavaEngine;
import java.util.Arrays;
import java.util.List;
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

  @Test
  void modelFilesAndCriteriaNameMissingOrImpossibleArguments() {
    assertEquals("model: null is not allowed; expected a K-means or Gaussian mixture model",
        assertThrows(InputException.class, () -> io.clmix.model.ModelJson.toJson(null)).getMessage());
    assertEquals("text: null is not allowed; expected a model document",
        assertThrows(InputException.class, () -> io.clmix.model.ModelJson.fromJson(null, "m.json")).getMessage());
    try (JavaEngine engine = new JavaEngine(1)) {
      var model = GaussianMixture.k(1).fit(Dataset.of(ROWS), engine).model();
      assertEquals("n: 0.0 is not allowed; expected the sample size, a number > 0",
          assertThrows(InputException.class, () -> model.bic(-3.0, 0)).getMessage());
    }
  }

  @Test
  void missingInitialCentresAreNamed() {
    assertEquals("initial centres: null is not allowed; expected k rows of d values",
        assertThrows(InputException.class, () -> KMeansInit.centres(null)).getMessage());
    assertEquals("initial centres: row 2 is null; expected 2 values",
        assertThrows(InputException.class, () -> KMeansInit.centres(new double[][] {{1, 2}, null})).getMessage());
    assertEquals("initial centres: row 1 is null; expected an array of values",
        assertThrows(InputException.class, () -> KMeansInit.centres(new double[][] {null, {1, 2}})).getMessage());
  }

  @Test
  void aMissingRowOfMeansInitIsNamed() {
    assertEquals("meansInit: row 2 is null; expected 2 values", assertThrows(InputException.class,
        () -> GaussianMixture.k(2).meansInit(new double[][] {{1, 2}, null})).getMessage());
    assertEquals("meansInit: row 1 is null; expected an array of values", assertThrows(InputException.class,
        () -> GaussianMixture.k(2).meansInit(new double[][] {null, {1, 2}})).getMessage());
  }

  @Test
  void aShardedEngineNamesMissingEngines() {
    assertEquals("engines: null is not allowed; expected a list of at least one engine",
        assertThrows(InputException.class, () -> new ShardedEngine(null)).getMessage());
    assertEquals("engines: an empty list is not allowed; expected a list of at least one engine",
        assertThrows(InputException.class, () -> new ShardedEngine(List.of())).getMessage());
    try (JavaEngine engine = new JavaEngine(1)) {
      assertEquals("engines: entry 2 is null; expected an engine", assertThrows(InputException.class,
          () -> new ShardedEngine(Arrays.<Engine>asList(engine, null))).getMessage());
    }
  }

  @Test
  void aMissingSourceNameReadsAsWhatTheDocumentIs() {
    // Both names only label messages and reports: null printed as "null" there, as if it were a file.
    assertEquals("model: missing field 'format'",
        assertThrows(InputException.class, () -> io.clmix.model.ModelJson.fromJson("{}", null)).getMessage());
    KMeansInit.Given given = new KMeansInit.Given(new double[][] {{1}, {2}}, null);
    assertEquals("array", given.toString());
    assertEquals("array", given.source());
    try (JavaEngine engine = new JavaEngine(1)) {
      assertEquals("init: array has centres of 1 values but the data have 2 columns", assertThrows(
          InputException.class, () -> KMeans.k(2).init(given).fit(Dataset.of(ROWS), engine)).getMessage());
    }
  }
}
