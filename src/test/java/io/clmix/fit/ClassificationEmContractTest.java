package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The articles' thesis as a test: classification EM (hard responsibilities) for a mixture with
 * equal weights and one shared spherical variance, started from the same centres, makes the
 * same assignments and the same centres as Lloyd's K-means, iteration by iteration.
 */
public abstract class ClassificationEmContractTest {
  protected Engine engine;

  protected abstract Engine createEngine();

  /** Relative tolerance between the two centre estimates (double passes agree to rounding). */
  protected double centreTolerance() {
    return 1e-9;
  }

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

  @ParameterizedTest
  // Not digits: its integer pixels put many points at exactly equal distances from two
  // centres, where float rounding, not the algorithm, decides.
  @ValueSource(strings = {"iris", "wine", "blobs", "breast_cancer"})
  void kMeansIsClassificationEmWithEqualSphericalVariance(String set) {
    Dataset data = Fixtures.data(set);
    var fx = Fixtures.json(set + ".kmeans.json");
    int k = fx.get("k").asInt();
    int d = data.cols();
    double[][] start = Fixtures.matrix(fx.get("fixedStart").get("initCentres"));
    double[][] local = new double[k][];
    for (int c = 0; c < k; c++) {
      local[c] = data.toLocal(start[c]);
    }
    try (DataSession session = engine.open(data)) {
      double[][] centres = local;
      int[] previous = null;
      for (int iter = 1; iter <= 50; iter++) {
        // One classification-EM iteration: hard E-step, then the M-step for the means alone
        // (weights and the shared variance stay fixed and equal).
        MixtureParams p = GmmParams.nearestMean(CovarianceType.SPHERICAL, centres);
        SufficientStats st = session.expect(p, Responsibilities.HARD);
        double[][] next = new double[k][d];
        for (int c = 0; c < k; c++) {
          for (int j = 0; j < d; j++) {
            next[c][j] = st.weight()[c] > 0 ? centres[c][j] + st.sum()[c * d + j] / st.weight()[c] : centres[c][j];
          }
        }
        centres = next;
        int[] cemLabels = labels(session, GmmParams.nearestMean(CovarianceType.SPHERICAL, centres), data);

        KMeansResult km = KMeans.k(k).init(KMeansInit.centres(start)).maxIter(iter).tol(0).fit(session);
        assertArrayEquals(km.labels().toArray(), cemLabels, set + ": labels after iteration " + iter);
        double[][] kc = km.model().clusterCenters();
        for (int c = 0; c < k; c++) {
          double[] cem = data.toGlobal(centres[c]);
          for (int j = 0; j < d; j++) {
            assertEquals(kc[c][j], cem[j], centreTolerance() * Math.max(1, Math.abs(cem[j])), set + ": centre " + c + " after " + iter);
          }
        }
        if (previous != null && java.util.Arrays.equals(previous, cemLabels)) {
          // Classification EM has converged: its assignment no longer changes. K-means, whose
          // iteration i assigns to the centres of iteration i - 1, sees that one pass later.
          KMeansResult full = KMeans.k(k).init(KMeansInit.centres(start)).maxIter(iter + 5).tol(0).fit(session);
          assertTrue(full.model().converged(), set + ": K-means converged where classification EM did");
          assertEquals(iter + 1, full.model().iterations(), set + ": K-means' iteration count");
          return;
        }
        previous = cemLabels;
      }
    }
  }

  private static int[] labels(DataSession s, MixtureParams p, Dataset data) {
    Labels out = Labels.zeros(data);
    s.pointwise(p, (chunk, firstRow, rows, lab, values, comps) -> System.arraycopy(lab, 0, out.chunk(chunk), 0, rows));
    return out.toArray();
  }
}
