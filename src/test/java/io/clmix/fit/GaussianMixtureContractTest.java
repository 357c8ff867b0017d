package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clmix.data.Dataset;
import io.clmix.engine.Engine;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import io.clmix.model.Model;
import io.clmix.model.ModelJson;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gaussian mixtures against scikit-learn, run on one engine per subclass: from the same initial
 * parameters the lower bound, iteration count, weights, means, covariances and labels agree;
 * best-of-n mean log-likelihood is within 0.2% of scikit-learn's; degenerate data fit.
 */
public abstract class GaussianMixtureContractTest {
  protected Engine engine;

  protected abstract Engine createEngine();

  /** Relative tolerance on the lower bound: 1e-6 for double passes, 1e-4 for float32 devices. */
  protected abstract double lowerBoundTolerance();

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

  static Stream<Arguments> setsAndTypes() {
    List<Arguments> out = new ArrayList<>();
    for (String set : new String[] {"iris", "wine", "breast_cancer", "blobs", "digits"}) {
      for (CovarianceType t : CovarianceType.values()) {
        out.add(Arguments.of(set, t));
      }
    }
    return out.stream();
  }

  /** The fixture's initial parameters as options. */
  static GaussianMixture fromFixture(JsonNode root, CovarianceType t, JsonNode run) {
    JsonNode start = root.get("covarianceTypes").get(t.id()).get("fixedStart");
    int k = root.get("k").asInt();
    double[] prec = flatten(start.get("precisionsInit"));
    return GaussianMixture.k(k).covariance(t)
        .weightsInit(Fixtures.vector(start.get("weightsInit")))
        .meansInit(Fixtures.matrix(start.get("meansInit")))
        .precisionsInit(prec)
        .maxIter(run.get("maxIter").asInt())
        .tol(run.get("tol").asDouble())
        .regCovar(run.get("regCovar").asDouble());
  }

