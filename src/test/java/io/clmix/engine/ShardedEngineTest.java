package io.clmix.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sharding the chunks across devices gives the single-device fit. */
class ShardedEngineTest {

  @Test
  void shardsAreContiguousBalancedAndCoverEveryChunk() {
    Dataset data = Blobs.of(10_000, 2, 3, 1).generate(700);
    List<int[]> ranges = ShardedEngine.split(data, 3);
    assertEquals(3, ranges.size());
    assertEquals(0, ranges.get(0)[0]);
    assertEquals(data.chunkCount(), ranges.get(2)[1]);
    for (int s = 1; s < 3; s++) {
      assertEquals(ranges.get(s - 1)[1], ranges.get(s)[0], "contiguous");
    }
    for (int[] r : ranges) {
      long rows = data.chunkStart(r[1] - 1) + data.rowsIn(r[1] - 1) - data.chunkStart(r[0]);
      assertTrue(Math.abs(rows - 10_000 / 3) <= 700, "balanced within a chunk: " + rows);
    }
    assertEquals(1, ShardedEngine.split(Blobs.of(100, 2, 2, 1).generate(), 4).size(), "never more shards than chunks");
  }

  @Test
  void kMeansOnShardsEqualsKMeansOnOneEngine() {
    Dataset data = Blobs.of(20_000, 4, 6, 2).generate(1500);
    try (JavaEngine one = new JavaEngine(2);
        ShardedEngine many = new ShardedEngine(List.of(new JavaEngine(1), new JavaEngine(1), new JavaEngine(1)))) {
      KMeansResult a = KMeans.k(6).nInit(2).seed(4).fit(data, one);
      KMeansResult b = KMeans.k(6).nInit(2).seed(4).fit(data, many);
      assertArrayEquals(a.labels().toArray(), b.labels().toArray());
      assertEquals(a.model().iterations(), b.model().iterations());
      assertEquals(a.model().inertia(), b.model().inertia(), 1e-12 * a.model().inertia());
    }
  }

  @Test
  void gaussianMixtureOnShardsEqualsOneEngine() {
    Dataset data = Blobs.of(12_000, 3, 4, 3).generate(1000);
    try (JavaEngine one = new JavaEngine(2);
        ShardedEngine many = new ShardedEngine(List.of(new JavaEngine(1), new JavaEngine(2)))) {
      GaussianMixtureResult a = GaussianMixture.k(4).covariance(CovarianceType.FULL).seed(1).fit(data, one);
      GaussianMixtureResult b = GaussianMixture.k(4).covariance(CovarianceType.FULL).seed(1).fit(data, many);
      assertArrayEquals(a.labels().toArray(), b.labels().toArray());
      assertEquals(a.model().iterations(), b.model().iterations());
      assertEquals(a.model().lowerBound(), b.model().lowerBound(), 1e-12 * Math.abs(a.model().lowerBound()));
    }
  }
}
