package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clmix.data.Dataset;
import io.clmix.engine.Engine;
import io.clmix.engine.ShardedEngine;
import io.clmix.engine.TestData;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import io.clmix.model.ModelJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The smallest budget that streams a width of data, on data of a few rows in small chunks,
 * sharded across two devices (the same PoCL device opened twice) or not: every shard streams
 * (no refusal), and streamed fits give the bits of resident ones, on one device and on two.
 * Shards of a few rows are where the per-row state's placement once made a budget that streamed
 * the whole data set refuse a shard of it (RowBlocks.leastStreamingBudget). The randomized
 * search this comes from compared the same on thousands of shapes; this keeps a quick slice.
 */
class StreamedShardsOfFewRowsTest {
  /** Rows per data set, with their chunk rows: fewer rows than devices, than k, and around a group. */
  private static final int[][] SHAPES = {{1, 1}, {2, 1}, {5, 2}, {11, 6}, {16, 7}, {31, 10}};

  @Test
  void theLeastBudgetStreamsEveryShardWithTheResidentBits() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    KernelConfig config = KernelConfig.defaultsFor(device);
    long live = OpenCl.liveObjects();
    try (OpenClEngine resident = OpenClEngine.create(device, config);
        ShardedEngine residentShards = pair(device, config)) {
      for (boolean weighted : new boolean[] {false, true}) {
        int d = weighted ? 16 : 3;
        // Four rows with their state on the host: the least budget for any number of rows > 4.
        long budget = 4 * (4L * d + (weighted ? 4 : 0)) + 4 * RowBlocks.STATE_BYTES_PER_ROW;
        KernelConfig small = config.withDeviceMemoryBudget(budget);
        try (OpenClEngine streamed = OpenClEngine.create(device, small);
            ShardedEngine streamedShards = pair(device, small)) {
          for (int[] shape : SHAPES) {
            Dataset data = data(shape[0], d, shape[1], weighted);
            String what = shape[0] + " x " + d + (weighted ? " weighted" : "") + " in chunks of " + shape[1]
                + ", budget " + budget;
            for (Fit fit : fits(shape[0])) {
              Outcome one = fit.run(data, resident);
              assertSame(one, fit.run(data, streamed), what + ", " + fit + ": streamed on one device");
              Outcome two = fit.run(data, residentShards);
              assertSame(two, fit.run(data, streamedShards), what + ", " + fit + ": streamed on two devices");
            }
          }
        }
      }
    }
    assertEquals(live, OpenCl.liveObjects(), "every engine released everything");
  }

  /**
   * Two devices cut as engines that name no work-group alignment are ({@link
   * io.clmix.engine.CountingEngine} does not pass {@code shardRows} on): OpenCL engines would give
   * data this small to one device, and these shards are to be a few rows each.
   */
  private static ShardedEngine pair(ClDeviceInfo device, KernelConfig config) {
    return new ShardedEngine(io.clmix.engine.CountingEngine.all(
        List.of(OpenClEngine.create(device, config), OpenClEngine.create(device, config)), new ArrayList<>()));
  }

  /** Gaussian rows; weighted ones with a third of the weights 0 (one row positive at least). */
  private static Dataset data(int n, int d, int chunkRows, boolean weighted) {
    Dataset data = TestData.blobs(n, d, 2, chunkRows, 71 + n);
    if (!weighted) {
      return data;
    }
    Random rnd = new Random(72 + n);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = rnd.nextInt(3) == 0 ? 0 : 0.5 + rnd.nextDouble();
    }
    w[n / 2] = 1.5;
    return data.withWeights(w);
  }

  private record Outcome(String model, int[] labels) {}

  private interface Fit {
    Outcome run(Dataset data, Engine engine);
  }

  private static List<Fit> fits(int n) {
    List<Fit> out = new ArrayList<>();
    int k = Math.min(3, n);
    out.add(named("K-means k=" + k + ", 2 starts", (data, engine) -> {
      KMeansResult r = KMeans.k(k).nInit(2).seed(73).fit(data, engine);
      return new Outcome(ModelJson.toJson(r.model()), r.labels().toArray());
    }));
    int m = Math.min(2, n);
    for (CovarianceType type : new CovarianceType[] {CovarianceType.DIAG, CovarianceType.FULL}) {
      out.add(named("mixture k=" + m + " " + type, (data, engine) -> {
        GaussianMixtureResult r = GaussianMixture.k(m).covariance(type).maxIter(5).seed(74).fit(data, engine);
        return new Outcome(ModelJson.toJson(r.model()), r.labels().toArray());
      }));
    }
    return out;
  }

  private static Fit named(String name, Fit fit) {
    return new Fit() {
      @Override
      public Outcome run(Dataset data, Engine engine) {
        return fit.run(data, engine);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private static void assertSame(Outcome expected, Outcome actual, String what) {
    assertEquals(expected.model(), actual.model(), what + ": the model, to the bit");
    assertArrayEquals(expected.labels(), actual.labels(), what + ": labels");
  }
}
