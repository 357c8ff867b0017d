package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.Engine;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.KMeansModel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numerical stress against scikit-learn, on the engine a subclass supplies (fixtures/stress, made by
 * src/test/python/make_stress_fixtures.py): data far from the origin, at scales of 1e15 and
 * 1e-15, duplicated points, a constant column, d = 1 and d = 512, k = 1 and k = n, and weights
 * of 1e-12 and 1e12 mixed. From scikit-learn's starting point clmix must reach scikit-learn's
 * labels, and its parameters within float32's resolution of the data's spread; no model may
 * hold a NaN. Data beyond what float32 distances can hold fail with advice instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NumericalStressContractTest {
  private Engine engine;

  /** The engine under test, created once for the class. */
  protected abstract Engine createEngine();

  @BeforeAll
  void open() {
    engine = createEngine();
  }

  @AfterAll
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  static JsonNode cases() {
    return Fixtures.json("stress/stress.json").get("cases");
  }

  static Stream<String> caseNames() {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = cases().fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names.stream();
  }

  private static Dataset data(JsonNode c) {
    Dataset ds = DataFiles.read(Fixtures.path("stress/" + c.get("file").asText()));
    if (c.has("weightsFile")) {
      ds = ds.withWeights(DataFiles.readVector(Fixtures.path("stress/" + c.get("weightsFile").asText()), ds.rows(), "w"));
    }
    return ds;
  }

  /** The data's spread: the root mean column variance (at least the smallest positive double). */
  private static double spread(Dataset ds) {
    double s = 0;
    for (double v : ds.columnVariance()) {
      s += v;
    }
    return Math.max(Math.sqrt(s / ds.cols()), Double.MIN_NORMAL);
  }

  @ParameterizedTest
  @MethodSource("caseNames")
  void kmeansMatchesScikitLearn(String name) {
    JsonNode c = cases().get(name);
    JsonNode ref = c.get("kmeans");
    Dataset ds = data(c);
    int k = c.get("k").asInt();
    KMeansResult r = KMeans.k(k).init(KMeansInit.centres(Fixtures.matrix(ref.get("initCentres")))).fit(ds, engine);
    KMeansModel m = r.model();
    assertNull(r.report().fallback(), name + ": K-means ran on the engine under test");
    assertArrayEquals(Fixtures.ints(ref.get("labels")), r.labels().toArray(), name + ": labels");
    double s = spread(ds);
    double[][] centres = Fixtures.matrix(ref.get("centres"));
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < ds.cols(); j++) {
        assertEquals(centres[i][j], m.clusterCenters()[i][j], 1e-5 * s, name + ": centre " + i + ", column " + j);
      }
    }
    double inertia = ref.get("inertia").asDouble();
    // Relative to the inertia, or to the data's total scatter where the optimum is (nearly) zero.
    double scatter = s * s * ds.cols() * ds.totalWeight();
    assertEquals(inertia, m.inertia(), 1e-5 * inertia + 1e-9 * scatter, name + ": inertia");
    assertTrue(Math.abs(ref.get("nIter").asInt() - m.iterations()) <= 1, name + ": iterations "
        + m.iterations() + " against scikit-learn's " + ref.get("nIter").asInt());
  }

  @ParameterizedTest
  @MethodSource("caseNames")
  void gaussianMixtureMatchesScikitLearn(String name) {
    JsonNode c = cases().get(name);
    JsonNode ref = c.get("gmm");
    assertFalse(ref.has("error"), name + ": scikit-learn failed, " + ref.path("error").asText());
    Dataset ds = data(c);
    int k = c.get("k").asInt();
    int d = ds.cols();
    CovarianceType type = CovarianceType.parse(ref.get("covarianceType").asText());
    GaussianMixtureResult r = GaussianMixture.k(k).covariance(type).regCovar(1e-6)
        .weightsInit(Fixtures.vector(ref.get("weightsInit")))
        .meansInit(Fixtures.matrix(ref.get("meansInit")))
        .precisionsInit(flat(ref.get("precisionsInit")))
        .fit(ds, engine);
    GaussianMixtureModel m = r.model();
    assertAllFinite(m);
    double s = spread(ds);
    double[][] means = Fixtures.matrix(ref.get("means"));
    double[] weights = Fixtures.vector(ref.get("weights"));
    for (int i = 0; i < k; i++) {
      assertEquals(weights[i], m.weights()[i], 1e-4, name + ": weight " + i);
      if (weights[i] < 1e-6) {
        // A component that lost all its points has no meaningful mean: scikit-learn's falls to
        // the origin (0 / 10 eps), clmix's stays where it was. Only that it is finite matters.
        continue;
      }
      for (int j = 0; j < d; j++) {
        assertEquals(means[i][j], m.means()[i][j], 1e-4 * s, name + ": mean " + i + ", column " + j);
      }
    }
    double lb = ref.get("lowerBound").asDouble();
    assertEquals(lb, m.lowerBound(), 1e-4 * Math.max(1, Math.abs(lb)), name + ": lower bound");
    int[] labels = r.labels().toArray();
    int[] expected = Fixtures.ints(ref.get("labels"));
    if (ref.has("rows")) {
      // scikit-learn fitted the heavily weighted rows alone; compare those rows.
      labels = heavyRows(ds, labels);
    }
    assertArrayEquals(expected, labels, name + ": labels");
    assertTrue(Math.abs(ref.get("nIter").asInt() - m.iterations()) <= 1, name + ": iterations "
        + m.iterations() + " against scikit-learn's " + ref.get("nIter").asInt());
  }

  @ParameterizedTest
  @MethodSource("caseNames")
  void defaultFitsSucceedWithFiniteModels(String name) {
    Dataset ds = data(cases().get(name));
    int k = cases().get(name).get("k").asInt();
    KMeansModel km = KMeans.k(k).nInit(2).seed(1).fit(ds, engine).model();
    for (double[] centre : km.clusterCenters()) {
      for (double v : centre) {
        assertTrue(Double.isFinite(v), name + ": a K-means centre is " + v);
      }
    }
    assertTrue(Double.isFinite(km.inertia()) && km.inertia() >= 0, name + ": inertia " + km.inertia());
    assertAllFinite(GaussianMixture.k(k).covariance(CovarianceType.DIAG).seed(1).fit(ds, engine).model());
  }

  @ParameterizedTest
  @ValueSource(doubles = {1e19, 1e25, 1e37})
  void dataTooSpreadOutFailWithAdvice(double scale) {
    Dataset ds = scaled(scale);
    InputException e = assertThrows(InputException.class, () -> KMeans.k(2).fit(ds, engine));
    assertTrue(e.getMessage().startsWith("the data are too spread out for float32 distances: column "), e.getMessage());
    assertTrue(e.getMessage().contains("; divide the data by 1e"), e.getMessage());
    assertThrows(InputException.class, () -> GaussianMixture.k(2).fit(ds, engine));
  }

  @ParameterizedTest
  @CsvSource({"1e15, true", "1e16, true", "1e17, false", "3e17, false", "1e18, false"})
  void dataThatPassTheSpreadCheckFitWhateverTheirSize(double scale, boolean fits) {
    // 3000 rows of unit blobs 8 apart, scaled: each row's squared distance fits float32 up to a
    // scale of about 1e18, but their sum over a device's work-group (float32) from about 1e16 on.
    // The up-front check must refuse what any engine cannot sum, with advice; all else must fit.
    // Column standard deviation about 4.1 x scale, against a limit of 4.9e16 for 3000 rows of 3
    // columns: refused from a scale of about 1.2e16 on.
    Dataset ds = scaled(scale, 3000);
    if (!fits) {
      InputException e = assertThrows(InputException.class, () -> KMeans.k(2).seed(1).fit(ds, engine));
      assertTrue(e.getMessage().startsWith("the data are too spread out for float32 distances: column "), e.getMessage());
      assertTrue(e.getMessage().contains(" for 3000 rows of 3 columns; divide the data by 1e"), e.getMessage());
      assertThrows(InputException.class, () -> GaussianMixture.k(2).fit(ds, engine));
      return;
    }
    KMeansResult km = KMeans.k(2).seed(1).fit(ds, engine);
    assertTrue(Double.isFinite(km.model().inertia()), "inertia " + km.model().inertia());
    assertAllFinite(GaussianMixture.k(2).seed(1).fit(ds, engine).model());
    assertAllFinite(GaussianMixture.k(2).covariance(CovarianceType.SPHERICAL).seed(1).fit(ds, engine).model());
  }

  @Test
  void theSpreadLimitFallsWithTheTotalWeight() {
    Dataset ds = scaled(1e14, 100);
    double[] w = new double[100];
    java.util.Arrays.fill(w, 1e20);
    InputException e = assertThrows(InputException.class, () -> KMeans.k(2).fit(ds.withWeights(w), engine));
    assertTrue(e.getMessage().startsWith("the data are too spread out for float32 distances: column "), e.getMessage());
    assertTrue(e.getMessage().contains(" for 3 columns and weights summing to 1.00e+22; divide the data by 1e"),
        e.getMessage());
    java.util.Arrays.fill(w, 1e3);
    assertTrue(Double.isFinite(KMeans.k(2).seed(1).fit(ds.withWeights(w), engine).model().inertia()));
  }

  @ParameterizedTest
  @CsvSource({"1e-30, true", "1e-38, false", "1e-42, false"})
  void aPointStartTooNarrowForTheDataFailsWithAdvice(double regCovar, boolean fits) {
    // k-means++ starts each component at a row with covariance regCovar * I: a squared
    // Mahalanobis distance of |x - mu|^2 / regCovar, beyond float32 for every component of some
    // rows when regCovar is tiny. Every engine refuses the start (16 d s^2 / regCovar above
    // 3.4e38: s about 4.1 here, so regCovar below about 2.4e-36), or the fit is finite.
    Dataset ds = scaled(1, 100);
    for (GmmInit init : new GmmInit[] {GmmInit.KMEANS_PLUS_PLUS, GmmInit.RANDOM_FROM_DATA}) {
      GaussianMixtureResult r;
      try {
        r = GaussianMixture.k(2).init(init).regCovar(regCovar).seed(1).fit(ds, engine);
        assertTrue(fits, init.id() + ": regCovar " + regCovar + " should have been refused");
      } catch (InputException e) {
        assertTrue(!fits, e.getMessage());
        assertTrue(e.getMessage().startsWith("init " + init.id() + " starts every covariance at regCovar, which is "
            + regCovar + ": too small for data of standard deviation "), e.getMessage());
        String advice = e.getMessage().replaceAll(".*use regCovar >= (\\S+) or another init$", "$1");
        double enough = Double.parseDouble(advice);
        assertTrue(regCovar < enough, e.getMessage());
        assertAllFinite(GaussianMixture.k(2).init(init).regCovar(enough).seed(1).fit(ds, engine).model());
        continue;
      }
      assertAllFinite(r.model());
    }
  }

  @ParameterizedTest
  @CsvSource({"1e-10, full", "1e-10, tied", "1e-10, diag", "1e-10, spherical", "1e-12, full", "1e10, tied"})
  void theKMeansStartKeepsTheClustersOfTinyData(double scale, String type) {
    // The start's classification E-step (rows to their nearest K-means centre) compared float32
    // log-densities under the identity covariance: at a scale of 1e-10 every squared distance
    // vanished beside the log normaliser and every row went to component 0 (full: an error;
    // tied: one component of weight 1, silently). Two blobs of 200 rows each here.
    Dataset ds = scaled(scale, 400);
    GaussianMixtureModel m = GaussianMixture.k(2).covariance(CovarianceType.parse(type)).regCovar(0).seed(1)
        .fit(ds, engine).model();
    for (double w : m.weights()) {
      assertEquals(0.5, w, 1e-9, type + " at scale " + scale + ": weights " + java.util.Arrays.toString(m.weights()));
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {1e-20, 1e-30, 1e-40})
  void dataTooConcentratedFailWithAdvice(double scale) {
    Dataset ds = scaled(scale);
    InputException e = assertThrows(InputException.class, () -> KMeans.k(2).fit(ds, engine));
    assertTrue(e.getMessage().startsWith("the data are too concentrated for float32 distances"), e.getMessage());
    assertTrue(e.getMessage().contains("; multiply the data by 1e"), e.getMessage());
    assertThrows(InputException.class, () -> GaussianMixture.k(2).fit(ds, engine));
  }

  @Test
  void anOutlierBeyondFloat32DistancesIsRefusedUpFront() {
    // One row's squared distance to the mean (9e38) overflows float32. The up-front check bounds
    // the rows' squared distances summed, so it refuses such a row before any pass.
    Random rnd = new Random(5);
    double[][] rows = new double[2001][1];
    for (int i = 0; i < 2000; i++) {
      rows[i][0] = rnd.nextGaussian();
    }
    rows[2000][0] = 3e19;
    Dataset ds = Dataset.of(rows);
    InputException e = assertThrows(InputException.class, () -> KMeans.k(1).fit(ds, engine));
    assertTrue(e.getMessage().startsWith("the data are too spread out for float32 distances: column 1 "), e.getMessage());
    assertThrows(InputException.class, () -> GaussianMixture.k(1).fit(ds, engine));
  }

  @Test
  void aStartBeyondFloat32DistancesFailsWithAdvice() {
    // The data pass the up-front check, but a start far outside them puts every squared distance
    // (9e38) beyond float32: the fit must stop with advice rather than write an infinite inertia.
    Random rnd = new Random(5);
    double[][] rows = new double[2000][1];
    for (int i = 0; i < rows.length; i++) {
      rows[i][0] = rnd.nextGaussian();
    }
    Dataset ds = Dataset.of(rows);
    double[][] far = {{3e19}};
    InputException e = assertThrows(InputException.class,
        () -> KMeans.k(1).init(KMeansInit.centres(far)).fit(ds, engine));
    assertEquals("the inertia is Infinity: some rows lie so far from the others that float32 distances overflow;"
        + " remove the outliers or divide the data by a power of ten", e.getMessage());
    assertThrows(InputException.class, () -> GaussianMixture.k(1).meansInit(far).fit(ds, engine));
  }

  @Test
  void identicalRowsFitWithoutNaN() {
    Dataset ds = Dataset.of(new double[][] {{3, 4}, {3, 4}, {3, 4}, {3, 4}});
    KMeansResult r = KMeans.k(2).fit(ds, engine);
    assertEquals(0.0, r.model().inertia(), 0.0);
    GaussianMixtureModel m = GaussianMixture.k(2).fit(ds, engine).model();
    assertAllFinite(m);
    assertArrayEquals(new double[] {3, 4}, m.means()[0], 1e-9);
  }

  @Test
  void aModelRefusesNaN() {
    InputException e = assertThrows(InputException.class,
        () -> new KMeansModel(new double[][] {{1, Double.NaN}}, 0, 1, true));
    assertTrue(e.getMessage().startsWith("centre 0 has a non-finite value NaN; "), e.getMessage());
    assertThrows(InputException.class, () -> new GaussianMixtureModel(CovarianceType.DIAG, new double[] {1},
        new double[][] {{Double.NaN}}, new double[] {1}, true, 1, 0));
    assertThrows(InputException.class, () -> new GaussianMixtureModel(CovarianceType.DIAG, new double[] {1},
        new double[][] {{0}}, new double[] {1}, true, 1, Double.NaN));
  }

  /** Two blobs of unit spread, scaled. */
  private static Dataset scaled(double scale) {
    return scaled(scale, 100);
  }

  /** {@code n} rows of two blobs of unit spread in 3 columns, scaled. */
  private static Dataset scaled(double scale, int n) {
    Random rnd = new Random(3);
    double[][] rows = new double[n][3];
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < 3; j++) {
        rows[i][j] = ((i % 2) * 8 + rnd.nextGaussian()) * scale;
      }
    }
    return Dataset.of(rows);
  }

  private static int[] heavyRows(Dataset ds, int[] labels) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < labels.length; i++) {
      if (ds.weight(i) > 1) {
        kept.add(labels[i]);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  private static void assertAllFinite(GaussianMixtureModel m) {
    for (double v : m.weights()) {
      assertTrue(Double.isFinite(v), "weight " + v);
    }
    for (double[] mean : m.means()) {
      for (double v : mean) {
        assertTrue(Double.isFinite(v), "mean " + v);
      }
    }
    for (double v : m.covariances()) {
      assertTrue(Double.isFinite(v), "covariance " + v);
    }
    assertTrue(Double.isFinite(m.lowerBound()), "lower bound " + m.lowerBound());
  }

  /** Nested arrays flattened in row-major order (scikit-learn's shapes to clmix's flat layouts). */
  private static double[] flat(JsonNode n) {
    List<Double> out = new ArrayList<>();
    collect(n, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      for (JsonNode e : n) {
        collect(e, out);
      }
    } else {
      out.add(n.asDouble());
    }
  }
}
