package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.DataFiles;
import io.clmix.data.DatasetBuilder;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.data.Precision;
import io.clmix.data.ReadOptions;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineSelector;
import io.clmix.engine.FallbackEngine;
import io.clmix.engine.PointSink;
import io.clmix.engine.java.JavaEngine;
import io.clmix.model.CovarianceType;
import io.clmix.model.Covariances;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import io.clmix.model.ModelJson;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Library calls with arguments a caller can get wrong, found by an audit of the public API:
 * each is refused with an {@link InputException} naming the argument and what it accepts,
 * rather than a NullPointerException, an index or array-size error, or data that are not
 * numbers.
 */
class LibraryArgumentsTest {
  private static final Dataset DATA = Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {9, 9}, {9, 10}, {10, 9}});
  private static final KMeansModel KM = new KMeansModel(new double[][] {{0, 0}, {9, 9}}, 1, 1, true);
  private static final GaussianMixtureModel GM = new GaussianMixtureModel(CovarianceType.DIAG,
      new double[] {0.5, 0.5}, new double[][] {{0, 0}, {9, 9}}, new double[] {1, 1, 1, 1}, true, 1, -2.0);
  private static final PointSink NOTHING = (chunk, firstRow, rows, labels, values, components) -> { };
  private static Engine engine;

  @BeforeAll
  static void open() {
    engine = new JavaEngine(1);
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static String message(Executable call) {
    return assertThrows(InputException.class, call).getMessage();
  }

  @Test
  void aNullEngineSessionOrSinkIsNamed() {
    String noEngine = "engine: null is not allowed; expected an engine (EngineSelector.select(...).engine(),"
        + " new JavaEngine(threads))";
    assertEquals(noEngine, message(() -> KM.predict(DATA, null)));
    assertEquals(noEngine, message(() -> KM.inertia(DATA, null)));
    assertEquals(noEngine, message(() -> GM.predict(DATA, null)));
    assertEquals(noEngine, message(() -> GM.predictProba(DATA, null)));
    assertEquals(noEngine, message(() -> GM.scoreSamples(DATA, null)));
    assertEquals(noEngine, message(() -> GM.score(DATA, null)));
    assertEquals(noEngine, message(() -> KMeans.k(2).fit(DATA, null)));
    String noSession = "session: null is not allowed; expected an open data session (engine.open(data))";
    assertEquals(noSession, message(() -> KM.transform((DataSession) null, NOTHING)));
    assertEquals(noSession, message(() -> GM.pointwise((DataSession) null, NOTHING)));
    assertEquals(noSession, message(() -> GaussianMixture.k(2).fit((DataSession) null)));
    String noSink = "sink: null is not allowed; expected a PointSink for the rows' results";
    assertEquals(noSink, message(() -> KM.transform(DATA, engine, null)));
    assertEquals(noSink, message(() -> GM.pointwise(DATA, engine, null)));
    try (DataSession s = engine.open(DATA)) {
      assertEquals(noSink, message(() -> GM.pointwise(s, null)));
    }
    String noData = "data: null is not allowed; expected a data set of 2 columns";
    assertEquals(noData, message(() -> KM.transform((Dataset) null)));
    assertEquals(noData, message(() -> GM.predictProba(null, engine)));
    assertEquals(noData, message(() -> GM.scoreSamples(null, engine)));
  }

  @Test
  void covarianceMatricesAreAskedForByAComponentsIndex() {
    assertArrayEquals(new double[] {1, 0}, GM.covarianceMatrix(1)[0]);
    assertEquals("c: -1 is not allowed; expected a component's index, 0 to 1", message(() -> GM.covarianceMatrix(-1)));
    assertEquals("c: 2 is not allowed; expected a component's index, 0 to 1", message(() -> GM.covarianceMatrix(2)));
    GaussianMixtureModel tied = new GaussianMixtureModel(CovarianceType.TIED, new double[] {0.5, 0.5},
        new double[][] {{0, 0}, {9, 9}}, new double[] {1, 0, 0, 1}, true, 1, -2.0);
    assertEquals("c: 5 is not allowed; expected a component's index, 0 to 1", message(() -> tied.covarianceMatrix(5)),
        "tied covariances are shared, but 5 is still no component");
  }

  @Test
  void covariancesNoArrayHoldsAreRefusedBeforeAnyWork() {
    assertEquals(4, Covariances.length(CovarianceType.FULL, 1, 2));
    // 30000 full covariances of 300 columns: 2.7e9 values overflowed an int to a negative size.
    assertEquals("30000 full covariances of 300 columns need 2.70e+09 values, more than one array holds; use fewer"
        + " components or columns, or diag covariances", message(() -> Covariances.length(CovarianceType.FULL, 30000, 300)));
    assertEquals(30000 * 300, Covariances.length(CovarianceType.DIAG, 30000, 300));
    assertTrue(message(() -> Covariances.length(CovarianceType.TIED, 1, 50000)).startsWith("1 tied covariances of 50000"));
    // A fit says so from the data's width alone, before its start is computed.
    assertTrue(message(() -> GaussianMixture.k(1).covariance(CovarianceType.FULL).fit(Dataset.of(new double[][] {
        new double[50000]}), engine)).startsWith("1 full covariances of 50000 columns need 2.50e+09 values"));
  }

  @Test
  void blobsStayWithinFloat32() {
    assertEquals("boxHalfWidth: NaN is not allowed; expected a finite number >= 0",
        message(() -> new Blobs(10, 2, 2, 1, 1, Double.NaN)));
    assertEquals("boxHalfWidth: Infinity is not allowed; expected a finite number >= 0",
        message(() -> new Blobs(10, 2, 2, 1, 1, Double.POSITIVE_INFINITY)));
    assertTrue(message(() -> new Blobs(10, 2, 2, 1, 1, 1e300)).endsWith("beyond float32's range (3.4e38)"));
    assertTrue(message(() -> new Blobs(10, 2, 2, 1, 1e38, 10)).startsWith("boxHalfWidth 10.0 and clusterStd 1.00e+38"));
    // The widest blobs allowed generate finite floats.
    Dataset edge = new Blobs(2000, 2, 2, 1, 3e37, 10).generate();
    for (long i = 0; i < edge.rows(); i++) {
      for (double v : edge.row(i)) {
        assertTrue(Float.isFinite((float) v), "row " + i);
      }
    }
  }

  @Test
  void aRandomStartWithTooFewWeightedRowsSaysSoForEitherAlgorithm() {
    Dataset one = DATA.withWeights(new double[] {0, 0, 0, 1, 0, 0});
    String expected = "the random start draws k = 2 distinct rows of positive weight, but only 1 row has one; use at most that many clusters, or the k-means++ start";
    assertEquals(expected, message(() -> GaussianMixture.k(2).init(GmmInit.RANDOM_FROM_DATA).fit(one, engine)));
    assertEquals(expected, message(() -> KMeans.k(2).init(new KMeansInit.RandomRows()).fit(one, engine)));
  }

  @Test
  void initialValuesBeyondFloat32AreRefusedAsTheFilesAre() {
    assertEquals("initial centres: row 1, column 1: value 1.0E300 is beyond float32's range (3.4e38), in which the"
        + " engines compute", message(() -> KMeans.k(2).init(KMeansInit.centres(new double[][] {{1e300, 0}, {0, 0}}))));
    assertEquals("meansInit: row 1 has the value -1.0E300, beyond float32's range (3.4e38), in which the engines"
        + " compute", message(() -> GaussianMixture.k(2).meansInit(new double[][] {{-1e300, 0}, {5, 5}})));
    // float32's largest value itself is accepted.
    KMeans.k(2).init(KMeansInit.centres(new double[][] {{Float.MAX_VALUE, 0}, {0, 0}}));
  }

  @Test
  void nullRowsFilesAndNamesAreNamed() {
    assertEquals("row 1: null; expected an array of values", message(() -> Dataset.of(new double[][] {null})));
    assertEquals("row 1: null; expected an array of values", message(() -> Dataset.of(new float[][] {null, {1}})));
    String noFile = "file: null is not allowed; expected a path to a .npy, .csv, .tsv or .txt file";
    assertEquals(noFile, message(() -> DataFiles.read(null)));
    assertEquals(noFile, message(() -> DataFiles.readMatrix(null, "initial centres")));
    assertEquals(noFile, message(() -> DataFiles.write(null, DATA, Precision.FLOAT32)));
    assertEquals("options: null is not allowed; expected read options (ReadOptions.defaults())",
        message(() -> DataFiles.read(Path.of("x.csv"), null)));
    assertEquals("data: null is not allowed; expected a data set to write",
        message(() -> DataFiles.write(Path.of("x.csv"), null, Precision.FLOAT32)));
    assertEquals("labels: null is not allowed; expected the labels to write",
        message(() -> DataFiles.writeLabels(Path.of("x.txt"), null)));
    assertEquals("file: null is not allowed; expected a path to a model file", message(() -> ModelJson.read(null)));
    assertTrue(message(() -> GmmInit.parse(null)).startsWith("--init: 'null' is not allowed"));
    assertTrue(message(() -> CovarianceType.parse(null)).startsWith("covariance type: 'null' is not allowed"));
    assertTrue(message(() -> ReadOptions.Header.parse(null)).startsWith("header: 'null' is not allowed"));
  }

  @Test
  void centresOfRaggedRowsAreRefusedNotTruncated() {
    assertEquals(2, Centroids.of(new double[][] {{1, 2}, {3, 4}}).k());
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
        () -> Centroids.of(new double[][] {{1, 2}, {3, 4, 5}}));
    assertEquals("centres: row 1 has 3 values where row 0 has 2", ragged.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Centroids.of(new double[0][]));
    assertThrows(IllegalArgumentException.class, () -> new Centroids(2, 2, null));
  }

  @Test
  void aClosedSessionSaysSo() {
    DataSession s = engine.open(DATA);
    s.assign(Centroids.of(new double[][] {{0, 0}, {1, 1}}));
    s.close();
    assertEquals("the session is closed", assertThrows(IllegalStateException.class, s::labels).getMessage());
    assertEquals("the session is closed", assertThrows(IllegalStateException.class, () -> s.farthest(1)).getMessage());
  }

  @Test
  void enginesNameNullDataAndModelsNonsenseLikelihoods() {
    assertEquals("data: null is not allowed; expected a data set", message(() -> engine.open(null)));
    assertEquals("totalLogLikelihood: NaN is not allowed; expected a log-likelihood: a number, or -Infinity",
        message(() -> GM.bic(Double.NaN, 10)));
    assertEquals("totalLogLikelihood: Infinity is not allowed; expected a log-likelihood: a number, or -Infinity",
        message(() -> GM.aic(Double.POSITIVE_INFINITY)));
    assertEquals(Double.POSITIVE_INFINITY, GM.aic(Double.NEGATIVE_INFINITY), "a row no component holds");
    assertTrue(message(() -> GM.sample(Integer.MAX_VALUE, 1, null)).startsWith("n: 2147483647 is not allowed;"));
    assertEquals(3, GM.sample(3, 1, null).length);
  }

  @Test
  void engineGuardsNameAMissingEngine() {
    assertEquals("device: null is not allowed; expected a supplier of the preferred device's engine",
        message(() -> EngineSelector.preferring("gpu", null)));
    assertEquals("device.get(): null is not allowed; expected the preferred device's engine, or an EngineException"
        + " saying why there is none", message(() -> EngineSelector.preferring("gpu", () -> null)));
    assertEquals("primary: null is not allowed; expected the device's engine to guard",
        message(() -> FallbackEngine.withBackup(null, JavaEngine::create)));
    assertEquals("primary: null is not allowed; expected the device's engine to guard",
        message(() -> FallbackEngine.strict(null, "--device x")));
    assertTrue(message(() -> FallbackEngine.withBackup(engine, null)).startsWith("backup: null is not allowed;"));
  }

  @Test
  void aSpentBuilderSaysSoRatherThanBuildingAnEmptyDataSet() {
    DatasetBuilder b = Dataset.builder(2);
    b.addRow(new double[] {1, 2});
    assertEquals(1, b.build().rows());
    String spent = "this DatasetBuilder has already built its data set; start a new one";
    assertEquals(spent, assertThrows(IllegalStateException.class, b::build).getMessage());
    assertEquals(spent, assertThrows(IllegalStateException.class, () -> b.addRow(new double[] {3, 4})).getMessage());
  }

  @Test
  void enginesAndReadOptionsRefuseTheirArgumentsAsInputErrors() {
    // new JavaEngine(threads) is how getting-started.md says to choose the Java engine: a thread
    // count from a user's settings is bad input, as --device java:0 is.
    assertEquals("threads: 0 is not allowed; expected an integer >= 1", message(() -> new JavaEngine(0)));
    assertEquals("chunkRows: -1 is not allowed; expected an integer >= 0 (0 for the default)",
        message(() -> ReadOptions.defaults().withChunkRows(-1)));
    assertEquals("mapThresholdBytes: -1 is not allowed; expected a number of bytes >= 0",
        message(() -> ReadOptions.defaults().withMapThreshold(-1)));
    assertEquals("header: null is not allowed; expected AUTO, YES or NO",
        message(() -> ReadOptions.defaults().withHeader(null)));
  }

  @Test
  void aFitOnFewerDistinctPointsThanKSaysSoThroughItsModel() {
    // The command line warns, as scikit-learn's ConvergenceWarning; a library caller had no way
    // to tell that some of its k centres coincide (clusters that are not there) but to compare them.
    Dataset twoPoints = Dataset.of(new double[][] {{1, 1}, {1, 1}, {1, 1}, {2, 2}, {2, 2}});
    KMeansModel m = KMeans.k(3).fit(twoPoints, engine).model();
    assertEquals(3, m.k());
    assertEquals(2, m.distinctCenters());
    assertEquals(2, KM.distinctCenters());
  }
}
