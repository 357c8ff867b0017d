package io.clmix.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Dataset;
import io.clmix.engine.Engine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A model applied to rows so far away that float32 distances overflow refuses them, naming the
 * first such row, instead of returning labels and probabilities made of infinities; on every
 * engine (subclasses), since each computes the float values its own way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FiniteRowsContractTest {
  private static final KMeansModel KM = new KMeansModel(new double[][] {{1, 2}, {6, 7}}, 1, 1, true);
  private static final GaussianMixtureModel GM = new GaussianMixtureModel(CovarianceType.SPHERICAL,
      new double[] {0.5, 0.5}, new double[][] {{1, 2}, {6, 7}}, new double[] {1, 1}, true, 1, -1);
  private static final Dataset NEAR = Dataset.of(new double[][] {{1, 2}, {6, 6}, {2, 2}});
  private static final Dataset FAR = Dataset.of(new double[][] {{1, 2}, {6, 6}, {1e20, -1e20}, {-1e20, 3}});

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

  @Test
  void rowsWithinReachAreLabelled() {
    assertArrayEquals(new int[] {0, 1, 0}, KM.predict(NEAR, engine).toArray());
    assertArrayEquals(new int[] {0, 1, 0}, GM.predict(NEAR, engine).toArray());
    assertTrue(Double.isFinite(GM.score(NEAR, engine)));
    assertEquals(2.0, KM.inertia(NEAR, engine), 1e-6);
  }

  @Test
  void nothingIsPassedOnFromTheChunkOfTheFirstRowBeyondReach() {
    java.util.List<Long> seen = new java.util.ArrayList<>();
    FiniteRows watched = new FiniteRows((chunk, firstRow, rows, labels, values, components) -> seen.add(firstRow),
        "its value");
    watched.accept(0, 0, 2, new int[2], new float[] {1, 2}, null);
    watched.accept(1, 2, 2, new int[2], new float[] {3, Float.POSITIVE_INFINITY}, null);
    watched.accept(2, 4, 2, new int[2], new float[] {5, 6}, null);
    assertEquals(java.util.List.of(0L), seen, "only the chunk before the bad row went out");
    RowOutOfRange e = assertThrows(RowOutOfRange.class, watched::check);
    assertTrue(e.getMessage().startsWith("row 4: its value is Infinity in float32"), e.getMessage());
  }

  @Test
  void theFirstRowBeyondReachIsNamed() {
    for (Runnable pass : new Runnable[] {() -> KM.predict(FAR, engine), () -> KM.inertia(FAR, engine)}) {
      RowOutOfRange e = assertThrows(RowOutOfRange.class, pass::run);
      assertTrue(e.getMessage().startsWith("row 3: its squared distance to the nearest centre is Infinity in float32:"),
          e.getMessage());
    }
    for (Runnable pass : new Runnable[] {() -> GM.predict(FAR, engine), () -> GM.predictProba(FAR, engine),
        () -> GM.score(FAR, engine)}) {
      RowOutOfRange e = assertThrows(RowOutOfRange.class, pass::run);
      assertTrue(e.getMessage().startsWith("row 3: its log-likelihood under the model is -Infinity in float32:"),
          e.getMessage());
    }
    assertEquals("far.csv, row 3: x", new RowOutOfRange("row 3: x").inFile("far.csv").getMessage());
  }
}
