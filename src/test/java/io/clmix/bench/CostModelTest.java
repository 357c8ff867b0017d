package io.clmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.model.CovarianceType;
import org.junit.jupiter.api.Test;

class CostModelTest {
  private static BenchSpec gmm(CovarianceType t, long n, int d, int k) {
    return new BenchSpec(BenchSpec.Algo.GMM, t, n, d, k, 1, 1, 0);
  }

  @Test
  void kmeansIsTwoNkdPlusNd() {
    CostModel.Cost c = CostModel.perIteration(new BenchSpec(BenchSpec.Algo.KMEANS, null, 500_000, 32, 64, 1, 1, 0));
    assertEquals(2.0 * 500_000 * 64 * 32 + 500_000 * 32, c.flops());
    assertEquals(4.0 * 500_000 * 32, c.bytes());
    assertEquals("2nkd + nd", c.formula());
  }

  @Test
  void fullAndTiedCountTheTriangularProductsBothWays() {
    // d = 3: e = d^2 + 4d = 21, m = d^2 + 3d = 18, per point and component 39 = 2d^2 + 7d.
    assertEquals(10.0 * 2 * 39, CostModel.perIteration(gmm(CovarianceType.FULL, 10, 3, 2)).flops());
    assertEquals(10.0 * 2 * 39, CostModel.perIteration(gmm(CovarianceType.TIED, 10, 3, 2)).flops());
    assertEquals("nk(2d^2 + 7d)", CostModel.perIteration(gmm(CovarianceType.FULL, 10, 3, 2)).formula());
  }

  @Test
  void diagIsEightDAndSphericalSevenDPlusOne() {
    assertEquals(10.0 * 2 * 8 * 3, CostModel.perIteration(gmm(CovarianceType.DIAG, 10, 3, 2)).flops());
    assertEquals(10.0 * 2 * (7 * 3 + 1), CostModel.perIteration(gmm(CovarianceType.SPHERICAL, 10, 3, 2)).flops());
  }

  @Test
  void everyAlgorithmReadsTheFloat32DataOnce() {
    for (CovarianceType t : CovarianceType.values()) {
      assertEquals(4.0 * 100_000 * 16, CostModel.perIteration(gmm(t, 100_000, 16, 16)).bytes());
    }
  }

  @Test
  void theIssuesGpuMixtureIsOnePointFiveTeraflopPerIteration() {
    // n=10M d=32 k=64 full: 10^7 * 64 * (2*1024 + 7*32) = 1.454e12 flop.
    assertEquals(1e7 * 64 * (2 * 1024 + 7 * 32), CostModel.perIteration(gmm(CovarianceType.FULL, 10_000_000, 32, 64)).flops());
  }
}
