package io.clmix.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clmix.data.InputException;
import org.junit.jupiter.api.Test;

/**
 * Models built in code are held to what a model file must satisfy: a model that could not be
 * saved and loaded back, or whose scores would be off (weights not summing to 1), is refused
 * with an {@link InputException} rather than a NullPointerException or a wrong number later.
 */
class ModelConstructorsTest {
  private static String message(Runnable r) {
    return assertThrows(InputException.class, r::run).getMessage();
  }

  private static GaussianMixtureModel mixture(double[] weights, double lowerBound, int iterations) {
    return new GaussianMixtureModel(CovarianceType.SPHERICAL, weights, new double[][] {{0}, {5}}, new double[] {1, 1},
        true, iterations, lowerBound);
  }

  @Test
  void mixtureWeightsAreProbabilities() {
    assertEquals("weights sum to 5.0; expected probabilities summing to 1 (within 1.0E-6)",
        message(() -> mixture(new double[] {2.5, 2.5}, -1, 3)));
    assertEquals("weights sum to 0.0; expected probabilities summing to 1 (within 1.0E-6)",
        message(() -> mixture(new double[] {0, 0}, -1, 3)));
    // Rounded to float32, as another tool may have saved them: still accepted.
    mixture(new double[] {(float) (1 / 3.0), (float) (2 / 3.0)}, -1, 3);
  }

  @Test
  void mixtureFieldsAreThereAndPlausible() {
    assertEquals("a mixture needs a covariance type, weights, means and covariances; got null",
        message(() -> new GaussianMixtureModel(null, new double[] {1}, new double[][] {{0}}, new double[] {1}, true, 1, 0)));
    assertEquals("a mixture needs means of at least one value",
        message(() -> new GaussianMixtureModel(CovarianceType.SPHERICAL, new double[] {1}, new double[][] {{}},
            new double[] {1}, true, 1, 0)));
    assertEquals("the lower bound is Infinity; a fitted mixture has a number there",
        message(() -> mixture(new double[] {0.5, 0.5}, Double.POSITIVE_INFINITY, 3)));
    assertEquals("iterations: -5 is not allowed; expected an integer >= 0",
        message(() -> mixture(new double[] {0.5, 0.5}, -1, -5)));
  }

  @Test
  void parametersMustFitFloat32WhereTheEnginesCompute() {
    // A variance of 1e-90 made the OpenCL engine answer NaN where the Java engine did not.
    // 2^-300: its precision factor, 2^150, is exact.
    assertEquals("a covariance is too small for float32 arithmetic (precision factor " + Math.scalb(1.0, 150)
        + " beyond 3.4e38); scale the data or raise regCovar", message(() -> new GaussianMixtureModel(
            CovarianceType.SPHERICAL, new double[] {0.5, 0.5}, new double[][] {{5}, {0}},
            new double[] {Math.scalb(1.0, -300), 1}, true, 1, -1)));
    assertEquals("mean 0 has the value 1.0E39, beyond float32's range (3.4e38) in which the engines compute; scale the data",
        message(() -> mixture(new double[] {0.5, 0.5}, -1, 3, new double[][] {{1e39}, {0}})));
    assertEquals("centre 0 has the value 1.0E39, beyond float32's range (3.4e38) in which the engines compute; scale the"
        + " data", message(() -> new KMeansModel(new double[][] {{1e39}, {0}}, 0, 1, true)));
  }

  private static GaussianMixtureModel mixture(double[] weights, double lowerBound, int iterations, double[][] means) {
    return new GaussianMixtureModel(CovarianceType.SPHERICAL, weights, means, new double[] {1, 1}, true, iterations,
        lowerBound);
  }

  @Test
  void kMeansFieldsArePlausible() {
    double[][] c = {{0}, {1}};
    assertEquals("the inertia is Infinity; a fitted K-means model has a finite sum of squares >= 0 there",
        message(() -> new KMeansModel(c, Double.POSITIVE_INFINITY, 1, true)));
    assertEquals("the inertia is -1.0; a fitted K-means model has a finite sum of squares >= 0 there",
        message(() -> new KMeansModel(c, -1, 1, true)));
    assertEquals("iterations: -5 is not allowed; expected an integer >= 0", message(() -> new KMeansModel(c, 0, -5, true)));
    assertEquals("a K-means model needs at least one centre of at least one value",
        message(() -> new KMeansModel(null, 0, 1, true)));
    assertEquals("centre 1 has no values; expected 1", message(() -> new KMeansModel(new double[][] {{0}, null}, 0, 1, true)));
  }

  @Test
  void samplesNeedRoomForTheirLabels() {
    GaussianMixtureModel m = mixture(new double[] {0.5, 0.5}, -1, 3);
    assertEquals("labelsOut holds 2 labels; 5 samples need 5", message(() -> m.sample(5, 1, new int[2])));
    assertEquals(5, m.sample(5, 1, new int[5]).length);
  }

  @Test
  void anAsymmetricCovarianceIsRefused() {
    // Only one triangle reaches the Cholesky factor: the model would score with a matrix other
    // than the one covariances() returns and the model file holds.
    assertEquals("the covariance of component 0 is not symmetric: entry (1, 2) is 0.5 but entry (2, 1) is 0.0",
        message(() -> new GaussianMixtureModel(CovarianceType.FULL, new double[] {1}, new double[][] {{0, 1}},
            new double[] {1, 0.5, 0, 1}, true, 1, -2)));
    assertEquals("the covariance of component 0 is not symmetric: entry (1, 2) is -0.5 but entry (2, 1) is 0.5",
        message(() -> new GaussianMixtureModel(CovarianceType.TIED, new double[] {0.5, 0.5}, new double[][] {{0, 1},
            {2, 3}}, new double[] {2, -0.5, 0.5, 2}, true, 1, -2)));
  }
}
