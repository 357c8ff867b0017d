package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vectorised nearest-centre search picks exactly the labels of the scalar definition
 * (each lane accumulates its dot product in the same order), for shapes that exercise the
 * row remainder, partial centre tiles and padding.
 */
class DistanceKernelsTest {

  @ParameterizedTest
  @CsvSource({"513, 32, 64", "37, 3, 5", "100, 1, 17", "64, 33, 16", "9, 7, 1", "250, 16, 40"})
  void vectorAndScalarSearchesAgreeLabelForLabel(int rows, int d, int k) {
    assertTrue(DistanceKernels.VECTOR, "the tests run with --add-modules jdk.incubator.vector");
    Random rnd = new Random(rows * 31L + d * 7L + k);
    float[] x = new float[rows * d];
    float[] c = new float[k * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) rnd.nextGaussian();
    }
    if (k > 1) {
      // A duplicated centre: ties must go to the lower index on both paths.
      System.arraycopy(c, 0, c, (k - 1) * d, d);
    }
    DistanceKernels.Centres centres = new DistanceKernels.Centres(c, k, d);
    int[] vl = new int[rows];
    int[] sl = new int[rows];
    float[] vd = new float[rows];
    float[] sd = new float[rows];
    VectorKernels.nearest(x, 0, rows, centres.vector, vl, 0, vd, 0);
    DistanceKernels.nearestScalar(x, 0, rows, centres, sl, 0, sd, 0);
    assertArrayEquals(sl, vl, "labels");
    for (int i = 0; i < rows; i++) {
      assertEquals(sd[i], vd[i], 1e-5f * Math.max(1f, sd[i]), "distance of row " + i);
      assertTrue(k == 1 || vl[i] != k - 1, "the duplicate of centre 0 never wins");
    }
  }

  @ParameterizedTest
  @CsvSource({"513, 32, 64", "37, 3, 5", "250, 16, 40"})
  void smallPassesRunPlainLoopsWithTheSameLabels(int rows, int d, int k) {
    Random rnd = new Random(rows * 13L + d * 5L + k);
    float[] x = new float[rows * d];
    float[] c = new float[k * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rnd.nextGaussian();
    }
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) rnd.nextGaussian();
    }
    DistanceKernels.Centres small =
        DistanceKernels.Centres.withLoops(c, k, d, DistanceKernels.vectorFor((long) rows * k * d));
    DistanceKernels.Centres large =
        DistanceKernels.Centres.withLoops(c, k, d, DistanceKernels.vectorFor(DistanceKernels.SMALL_PASS * k * d));
    assertFalse(small.vectorLoops(), "a pass of " + rows * k * d + " multiply-adds takes the plain loops");
    assertTrue(large.vectorLoops(), "a pass of SMALL_PASS x k x d multiply-adds takes the vector kernel");
    int[] sl = new int[rows];
    int[] ll = new int[rows];
    float[] sd = new float[rows];
    float[] ld = new float[rows];
    DistanceKernels.nearest(x, 0, rows, small, sl, 0, sd, 0);
    DistanceKernels.nearest(x, 0, rows, large, ll, 0, ld, 0);
    assertArrayEquals(ll, sl, "labels");
    for (int i = 0; i < rows; i++) {
      // The small pass's distance is the plain chain of FMAs in column order, bit for bit; the
      // vector kernel's sums its lanes at the end, so it agrees to rounding.
      assertEquals(plainDistance(x, i * d, c, sl[i] * d, d), sd[i], 0f, "plain distance of row " + i);
      assertEquals(VectorKernels.squaredDistance(x, i * d, c, ll[i] * d, d), ld[i], 0f, "vector distance of row " + i);
      assertEquals(ld[i], sd[i], 1e-5f * Math.max(1f, ld[i]), "distances of row " + i);
    }
  }

  @Test
  void smallSeedingAndSumLoopsFollowTheSameThreshold() {
    assertFalse(DistanceKernels.vectorFor(DistanceKernels.SMALL_PASS - 1));
    assertTrue(DistanceKernels.vectorFor(DistanceKernels.SMALL_PASS));
    float[] x = {0.1f, -2.3f, 4.7f, 1.9f, -0.6f, 3.3f};
    float[] c = {1.7f, 0.4f, -2.2f, 0.8f, 5.1f, -1.4f};
    assertEquals(plainDistance(x, 0, c, 0, 6), DistanceKernels.squaredDistance(x, 0, c, 0, 6, false), 0f);
    assertEquals(VectorKernels.squaredDistance(x, 0, c, 0, 6), DistanceKernels.squaredDistance(x, 0, c, 0, 6, true), 0f);
  }

  private static float plainDistance(float[] x, int xo, float[] c, int co, int d) {
    float s = 0f;
    for (int j = 0; j < d; j++) {
      float e = x[xo + j] - c[co + j];
      s = Math.fma(e, e, s);
    }
    return s;
  }

  @ParameterizedTest
  @CsvSource({"1, true", "3, true", "4, true", "9, true", "32, true", "1, false", "9, false", "32, false"})
  void addScaledWidensToDouble(int d, boolean vector) {
    float[] x = new float[d + 3];
    for (int j = 0; j < x.length; j++) {
      x[j] = 1.1f * (j + 1);
    }
    double[] sum = new double[d + 2];
    DistanceKernels.addScaled(sum, 2, x, 3, d, 0.5, vector);
    for (int j = 0; j < d; j++) {
      assertEquals(0.5 * x[3 + j], sum[2 + j], 0.0, "column " + j);
    }
    assertEquals(0.0, sum[0]);
  }
}
