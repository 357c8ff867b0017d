package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clmix.data.InputException;
import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static Workload gmm(CovarianceType t) {
    return Workload.generate(new BenchSpec(BenchSpec.Algo.GMM, t, 500, 3, 4, 2, 1, 5));
  }

  @Test
  void theStartIsTheSameEveryTime() {
    BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 1000, 3, 5, 2, 1, 9);
    Workload a = Workload.generate(spec);
    Workload b = Workload.generate(spec);
    assertArrayEquals(a.startRows(), b.startRows());
    assertArrayEquals(a.startLocal()[4], b.startLocal()[4]);
    double[] global = a.startGlobal()[0];
    assertArrayEquals(a.data().row(a.startRows()[0]), global, 1e-12);
  }

  @Test
  void precisionsHaveTheLayoutOfTheirType() {
    assertEquals(4 * 3 * 3, gmm(CovarianceType.FULL).startPrecisions().length);
    assertEquals(3 * 3, gmm(CovarianceType.TIED).startPrecisions().length);
    assertEquals(4 * 3, gmm(CovarianceType.DIAG).startPrecisions().length);
    assertEquals(4, gmm(CovarianceType.SPHERICAL).startPrecisions().length);
    Workload full = gmm(CovarianceType.FULL);
    double[] p = full.startPrecisions();
    double[] var = full.data().columnVariance();
    assertEquals(1 / var[1], p[(2 * 3 + 1) * 3 + 1], 1e-15); // component 2, entry (1, 1)
    assertEquals(0, p[(2 * 3 + 1) * 3 + 2]);
  }

  @Test
  void startFilesNestPrecisionsInScikitLearnsShapes() {
    JsonNode full = StartFile.toJson(gmm(CovarianceType.FULL));
    assertEquals(4, full.get("precisions").size());
    assertEquals(3, full.get("precisions").get(0).size());
    assertEquals(3, full.get("precisions").get(0).get(0).size());
    assertEquals(4, full.get("means").size());
    assertEquals(4, full.get("weights").size());
    assertEquals(0.25, full.get("weights").get(0).asDouble());
    assertEquals(3, StartFile.toJson(gmm(CovarianceType.TIED)).get("precisions").size());
    assertEquals(4, StartFile.toJson(gmm(CovarianceType.DIAG)).get("precisions").size());
    assertTrue(StartFile.toJson(gmm(CovarianceType.SPHERICAL)).get("precisions").get(0).isNumber());
    JsonNode km = StartFile.toJson(Workload.generate(new BenchSpec(BenchSpec.Algo.KMEANS, null, 100, 2, 3, 4, 1, 0)));
    assertEquals("kmeans", km.get("algo").asText());
    assertEquals(3, km.get("centres").size());
    assertEquals(4, km.get("iterations").asInt());
  }

  @Test
  void specsAreValidatedWithTheOptionsNames() {
    InputException e = assertThrows(InputException.class,
        () -> new BenchSpec(BenchSpec.Algo.KMEANS, null, 10, 2, 3, 0, 1, 0));
    assertTrue(e.getMessage().startsWith("--iters: 0"), e.getMessage());
    assertThrows(InputException.class, () -> new BenchSpec(BenchSpec.Algo.KMEANS, null, 2, 2, 3, 1, 1, 0));
    assertThrows(InputException.class, () -> BenchSpec.Algo.parse("dbscan"));
    assertEquals(CovarianceType.FULL, new BenchSpec(BenchSpec.Algo.GMM, null, 10, 2, 3, 1, 1, 0).covariance());
  }
}
