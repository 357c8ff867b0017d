package io.clmix.engine.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * The bounds {@link SettledRows} takes instead of SVDs ({@link SingularBounds}): they hold the
 * singular values EJML's SVD finds, on either side of the point where the SVD takes over, and are
 * tight near the identity, where settling needs them.
 */
class SingularBoundsTest {
  private static double[] svdRange(DMatrixRMaj m) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double v : SingularOps_DDRM.singularValues(m.copy())) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return new double[] {lo, hi};
  }

  /** The identity plus a random perturbation of entries up to {@code step}; upper triangular when asked. */
  private static DMatrixRMaj nearIdentity(int d, double step, boolean upper, SplittableRandom rng) {
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    for (int i = 0; i < d; i++) {
      for (int j = upper ? i : 0; j < d; j++) {
        m.set(i, j, (i == j ? 1 : 0) + step * (2 * rng.nextDouble() - 1));
      }
    }
    return m;
  }

  @Test
  void theRangeHoldsEverySingularValue() {
    SplittableRandom rng = new SplittableRandom(71);
    for (int d : new int[] {1, 2, 5, 16, 33}) {
      for (double step : new double[] {1e-6, 1e-3, 0.01, 0.05, 0.2, 1.0}) {
        for (int trial = 0; trial < 20; trial++) {
          DMatrixRMaj r = nearIdentity(d, step, trial % 2 == 0, rng);
          double[] exact = svdRange(r);
          double[] bound = SingularBounds.range(r);
          String at = "d=" + d + " step=" + step + " trial " + trial;
          assertTrue(bound[0] <= exact[0], at + ": lower " + bound[0] + " above the smallest " + exact[0]);
          assertTrue(bound[1] >= exact[1], at + ": upper " + bound[1] + " below the largest " + exact[1]);
        }
      }
    }
  }

  @Test
  void theDeviationBoundsTheSpectralRadiusAndIsTightNearTheIdentity() {
    SplittableRandom rng = new SplittableRandom(72);
    for (int d : new int[] {1, 2, 16, 32}) {
      for (double step : new double[] {1e-6, 1e-3, 0.05}) {
        for (int trial = 0; trial < 10; trial++) {
          DMatrixRMaj r = nearIdentity(d, step, trial % 2 == 0, rng);
          double[] sv = svdRange(r);
          // R^T R - I has eigenvalues sigma^2 - 1.
          double radius = Math.max(Math.abs(sv[1] * sv[1] - 1), Math.abs(sv[0] * sv[0] - 1));
          double bound = SingularBounds.identityDeviation(r);
          String at = "d=" + d + " step=" + step + " trial " + trial;
          assertTrue(bound >= radius, at + ": " + bound + " below the radius " + radius);
          // Within d^(1/32) (1.11 for d = 32) of the radius, plus the rounding allowance.
          assertTrue(bound <= 1.12 * radius + 1e-11, at + ": " + bound + " against the radius " + radius);
        }
      }
    }
  }

  @Test
  void theRadiusBoundHoldsForIndefiniteAndTinyMatrices() {
    SplittableRandom rng = new SplittableRandom(75);
    for (double magnitude : new double[] {1e-200, 1e-8, 1, 1e150}) {
      int d = 9;
      DMatrixRMaj h = new DMatrixRMaj(d, d);
      for (int i = 0; i < d; i++) {
        for (int j = i; j < d; j++) {
          double v = magnitude * (2 * rng.nextDouble() - 1);
          h.set(i, j, v);
          h.set(j, i, v);
        }
      }
      DMatrixRMaj sym = h.copy();
      double radius = 0;
      org.ejml.interfaces.decomposition.EigenDecomposition_F64<DMatrixRMaj> eig =
          org.ejml.dense.row.factory.DecompositionFactory_DDRM.eig(d, false, true);
      assertTrue(eig.decompose(sym), "the reference decomposition");
      for (int i = 0; i < d; i++) {
        radius = Math.max(radius, Math.abs(eig.getEigenvalue(i).getReal()));
      }
      double bound = SingularBounds.spectralRadiusAtMost(h.data.clone(), d);
      assertTrue(bound >= radius * (1 - 1e-12), magnitude + ": " + bound + " below the radius " + radius);
      assertTrue(bound <= 1.1 * radius + 1e-11, magnitude + ": " + bound + " against the radius " + radius);
    }
    assertEquals(0.0, SingularBounds.spectralRadiusAtMost(new double[4], 2), 0.0, "the zero matrix");
  }

  @Test
  void farFromTheIdentityTheRangeIsTheSvds() {
    SplittableRandom rng = new SplittableRandom(73);
    DMatrixRMaj r = nearIdentity(8, 2.0, false, rng);
    assertTrue(SingularBounds.identityDeviation(r) > SingularBounds.NEAR_IDENTITY, "a far matrix");
    double[] exact = svdRange(r);
    double[] bound = SingularBounds.range(r);
    assertEquals(exact[0], bound[0], 1e-12 * exact[1], "smallest");
    assertEquals(exact[1], bound[1], 1e-12 * exact[1], "largest");
  }

  @Test
  void theConditionBoundIsAboveTheSvdsAndExactBeyondTheLimit() {
    SplittableRandom rng = new SplittableRandom(74);
    for (int d : new int[] {1, 3, 16, 32}) {
      for (int trial = 0; trial < 20; trial++) {
        DMatrixRMaj u = nearIdentity(d, 0.3, true, rng);
        // Stretch a column now and then: condition numbers from about 1 to 10^5.
        double scale = Math.pow(10, trial % 6);
        for (int i = 0; i < d; i++) {
          u.set(i, d - 1, u.get(i, d - 1) * scale);
        }
        double[] sv = svdRange(u);
        double exact = sv[1] / sv[0];
        double bound = SingularBounds.conditionAtMost(u, 1e3);
        String at = "d=" + d + " trial " + trial;
        assertTrue(bound >= exact * (1 - 1e-9), at + ": " + bound + " below the condition " + exact);
        if (bound > 1e3) {
          assertEquals(exact, bound, 1e-9 * exact, at + ": beyond the limit, the SVD's");
        }
        // The comparison every caller makes comes out as the exact one's.
        assertEquals(exact <= 1e3, bound <= 1e3, at + ": " + exact + " against " + bound);
      }
    }
  }

  @Test
  void aRescalingGetsItsExactFactor() {
    // R = c I: every singular value is c. Centred on the trace, the bound is exact up to
    // rounding, where the one centred on the identity would be |c^2 - 1| d^(1/32) wide.
    for (int d : new int[] {1, 3, 16}) {
      for (double c : new double[] {0.8, 0.95, 0.999, 1.0, 1.001, 1.05, 1.15}) {
        DMatrixRMaj r = new DMatrixRMaj(d, d);
        for (int i = 0; i < d; i++) {
          r.set(i, i, c);
        }
        double[] range = SingularBounds.range(r);
        String at = "d=" + d + " c=" + c + ": " + range[0] + " to " + range[1];
        assertTrue(range[0] <= c * (1 + 1e-13) && range[1] >= c * (1 - 1e-13), at + " must hold c");
        assertTrue(range[0] >= c * (1 - 1e-9) && range[1] <= c * (1 + 1e-9), at + " must be tight");
      }
    }
  }

  @Test
  void diagonalMatricesHoldTheirKnownSingularValues() {
    SplittableRandom rng = new SplittableRandom(76);
    for (int d : new int[] {2, 7, 16}) {
      for (double spread : new double[] {1e-9, 1e-4, 0.02, 0.1}) {
        for (int trial = 0; trial < 10; trial++) {
          DMatrixRMaj r = new DMatrixRMaj(d, d);
          double lo = Double.POSITIVE_INFINITY;
          double hi = 0;
          double centre = 1 + (trial % 3 - 1) * spread; // below, at or above the identity
          for (int i = 0; i < d; i++) {
            double v = centre + spread * (2 * rng.nextDouble() - 1);
            r.set(i, i, v);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
          double[] range = SingularBounds.range(r);
          String at = "d=" + d + " spread=" + spread + " trial " + trial + ": [" + range[0] + ", " + range[1]
              + "] against [" + lo + ", " + hi + "]";
          assertTrue(range[0] <= lo * (1 + 1e-13) && range[1] >= hi * (1 - 1e-13), at);
        }
      }
    }
  }

  @Test
  void infiniteEntriesGiveNaNRatherThanAFailedSvd() {
    double[][][] cases = {{{Double.POSITIVE_INFINITY}}, {{Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, {0, 1}},
        {{1, Double.NEGATIVE_INFINITY}, {0, 1}}};
    for (double[][] m : cases) {
      double[] range = SingularBounds.range(new DMatrixRMaj(m));
      assertTrue(Double.isNaN(range[0]) && Double.isNaN(range[1]), java.util.Arrays.deepToString(m));
    }
  }

  @Test
  void singularAndNotFiniteMatricesSayNoBound() {
    DMatrixRMaj singular = new DMatrixRMaj(new double[][] {{1, 2}, {0, 0}});
    assertTrue(!(SingularBounds.conditionAtMost(singular, 1e3) <= 1e3), "a singular factor");
    DMatrixRMaj nan = new DMatrixRMaj(new double[][] {{1, Double.NaN}, {0, 1}});
    double[] range = SingularBounds.range(nan);
    assertTrue(Double.isNaN(range[0]) && Double.isNaN(range[1]), "NaN in, NaN out");
  }
}
