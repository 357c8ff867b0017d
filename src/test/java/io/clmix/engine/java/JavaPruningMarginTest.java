package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.pruning.BoundTest;
import io.clmix.engine.pruning.CentreMotion;
import io.clmix.engine.pruning.ScoreMargin;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rounding margin of the pruning test against the float32 search itself, where rounding
 * decides: centres far from the origin (so the scores lose digits) and points within a
 * hair of the bisector between two of them, so that the float32 search often picks the centre
 * exact arithmetic would not. The test may only keep a label the search picks, with bounds as
 * tight as they can be (the exact distances, rounded the safe way).
 */
class JavaPruningMarginTest {

  @ParameterizedTest
  @ValueSource(ints = {2, 7, 32, 100})
  void keptLabelsAreTheSearchsLabels(int d) {
    SplittableRandom rng = new SplittableRandom(d);
    int k = 3;
    int trials = 20_000;
    int kept = 0;
    int searchDisagrees = 0;
    int keptNearTies = 0;
    ScoreMargin margin = new ScoreMargin(d);
    for (int t = 0; t < trials; t++) {
      // Centres around a far point, a few units apart; x near the bisector of centres 0 and 1.
      double far = Math.scalb(1.0, rng.nextInt(0, 12));
      float[] c = new float[k * d];
      for (int q = 0; q < k; q++) {
        for (int j = 0; j < d; j++) {
          c[q * d + j] = (float) (far + rng.nextDouble(-2, 2));
        }
      }
      float[] x = new float[d];
      double tilt = Math.scalb(rng.nextDouble(-1, 1), -rng.nextInt(4, 30));
      for (int j = 0; j < d; j++) {
        double mid = 0.5 * ((double) c[j] + c[d + j]);
        x[j] = (float) (mid + tilt * (c[j] - c[d + j]) + Math.scalb(rng.nextDouble(-1, 1), -20) * far);
      }
      double[] exact = new double[k];
      int a = 0;
      for (int q = 0; q < k; q++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          double e = (double) x[j] - c[q * d + j];
          s += e * e;
        }
        exact[q] = Math.sqrt(s);
        if (exact[q] < exact[a]) {
          a = q;
        }
      }
      double other = Double.POSITIVE_INFINITY;
      for (int q = 0; q < k; q++) {
        if (q != a) {
          other = Math.min(other, exact[q]);
        }
      }
      int[] label = new int[1];
      float[] dist = new float[1];
      DistanceKernels.nearestScalar(x, 0, 1, new DistanceKernels.Centres(c, k, d), label, 0, dist, 0);
      if (label[0] != a) {
        searchDisagrees++;
      }
      // The tightest valid state: the exact lower bound, centres that did not move.
      BoundTest test = new BoundTest(margin, CentreMotion.of(c, c, k, d));
      float lower = ScoreMargin.floatDown(other * (1 - 1e-12));
      float da = DistanceKernels.squaredDistance(x, 0, c, a * d, d, DistanceKernels.VECTOR);
      if (test.keep(a, da, lower) >= 0) {
        kept++;
        assertEquals(a, label[0], "kept a label the float32 search does not pick (d=" + d + ", trial " + t + ")");
        if (other - exact[a] < 1e-3 * exact[a]) {
          keptNearTies++;
        }
      }
      // The vector search and the scalar one pick the same label.
      int[] vl = new int[1];
      float[] best = new float[1];
      float[] second = new float[1];
      DistanceKernels.nearestTwo(x, 0, 1, new DistanceKernels.Centres(c, k, d), vl, 0, dist, 0, best, second, 0);
      assertEquals(label[0], vl[0], "nearestTwo and the scalar search");
    }
    assertTrue(searchDisagrees > trials / 50, "the data make the float32 search differ from exact arithmetic ("
        + searchDisagrees + " of " + trials + ")");
    assertTrue(kept > trials / 20, "the test keeps the clear cases (" + kept + " of " + trials + ")");
    assertTrue(keptNearTies > 0, "and some close ones (" + keptNearTies + ")");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 32})
  void lowerBoundsAfterASearchHold(int d) {
    SplittableRandom rng = new SplittableRandom(100 + d);
    int k = 6;
    ScoreMargin margin = new ScoreMargin(d);
    for (int t = 0; t < 5_000; t++) {
      double far = Math.scalb(1.0, rng.nextInt(0, 14));
      float[] c = new float[k * d];
      for (int i = 0; i < c.length; i++) {
        c[i] = (float) (far + rng.nextDouble(-3, 3));
      }
      float[] x = new float[d];
      for (int j = 0; j < d; j++) {
        x[j] = (float) (far + rng.nextDouble(-3, 3));
      }
      int[] label = new int[1];
      float[] dist = new float[1];
      float[] best = new float[1];
      float[] second = new float[1];
      DistanceKernels.nearestTwo(x, 0, 1, new DistanceKernels.Centres(c, k, d), label, 0, dist, 0, best, second, 0);
      BoundTest test = new BoundTest(margin, CentreMotion.of(null, c, k, d));
      double l = ScoreMargin.floatDown(test.lowerAfterScan(dist[0], best[0], second[0]));
      for (int q = 0; q < k; q++) {
        if (q == label[0]) {
          continue;
        }
        double s = 0;
        for (int j = 0; j < d; j++) {
          double e = (double) x[j] - c[q * d + j];
          s += e * e;
        }
        assertTrue(l <= Math.sqrt(s), "lower bound " + l + " above the distance " + Math.sqrt(s) + " to centre " + q);
      }
    }
  }
}
