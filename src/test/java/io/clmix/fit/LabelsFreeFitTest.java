package io.clmix.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.java.JavaEngine;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fits that keep no labels ({@code keepLabels(false)}): the same model, bit for bit, a result
 * that says so instead of handing out nothing, and estimators whose setters keep the setting
 * (and the listener) they were given.
 */
class LabelsFreeFitTest {
  private static final Dataset DATA = Blobs.of(3000, 3, 4, 5).generate();

  @Test
  void kMeansWithoutLabelsFitsTheSameModel() {
    try (JavaEngine e = new JavaEngine(2)) {
      KMeansResult with = KMeans.k(4).seed(2).nInit(2).fit(DATA, e);
      KMeansResult without = KMeans.k(4).keepLabels(false).seed(2).nInit(2).fit(DATA, e);
      assertTrue(with.hasLabels());
      assertFalse(without.hasLabels());
      assertEquals(with.model().inertia(), without.model().inertia());
      assertArrayEquals(with.model().clusterCenters(), without.model().clusterCenters());
      IllegalStateException ex = assertThrows(IllegalStateException.class, without::labels);
      assertTrue(ex.getMessage().contains("keepLabels(false)"), ex.getMessage());
      // The model's own labels are the ones the fit would have kept.
      assertArrayEquals(with.labels().toArray(), without.model().predict(DATA, e).toArray());
    }
  }

  @Test
  void mixturesWithoutLabelsFitTheSameModel() {
    try (JavaEngine e = new JavaEngine(2)) {
      GaussianMixtureResult with = GaussianMixture.k(4).seed(2).fit(DATA, e);
      GaussianMixtureResult without = GaussianMixture.k(4).keepLabels(false).seed(2).fit(DATA, e);
      assertTrue(with.hasLabels());
      assertFalse(without.hasLabels());
      assertEquals(with.totalLogLikelihood(), without.totalLogLikelihood());
      assertArrayEquals(with.model().means(), without.model().means());
      assertThrows(IllegalStateException.class, without::labels);
      assertArrayEquals(with.labels().toArray(), without.model().predict(DATA, e).toArray());
      // withReport keeps what the fit kept.
      assertFalse(without.withReport(without.report()).hasLabels());
    }
  }

  @Test
  void settersKeepTheListenerAndTheLabelsSetting() {
    AtomicInteger heard = new AtomicInteger();
    FitListener l = new FitListener() {
      @Override
      public void iterationDone(IterationStats stats) {
        heard.incrementAndGet();
      }
    };
    try (JavaEngine e = new JavaEngine(2)) {
      GaussianMixtureResult g = GaussianMixture.k(4).listener(l).keepLabels(false).seed(3).maxIter(2).tol(0)
          .fit(DATA, e);
      assertEquals(2, heard.get(), "the listener set before seed, maxIter and tol still hears the iterations");
      assertFalse(g.hasLabels(), "and the labels setting survives them too");
      heard.set(0);
      KMeansResult k = KMeans.k(4).listener(l).keepLabels(false).seed(3).maxIter(2).tol(0).fit(DATA, e);
      assertTrue(heard.get() >= 1);
      assertFalse(k.hasLabels());
    }
  }
}