  static double[] flatten(JsonNode n) {
    List<Double> out = new ArrayList<>();
    flattenInto(n, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void flattenInto(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      for (JsonNode c : n) {
        flattenInto(c, out);
      }
    } else {
      out.add(n.asDouble());
    }
  }

  private void checkAgainst(String set, CovarianceType t, String runName) {
    Dataset data = Fixtures.data(set);
    JsonNode root = Fixtures.json(set + ".gmm.json");
    JsonNode run = root.get("covarianceTypes").get(t.id()).get(runName);
    GaussianMixtureResult r = fromFixture(root, t, run).fit(data, engine);
    GaussianMixtureModel m = r.model();
    String what = set + "/" + t.id() + "/" + runName;
    double lb = run.get("lowerBound").asDouble();
    assertEquals(lb, m.lowerBound(), lowerBoundTolerance() * Math.abs(lb), what + ": lower bound");
    assertEquals(run.get("nIter").asInt(), m.iterations(), what + ": iterations");
    assertEquals(run.get("converged").asBoolean(), m.converged(), what + ": converged");
    double tol = 100 * lowerBoundTolerance();
    assertClose(Fixtures.vector(run.get("weights")), m.weights(), tol, 1e-3, what + ": weights");
    assertClose(flatten(run.get("means")), flatten2(m.means()), tol, 1.0, what + ": means");
    double[] cov = flatten(run.get("covariances"));
    assertClose(cov, m.covariances(), tol, maxAbs(cov), what + ": covariances");
    int[] labels = Fixtures.ints(run.get("labels"));
    int[] ours = r.labels().toArray();
    int differ = 0;
    for (int i = 0; i < labels.length; i++) {
      differ += labels[i] != ours[i] ? 1 : 0;
    }
    assertTrue(differ <= labels.length / 1000, what + ": " + differ + " labels differ");
    double bic = run.get("bic").asDouble();
    assertEquals(bic, m.bic(r.totalLogLikelihood(), data.totalWeight()), lowerBoundTolerance() * 10 * Math.abs(bic),
        what + ": BIC");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("setsAndTypes")
  void fiveIterationsFromTheSameStartMatchScikitLearn(String set, CovarianceType t) {
    checkAgainst(set, t, "fixedIterations");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("setsAndTypes")
  void convergedFitFromTheSameStartMatchesScikitLearn(String set, CovarianceType t) {
    checkAgainst(set, t, "fixedStart");
  }

  static Stream<Arguments> bestOfN() {
    List<Arguments> out = new ArrayList<>();
    for (String set : Fixtures.REAL) {
      for (CovarianceType t : CovarianceType.values()) {
        out.add(Arguments.of(set, t));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bestOfN")
  void bestOfFourIsWithinPointTwoPercentOfScikitLearn(String set, CovarianceType t) {
    Dataset data = Fixtures.data(set);
    JsonNode root = Fixtures.json(set + ".gmm.json");
    JsonNode ref = root.get("covarianceTypes").get(t.id()).get("bestOfN").get("4");
    double sklearn = ref.get("median").asDouble();
    GaussianMixtureResult r = GaussianMixture.k(root.get("k").asInt()).covariance(t).nInit(4)
        .regCovar(ref.get("regCovar").asDouble()).seed(0).fit(data, engine);
    double ours = r.totalLogLikelihood() / data.totalWeight();
    assertTrue(ours >= sklearn - 0.002 * Math.abs(sklearn),
        set + "/" + t.id() + ": mean log-likelihood " + ours + " vs scikit-learn's median " + sklearn);
  }

  @ParameterizedTest
  @MethodSource("degenerate")
  void degenerateDataFitThanksToRegCovar(String name, Dataset data, int k) {
    for (CovarianceType t : CovarianceType.values()) {
      GaussianMixtureResult r = GaussianMixture.k(k).covariance(t).seed(1).fit(data, engine);
      assertTrue(Double.isFinite(r.model().lowerBound()), name + "/" + t.id() + ": finite lower bound");
      for (double w : r.model().weights()) {
        assertTrue(Double.isFinite(w), name + "/" + t.id() + ": finite weights");
      }
      for (double c : r.model().covariances()) {
        assertTrue(Double.isFinite(c), name + "/" + t.id() + ": finite covariances");
      }
    }
  }

  static Stream<Arguments> degenerate() {
    double[][] identical = new double[50][];
    double[][] constantColumn = new double[60][];
    double[][] oneColumn = new double[40][];
    for (int i = 0; i < 50; i++) {
      identical[i] = new double[] {3, -1, 7};
    }
    for (int i = 0; i < 60; i++) {
      constantColumn[i] = new double[] {i % 7, 5.0, (i * 13) % 11};
    }
    for (int i = 0; i < 40; i++) {
      oneColumn[i] = new double[] {(i % 2 == 0 ? 0 : 10) + 0.1 * i};
    }
    double[][] few = {{0, 0}, {1, 0}, {0, 1}, {5, 5}};
    return Stream.of(
        Arguments.of("identical rows", Dataset.of(identical), 2),
        Arguments.of("a constant column", Dataset.of(constantColumn), 3),
        Arguments.of("one column", Dataset.of(oneColumn), 2),
        Arguments.of("k = n", Dataset.of(few), 4));
  }

  @Test
  void aModelFileRoundTripGivesTheSameLabelsAndProbabilities() {
    Dataset data = Fixtures.data("wine");
    for (CovarianceType t : CovarianceType.values()) {
      GaussianMixtureModel m = GaussianMixture.k(3).covariance(t).seed(2).fit(data, engine).model();
      Model loaded = ModelJson.fromJson(ModelJson.toJson(m), "round-trip.json");
      GaussianMixtureModel g = (GaussianMixtureModel) loaded;
      assertArrayEquals(m.predict(data, engine).toArray(), g.predict(data, engine).toArray(), t.id());
      double[][] p1 = m.predictProba(data, engine);
      double[][] p2 = g.predictProba(data, engine);
      for (int i = 0; i < p1.length; i++) {
        assertArrayEquals(p1[i], p2[i], 1e-12, t.id() + " row " + i);
      }
      assertEquals(m.lowerBound(), g.lowerBound(), 0.0);
    }
  }

  @Test
  void weightedEmCountsARowWithWeightTwoAsTwoRows() {
    Dataset base = Fixtures.data("iris");
    double[][] doubled = new double[(int) base.rows() + 10][];
    double[] w = new double[(int) base.rows()];
    for (int i = 0; i < base.rows(); i++) {
      doubled[i] = base.row(i);
      w[i] = i < 10 ? 2 : 1;
    }
    for (int i = 0; i < 10; i++) {
      doubled[(int) base.rows() + i] = base.row(i);
    }
    double[][] init = {base.row(0), base.row(60), base.row(120)};
    double[] precisions = new double[3 * 4];
    java.util.Arrays.fill(precisions, 1.0);
    GaussianMixture gm = GaussianMixture.k(3).covariance(CovarianceType.DIAG).meansInit(init)
        .weightsInit(new double[] {0.2, 0.3, 0.5}).precisionsInit(precisions).maxIter(20).tol(0);
    GaussianMixtureModel a = gm.fit(base.withWeights(w), engine).model();
    GaussianMixtureModel b = gm.fit(Dataset.of(doubled), engine).model();
    assertClose(b.weights(), a.weights(), 1e-4, 1e-3, "weights");
    assertClose(flatten2(b.means()), flatten2(a.means()), 1e-4, 1.0, "means");
  }

  static double[] flatten2(double[][] m) {
    return GmmStart.flat(m);
  }

  static double maxAbs(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  static void assertClose(double[] expected, double[] actual, double rel, double scale, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      double tol = rel * Math.max(scale, Math.abs(expected[i]));
      assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
          what + "[" + i + "]: expected " + expected[i] + " but was " + actual[i] + " (tolerance " + tol + ")");
    }
  }
}
