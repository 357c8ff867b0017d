package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.Engine;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * K-means against scikit-learn on the real data sets, run on one engine per subclass: the
 * same start gives the same labels and iteration count; best-of-n inertia is within 0.1% of
 * scikit-learn's.
 */
public abstract class KMeansContractTest {
  protected Engine engine;

  protected abstract Engine createEngine();

  @BeforeEach
  void open() {
    engine = createEngine();
  }

  @AfterEach
  void close() {
    if (engine != null) { // null where the engine's set-up skipped the test (no OpenCL)
      engine.close();
    }
  }

  static Stream<String> realSets() {
    return Stream.of(Fixtures.REAL);
  }

  static Stream<String> allSets() {
    return Stream.concat(Stream.of(Fixtures.REAL), Stream.of("blobs"));
  }

  @ParameterizedTest
  @MethodSource("allSets")
  void sameStartGivesScikitLearnsLabelsAndIterations(String name) {
    Dataset data = Fixtures.data(name);
    JsonNode fx = Fixtures.json(name + ".kmeans.json");
    JsonNode fixed = fx.get("fixedStart");
    int k = fx.get("k").asInt();
    KMeansResult r = KMeans.k(k).init(KMeansInit.centres(Fixtures.matrix(fixed.get("initCentres"))))
        .fit(data, engine);
    JsonNode ref = fixed.get("float32");
    assertArrayEquals(Fixtures.ints(ref.get("labels")), r.labels().toArray(), name + ": labels");
    assertEquals(ref.get("nIter").asInt(), r.model().iterations(), name + ": iterations");
    assertEquals(fixed.get("inertia").asDouble(), r.model().inertia(), 1e-6 * fixed.get("inertia").asDouble(),
        name + ": inertia against scikit-learn's float64 run");
    double[][] centres = Fixtures.matrix(fixed.get("centres"));
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < data.cols(); j++) {
        double e = centres[c][j];
        assertEquals(e, r.model().clusterCenters()[c][j], 1e-5 * Math.max(1, Math.abs(e)), name + ": centre " + c);
      }
    }
    assertTrue(r.model().converged());
  }

  @ParameterizedTest
  @MethodSource("realSets")
  void weightedFitMatchesScikitLearn(String name) {
    Dataset data = Fixtures.data(name);
    JsonNode fx = Fixtures.json(name + ".kmeans.json");
    JsonNode w = fx.get("weighted");
    int k = fx.get("k").asInt();
    double[][] init = Fixtures.matrix(fx.get("fixedStart").get("initCentres"));
    KMeansResult r = KMeans.k(k).init(KMeansInit.centres(init))
        .fit(data.withWeights(Fixtures.vector(w.get("sampleWeights"))), engine);
    assertArrayEquals(Fixtures.ints(w.get("labels")), r.labels().toArray(), name + ": weighted labels");
    assertEquals(w.get("nIter").asInt(), r.model().iterations(), name + ": weighted iterations");
    assertEquals(w.get("inertia").asDouble(), r.model().inertia(), 1e-6 * w.get("inertia").asDouble(), name + ": weighted inertia");
  }

  @ParameterizedTest
  @MethodSource("realSets")
  void bestOfTenIsWithinATenthOfAPercentOfScikitLearn(String name) {
    Dataset data = Fixtures.data(name);
    JsonNode fx = Fixtures.json(name + ".kmeans.json");
    int k = fx.get("k").asInt();
    double sklearn = fx.get("bestOfN").get("10").get("median").asDouble();
    KMeansResult r = KMeans.k(k).nInit(10).seed(0).fit(data, engine);
    assertTrue(r.model().inertia() <= sklearn * 1.001,
        name + ": best of 10 inertia " + r.model().inertia() + " vs scikit-learn's median " + sklearn);
    assertEquals(10, r.report().runs());
  }

  @Test
  void randomInitAlsoReachesTheOptimum() {
    Dataset data = Fixtures.data("iris");
    double sklearn = Fixtures.json("iris.kmeans.json").get("bestOfN").get("10").get("median").asDouble();
    KMeansResult r = KMeans.k(3).init(KMeansInit.random()).nInit(10).seed(3).fit(data, engine);
    assertTrue(r.model().inertia() <= sklearn * 1.001, "random init, best of 10: " + r.model().inertia());
  }

  @Test
  void theSameSeedGivesTheSameBits() {
    Dataset data = Fixtures.data("wine");
    KMeansResult a = KMeans.k(3).nInit(3).seed(42).fit(data, engine);
    KMeansResult b = KMeans.k(3).nInit(3).seed(42).fit(data, engine);
    assertEquals(a.model().inertia(), b.model().inertia(), 0.0);
    assertArrayEquals(a.labels().toArray(), b.labels().toArray());
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(a.model().clusterCenters()[c], b.model().clusterCenters()[c], 0.0);
    }
  }

  @Test
  void labelsAreTheModelsPredictions() {
    Dataset data = Fixtures.data("breast_cancer");
    KMeansResult r = KMeans.k(2).seed(5).fit(data, engine);
    assertArrayEquals(r.model().predict(data, engine).toArray(), r.labels().toArray());
  }

  @Test
  void emptyClustersAreReseededFromTheFarthestPoints() {
    // Two far-apart centres of which one attracts nothing: the empty one must be re-seeded.
    double[][] rows = new double[40][];
    for (int i = 0; i < 40; i++) {
      rows[i] = new double[] {i % 2 == 0 ? i * 0.1 : 10 + i * 0.1, 0};
    }
    Dataset data = Dataset.of(rows);
    double[][] init = {{5, 0}, {1000, 1000}};
    KMeansResult r = KMeans.k(2).init(KMeansInit.centres(init)).fit(data, engine);
    long[] counts = r.labels().counts(2);
    assertEquals(20, counts[0], "the left group");
    assertEquals(20, counts[1], "the right group");
    assertTrue(r.report().iterations().get(0).emptyRepairs() == 1, "the first iteration repairs one empty cluster");
  }

  @Test
  void rowsOfWeightZeroNeverReseedAnEmptyCluster() {
    // Two rows hold all the weight, so with k = 5 at least three clusters are empty in every pass.
    // A cluster re-seeded with a row of weight zero stays empty and moves to another such row
    // next pass, so the centres never settle; with those rows left out the fit converges at once,
    // and no pass reports more repairs than there are weighted rows to re-seed with.
    Dataset data = Fixtures.data("iris");
    double[] w = new double[(int) data.rows()];
    w[10] = 1;
    w[120] = 2;
    KMeansResult r = KMeans.k(5).maxIter(50).seed(1).fit(data.withWeights(w), engine);
    assertTrue(r.model().converged(), "stopped after " + r.model().iterations() + " iterations without converging");
    assertEquals(0.0, r.model().inertia(), 0.0, "each weighted row is a centre");
    for (var it : r.report().iterations()) {
      assertTrue(it.emptyRepairs() <= 2, "iteration " + it.iteration() + " reports " + it.emptyRepairs() + " repairs");
    }
  }

  @Test
  void moreClustersThanRowsIsAnInputError() {
    Dataset data = Dataset.of(new double[][] {{1, 2}, {3, 4}});
    InputException e = assertThrows(InputException.class, () -> KMeans.k(3).fit(data, engine));
    assertEquals("k = 3 clusters need at least 3 rows; the data have 2", e.getMessage());
  }

  @Test
  void kEqualsNGivesZeroInertia() {
    Dataset data = Fixtures.data("iris");
    Dataset few = Dataset.of(new double[][] {data.row(0), data.row(50), data.row(100), data.row(7)});
    KMeansResult r = KMeans.k(4).fit(few, engine);
    assertEquals(0.0, r.model().inertia(), 1e-9);
  }
}
