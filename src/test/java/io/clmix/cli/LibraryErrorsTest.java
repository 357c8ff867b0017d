package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.KMeans;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "Library only" table of docs/errors.md, call by call: each throws an
 * {@link InputException} with exactly the documented message, and the document lists that
 * message.
 */
class LibraryErrorsTest {
  private static final Dataset DATA = Dataset.of(new double[][] {{1, 2}, {3, 4}, {5, 6}, {7, 8}});
  private static Engine engine;

  @BeforeAll
  static void open() {
    engine = new JavaEngine(1);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  static Stream<Arguments> calls() {
    Map<String, Executable> calls = new LinkedHashMap<>();
    calls.put("k: 0 is not allowed; expected an integer >= 1 (the number of clusters)", () -> KMeans.k(0));
    calls.put("regCovar: -1.0 is not allowed; expected a number from 0 to 3.4e38", () -> GaussianMixture.k(2).regCovar(-1));
    calls.put("weightsInit: 2 weights for k = 3 components",
        () -> GaussianMixture.k(3).weightsInit(new double[] {0.5, 0.5}));
    calls.put("weightsInit: -0.5 is not allowed; expected finite weights >= 0 that sum to 1",
        () -> GaussianMixture.k(2).weightsInit(new double[] {1.5, -0.5}));
    calls.put("weightsInit: the weights sum to 0.75; expected 1",
        () -> GaussianMixture.k(2).weightsInit(new double[] {0.5, 0.25}));
    calls.put("meansInit: 1 means for k = 2 components", () -> GaussianMixture.k(2).meansInit(new double[][] {{0, 0}}));
    calls.put("precisionsInit: diag precisions of 2 components in 2 dimensions need 4 values, got 3",
        () -> GaussianMixture.k(2).covariance(CovarianceType.DIAG).precisionsInit(new double[3]).fit(DATA, engine));
    calls.put("sample weights: expected 4 values (one per row), got 3", () -> DATA.withWeights(new double[3]));
    calls.put("sample weights: value -2.0 at row 2 is not allowed; expected a finite number >= 0",
        () -> DATA.withWeights(new double[] {1, -2, 3, 4}));
    calls.put("the model has 3 features but the data have 2 columns",
        () -> new KMeansModel(new double[][] {{1, 2, 3}}, 0, 1, true).predict(DATA, engine));
    calls.put("the model has 3 features but the data have 2 columns ",
        () -> new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {1}, new double[][] {{1, 2, 3}},
            new double[] {1}, true, 1, 0).predict(DATA, engine));
    calls.put("covariance type: 'banded' is not allowed; expected one of full, tied, diag, spherical",
        () -> CovarianceType.parse("banded"));
    calls.put("centre 0 has a non-finite value NaN; a K-means model holds finite centres only (scale the data or"
        + " remove extreme outliers)", () -> new KMeansModel(new double[][] {{1, Double.NaN}}, 0, 1, true));
    calls.put("precisionsInit: the precision of component 0 is not symmetric: entry (1, 2) is 0.5 but entry (2, 1) is 0.0",
        () -> GaussianMixture.k(1).covariance(CovarianceType.FULL).precisionsInit(new double[] {1, 0.5, 0, 1})
            .fit(DATA, engine));
    calls.put("the covariance of component 0 is not symmetric: entry (1, 2) is 0.5 but entry (2, 1) is 0.0",
        () -> new GaussianMixtureModel(CovarianceType.FULL, new double[] {1}, new double[][] {{0, 1}},
            new double[] {1, 0.5, 0, 1}, true, 1, -2));
    calls.put("a mixture needs at least one component; got no weights",
        () -> new GaussianMixtureModel(CovarianceType.DIAG, new double[0], new double[0][], new double[0], true, 1, -2));
    calls.put("covariance value NaN at index 1 is not allowed; covariances must be finite",
        () -> new GaussianMixtureModel(CovarianceType.FULL, new double[] {1}, new double[][] {{0, 0}},
            new double[] {1, Double.NaN, Double.NaN, 1}, true, 1, -2));
    calls.put("threads: 0 is not allowed; expected an integer >= 1", () -> new JavaEngine(0));
    calls.put("engines: an empty list is not allowed; expected a list of at least one engine",
        () -> new io.clmix.engine.ShardedEngine(java.util.List.of()));
    calls.put("device.get(): null is not allowed; expected the preferred device's engine, or an EngineException"
        + " saying why there is none", () -> io.clmix.engine.EngineSelector.preferring("gpu", () -> null));
    calls.put("model: null is not allowed; expected a K-means or Gaussian mixture model",
        () -> io.clmix.model.ModelJson.toJson(null));
    calls.put("n: 0.0 is not allowed; expected the sample size, a number > 0",
        () -> new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {1}, new double[][] {{1, 2}},
            new double[] {1}, true, 1, 0).bic(-3.0, 0));
    calls.put("engine: null is not allowed; expected an engine (EngineSelector.select(...).engine(), new JavaEngine(threads))",
        () -> new KMeansModel(new double[][] {{1, 2}}, 0, 1, true).predict(DATA, null));
    calls.put("engine: null is not allowed; expected an engine (EngineSelector.select(...).engine(), new JavaEngine(threads)) ",
        () -> KMeans.k(2).fit(DATA, null));
    calls.put("sink: null is not allowed; expected a PointSink for the rows' results",
        () -> mixtureOfTwo().pointwise(DATA, engine, null));
    calls.put("c: 2 is not allowed; expected a component's index, 0 to 1", () -> mixtureOfTwo().covarianceMatrix(2));
    calls.put("30000 full covariances of 300 columns need 2.70e+09 values, more than one array holds; use fewer"
        + " components or columns, or diag covariances",
        () -> GaussianMixture.k(30000).fit(Dataset.of(new double[30000][300]), engine));
    calls.put("boxHalfWidth 1.00e+300 and clusterStd 1.00: rows would reach 2.00e+300, beyond float32's range (3.4e38)",
        () -> new io.clmix.data.Blobs(10, 2, 2, 1, 1, 1e300));
    calls.put("the random start draws k = 2 distinct rows of positive weight, but only 1 row has one; use at most that many clusters, or the k-means++ start",
        () -> GaussianMixture.k(2).init(io.clmix.fit.GmmInit.RANDOM_FROM_DATA)
            .fit(DATA.withWeights(new double[] {0, 0, 1, 0}), engine));
    // A trailing space keeps two cases with the same message apart as map keys.
    return calls.entrySet().stream().map(e -> Arguments.of(e.getKey().strip(), e.getValue()));
  }

  /** Two spherical components in two dimensions. */
  private static GaussianMixtureModel mixtureOfTwo() {
    return new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {0.5, 0.5}, new double[][] {{1, 2}, {5, 6}},
        new double[] {1, 1}, true, 1, -2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void theCallThrowsTheDocumentedMessage(String message, Executable call) throws IOException {
    InputException e = assertThrows(InputException.class, call);
    assertEquals(message, e.getMessage());
    String doc = Files.readString(ErrorCatalogTest.DOC, StandardCharsets.UTF_8);
    assertTrue(doc.contains("| `" + message + "` |"), "docs/errors.md lists: " + message);
  }
}
