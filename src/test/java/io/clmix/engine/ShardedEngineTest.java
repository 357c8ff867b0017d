package io.clmix.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.Dataset;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GaussianMixtureResult;
import io.clmix.fit.KMeans;
import io.clmix.fit.KMeansResult;
import io.clmix.model.CovarianceType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
    // Data cut into pieces: 9 rows in pieces of 2 (and 1), one shard per engine.
    Dataset nine = Blobs.of(9, 2, 2, 1).generate().inPieces(4);
    List<int[]> four = ShardedEngine.split(nine, 4);
    long[] rows = new long[four.size()];
    for (int s = 0; s < rows.length; s++) {
      int[] r = four.get(s);
      rows[s] = (r[1] == nine.chunkCount() ? nine.rows() : nine.chunkStart(r[1])) - nine.chunkStart(r[0]);
    }
    assertArrayEquals(new long[] {2, 2, 2, 3}, rows, "every engine gets rows");
  }

  /**
   * Shards end where the engines' work-groups end ({@link Engine#shardRows}): data whose chunks
   * are not multiples of those rows are cut into pieces that are, a power of two of them large
   * enough to leave each device four or more; chunks that are multiples are kept; data too small
   * to give each device a group are cut as before.
   */
  @Test
  void shardBoundariesFallWhereTheEnginesWorkGroupsEnd() {
    try (ShardedEngine three = new ShardedEngine(List.of(aligned(512), aligned(256), aligned(512)))) {
      Dataset data = Blobs.of(100_001, 2, 3, 1).generate(1500);
      Dataset parts = three.parts(data);
      assertEquals(8192, parts.chunkRows(), "512 doubled while a piece is at most 100001 / 12 rows");
      long previousEnd = 0;
      for (int[] r : ShardedEngine.split(parts, 3)) {
        assertEquals(previousEnd, parts.chunkStart(r[0]));
        assertEquals(0, parts.chunkStart(r[0]) % 512, "a boundary on a group of every engine");
        long end = r[1] == parts.chunkCount() ? parts.rows() : parts.chunkStart(r[1]);
        assertTrue(Math.abs(end - parts.chunkStart(r[0]) - 100_001 / 3) <= 8192, "balanced to a piece");
        previousEnd = end;
      }
      assertEquals(data.rows(), previousEnd);
      Dataset wholeChunks = Blobs.of(100_001, 2, 3, 1).generate(16_384);
      assertTrue(three.parts(wholeChunks) == wholeChunks, "chunks of a multiple of the pieces are kept");
      Dataset small = Blobs.of(1000, 2, 3, 1).generate(1000);
      assertEquals(512, three.parts(small).chunkRows(), "too few rows for a group each: pieces of a group");
      assertEquals(2, ShardedEngine.split(three.parts(small), 3).size(), "so two devices get rows, not three");
      Dataset tiny = Blobs.of(300, 2, 3, 1).generate(100);
      assertEquals(1, ShardedEngine.split(three.parts(tiny), 3).size(), "one group's worth: one device");
    }
  }

  /** A Java engine whose shard boundaries should be multiples of {@code rows}. */
  private static Engine aligned(long rows) {
    JavaEngine java = new JavaEngine(1);
    return new Engine() {
      @Override
      public EngineInfo info() {
        return java.info();
      }

      @Override
      public DataSession open(Dataset data) {
        return java.open(data);
      }

      @Override
      public long shardRows(Dataset data) {
        return rows;
      }

      @Override
      public void close() {
        java.close();
      }
    };
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
  void shardsChooseTheJavaEnginesLoopsByTheWholeDataSet() {
    // 300k x 16 with k = 8: a Lloyd pass of 38.4M multiply-adds, over the 2^25 line where the
    // Java engine leaves its plain loops, while each half alone (19.2M) is under it. The shards
    // must take the vector loops as the whole fit does, or the inertia differs in its last bits.
    Dataset data = Blobs.of(300_000, 16, 8, 5).generate(50_000);
    assertEquals(300_000, data.slice(0, 3).wholeRows(), "a slice knows the data set it came from");
    assertEquals(150_000, data.slice(0, 3).rows());
    try (JavaEngine one = new JavaEngine(2);
        ShardedEngine many = new ShardedEngine(List.of(new JavaEngine(1), new JavaEngine(1)))) {
      KMeansResult a = KMeans.k(8).seed(3).maxIter(3).tol(0).fit(data, one);
      KMeansResult b = KMeans.k(8).seed(3).maxIter(3).tol(0).fit(data, many);
      assertArrayEquals(a.labels().toArray(), b.labels().toArray());
      assertEquals(a.model().inertia(), b.model().inertia(), 1e-15 * a.model().inertia());
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

  /**
   * Data of fewer chunks than engines (one chunk: all data under 2^24 values, by default) are
   * cut into a piece per engine, so that every device gets rows; the fit, the labels and the
   * per-point results are the single engine's, and a sink still gets each of the caller's
   * chunks whole, once. Two chunks for three engines make a piece that spans both.
   */
  @Test
  void dataOfFewerChunksThanEnginesAreCutIntoPieces() {
    for (int chunkRows : new int[] {20_000, 6000}) {
      Dataset data = TestData.weighted(Blobs.of(10_001, 3, 4, 7).generate(chunkRows), 8);
      List<Long> opened = new java.util.ArrayList<>();
      List<Engine> engines = CountingEngine.all(List.of(new JavaEngine(1), new JavaEngine(1), new JavaEngine(1)), opened);
      String what = data.chunkCount() + " chunk(s)";
      try (JavaEngine one = new JavaEngine(2); ShardedEngine many = new ShardedEngine(engines)) {
        GaussianMixture gm = GaussianMixture.k(4).covariance(CovarianceType.DIAG).seed(2);
        GaussianMixtureResult a = gm.fit(data, one);
        GaussianMixtureResult b = gm.fit(data, many);
        // Pieces of 3333 rows and one of 2; shards end at the boundaries nearest a third each.
        assertEquals(List.of(3333L, 3333L, 3335L), List.copyOf(opened.subList(0, Math.min(3, opened.size()))),
            what + ": a piece per engine");
        assertArrayEquals(a.labels().toArray(), b.labels().toArray(), what);
        assertEquals(a.model().iterations(), b.model().iterations(), what);
        assertEquals(a.model().lowerBound(), b.model().lowerBound(), 1e-12 * Math.abs(a.model().lowerBound()), what);
        // The session's own labels and per-point results, in the caller's chunks.
        Centroids centres = TestData.someCentres(data, 4, 9);
        try (DataSession s1 = one.open(data); DataSession s3 = many.open(data)) {
          s1.assign(centres);
          s3.assign(centres);
          assertEquals(data.chunkCount(), s3.labels().chunkCount(), what);
          assertArrayEquals(s1.labels().toArray(), s3.labels().toArray(), what);
          List<List<Object>> calls = List.of(new java.util.ArrayList<>(), new java.util.ArrayList<>());
          float[][] got = new float[2][10_001 * 4];
          DataSession[] sessions = {s1, s3};
          for (int t = 0; t < 2; t++) {
            int at = t;
            sessions[t].pointwise(b.model().paramsFor(data), new PointSink() {
              @Override
              public boolean wantsComponents() {
                return true;
              }

              @Override
              public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
                calls.get(at).add(List.of(chunk, firstRow, rows));
                System.arraycopy(components, 0, got[at], (int) firstRow * 4, rows * 4);
              }
            });
          }
          assertEquals(calls.get(0), calls.get(1), what + ": one call per chunk of the caller's, whole");
          assertEquals(data.chunkCount(), calls.get(1).size(), what);
          assertArrayEquals(got[0], got[1], what + ": the responsibilities, row by row");
        }
      }
    }
  }

  /**
   * A sharded pass whose caller is interrupted leaves its shards' tasks running (a device pass
   * cannot be stopped half-way). Closing the session then must wait for them: closing a shard
   * under its task freed, on an OpenCL shard, the kernels the task was handing to the driver
   * (a JVM crash in PoCL). The slow shard here waits, uninterruptibly as a device does, until
   * the closing thread is blocked (or, without the wait, done).
   */
  @Test
  void closingAfterAnInterruptedPassWaitsForTheShardsStillRunning() throws Exception {
    Dataset data = Blobs.of(2000, 2, 2, 1).generate(500);
    Centroids centres = Centroids.of(new double[][] {{0, 0}, {1, 1}});
    Holding slow = new Holding(new JavaEngine(1));
    try (ShardedEngine engine = new ShardedEngine(List.of(new JavaEngine(1), slow))) {
      DataSession s = engine.open(data);
      AtomicReference<Throwable> passFailure = new AtomicReference<>();
      Thread fit = new Thread(() -> {
        try {
          s.assign(centres);
        } catch (Throwable t) {
          passFailure.set(t);
        }
      });
      fit.start();
      slow.entered.await();
      fit.interrupt();
      fit.join();
      assertInstanceOf(IllegalStateException.class, passFailure.get(), "the interrupted pass stops");
      Thread closer = new Thread(s::close);
      closer.start();
      while (closer.isAlive() && closer.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
      slow.release.countDown();
      closer.join();
      assertFalse(slow.closedUnderPass.get(), "no shard was closed while its pass ran");
      assertTrue(slow.closed.get(), "every shard was closed");
    }
  }

  /** An engine whose sessions' assign waits for {@link #release}, ignoring interrupts as a device pass does. */
  private static final class Holding implements Engine {
    final Engine engine;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean inPass = new AtomicBoolean();
    final AtomicBoolean closedUnderPass = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    Holding(Engine engine) {
      this.engine = engine;
    }

    @Override
    public EngineInfo info() {
      return engine.info();
    }

    @Override
    public DataSession open(Dataset data) {
      DataSession s = engine.open(data);
      return (DataSession) Proxy.newProxyInstance(DataSession.class.getClassLoader(), new Class<?>[] {DataSession.class},
          (proxy, method, args) -> {
            boolean hold = method.getName().equals("assign");
            if (method.getName().equals("close")) {
              closedUnderPass.compareAndSet(false, inPass.get());
              closed.set(true);
            }
            if (hold) {
              inPass.set(true);
              entered.countDown();
              awaitUninterruptibly(release);
            }
            try {
              return method.invoke(s, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            } finally {
              if (hold) {
                inPass.set(false);
              }
            }
          });
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
      boolean interrupted = false;
      while (latch.getCount() > 0) {
        try {
          latch.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      engine.close();
    }
  }
}
