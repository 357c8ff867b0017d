package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.Engine;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.OpenClTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * K-means against scikit-learn on the OpenCL engine (PoCL in CI), and the two engines against
 * each other: from the same start, identical labels and iteration counts, inertia equal to
 * 1e-6 relative.
 */
class OpenClKMeansTest extends KMeansContractTest {
  @Override
  protected Engine createEngine() {
    return OpenClTestSupport.requireEngine();
  }

  @ParameterizedTest
  @MethodSource("allSets")
  void theJavaAndOpenClEnginesAgreeFromTheSameStart(String name) {
    Dataset data = Fixtures.data(name);
    var fx = Fixtures.json(name + ".kmeans.json");
    int k = fx.get("k").asInt();
    KMeans km = KMeans.k(k).init(KMeansInit.centres(Fixtures.matrix(fx.get("fixedStart").get("initCentres"))));
    KMeansResult cl = km.fit(data, engine);
    KMeansResult java;
    try (JavaEngine j = new JavaEngine(2)) {
      java = km.fit(data, j);
    }
    assertArrayEquals(java.labels().toArray(), cl.labels().toArray(), name + ": labels");
    assertEquals(java.model().iterations(), cl.model().iterations(), name + ": iterations");
    assertEquals(java.model().inertia(), cl.model().inertia(), 1e-6 * java.model().inertia(), name + ": inertia");
  }
}
