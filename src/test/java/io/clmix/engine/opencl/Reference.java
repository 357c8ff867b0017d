package io.clmix.engine.opencl;

import io.clmix.engine.KMeansReference;
import io.clmix.engine.TestData;

/**
 * Test data and tolerance checks shared by the OpenCL tests. The data come from
 * {@link TestData} and the reference K-means pass they check the kernels against is
 * {@link KMeansReference}, both shared with the engine contract tests; the data methods here
 * only keep the OpenCL tests' {@code TestData.blobs(...)} calls short.
 */
final class Reference {
  private Reference() {}

  /** |expected - actual| <= rel * max(scale, |expected|) for every element. */
  static void assertClose(double[] expected, double[] actual, double rel, double scale, String what) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], rel, scale, what + "[" + i + "]");
    }
  }

  static void assertClose(double expected, double actual, double rel, double scale, String what) {
    double tol = rel * Math.max(scale, Math.abs(expected));
    org.junit.jupiter.api.Assertions.assertTrue(Math.abs(expected - actual) <= tol,
        what + ": expected " + expected + " but was " + actual + " (tolerance " + tol + ")");
  }
}
