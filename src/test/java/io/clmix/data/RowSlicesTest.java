package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineSelector;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.GmmInit;
import io.clmix.model.CovarianceType;
import io.clmix.model.GaussianMixtureModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RowSlices} hands out every row of a chunk once, in order, with the chunk's values; and
 * the loops over every row that use it (column moments, the weighted re-centring, the .npy
 * writer, the random start) read a memory-mapped chunk through a slice instead of a heap copy of the whole chunk,
 * which a small heap could not hold (`score` on a 70 MB mapped file ran out of a 100 MB heap).
 */
class RowSlicesTest {
  @TempDir
  Path dir;

  @Test
  void slicesCoverEveryRowOfEveryChunkInOrder() {
    int d = 1000; // 262 rows per slice of a mapped chunk
    Path f = write("wide.npy", 1500, d, 1);
    ReadOptions opts = ReadOptions.defaults().withChunkRows(700);
    Dataset heap = NpyReader.read(f, opts.withMapThreshold(Long.MAX_VALUE));
    Dataset mapped = NpyReader.read(f, opts.withMapThreshold(0));
    assertNull(mapped.chunk(0).heapArray());
    assertEquals(3, mapped.chunkCount());
    int perSlice = RowSlices.SLICE_FLOATS / d;
    RowSlices fromHeap = new RowSlices(heap);
    RowSlices fromMap = new RowSlices(mapped);
    for (int c = 0; c < mapped.chunkCount(); c++) {
      float[] expected = heap.chunkValues(c, null);
      // A heap chunk is one slice: its own array.
      fromHeap.start(c);
      assertTrue(fromHeap.next());
      assertSame(heap.chunk(c).heapArray(), fromHeap.values());
      assertEquals(0, fromHeap.firstRow());
      assertEquals(heap.rowsIn(c), fromHeap.rows());
      assertFalse(fromHeap.next());
      // A mapped chunk comes in slices of at most perSlice rows, in order, with the same values.
      int row = 0;
      int slices = 0;
      for (fromMap.start(c); fromMap.next(); slices++) {
        assertEquals(row, fromMap.firstRow(), "chunk " + c + " slice " + slices);
        assertTrue(fromMap.rows() >= 1 && fromMap.rows() <= perSlice, "rows " + fromMap.rows());
        for (int i = 0; i < fromMap.rows() * d; i++) {
          assertEquals(expected[row * d + i], fromMap.values()[i]);
        }
        row += fromMap.rows();
      }
      assertEquals(mapped.rowsIn(c), row);
      assertEquals((mapped.rowsIn(c) + perSlice - 1) / perSlice, slices);
    }
  }

  @Test
  void aRandomStartOnMappedRowsHasTheHeapRowsBits() {
    // scikit-learn's "random" start sums every row's random responsibilities on the host; its
    // rows come in several slices per mapped chunk here.
    Path f = write("start.npy", 1500, 1000, 4);
    ReadOptions opts = ReadOptions.defaults().withChunkRows(700);
    double[] w = new double[1500];
    for (int i = 0; i < w.length; i++) {
      w[i] = 1 + i % 5; // each row's weight must come from its own index
    }
    GaussianMixture gm = GaussianMixture.k(3).covariance(CovarianceType.DIAG).init(GmmInit.RANDOM).maxIter(1).seed(6);
    try (EngineSelector.Selection java = EngineSelector.select("java")) {
      Dataset fromHeap = NpyReader.read(f, opts.withMapThreshold(Long.MAX_VALUE)).withWeights(w);
      Dataset fromMap = NpyReader.read(f, opts.withMapThreshold(0)).withWeights(w);
      assertNull(fromMap.chunk(0).heapArray());
      GaussianMixtureModel heap = gm.fit(fromHeap, java.engine()).model();
      GaussianMixtureModel mapped = gm.fit(fromMap, java.engine()).model();
      assertArrayEquals(heap.weights(), mapped.weights());
      for (int c = 0; c < 3; c++) {
        assertArrayEquals(heap.means()[c], mapped.means()[c], "mean " + c);
      }
      assertEquals(heap.lowerBound(), mapped.lowerBound());
    }
  }

  @Test
  void aRowWiderThanASliceIsASliceOfItsOwn() {
    int d = RowSlices.SLICE_FLOATS + 3;
    Path f = write("wider.npy", 3, d, 2);
    Dataset heap = NpyReader.read(f, ReadOptions.defaults().withMapThreshold(Long.MAX_VALUE));
    Dataset mapped = NpyReader.read(f, ReadOptions.defaults().withMapThreshold(0));
    float[] expected = heap.chunkValues(0, null);
    RowSlices s = new RowSlices(mapped);
    int row = 0;
    for (s.start(0); s.next(); row++) {
      assertEquals(row, s.firstRow());
      assertEquals(1, s.rows());
      assertEquals(expected[row * d + d - 1], s.values()[d - 1]);
    }
    assertEquals(3, row);
  }

  @Test
  void loopsOverMappedRowsNeedASliceOfHeapNotAChunk() throws Exception {
    // One chunk of 16 MB (262144 rows of 16 columns), memory-mapped.
    int n = 262_144;
    int d = 16;
    long chunkBytes = 4L * n * d;
    Path f = write("big.npy", n, d, 3);
    Dataset heap = NpyReader.read(f, ReadOptions.defaults().withMapThreshold(Long.MAX_VALUE));
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = i % 3; // zeros included
    }
    Path out = dir.resolve("out.npy");
    Path outHeap = dir.resolve("out-heap.npy");
    // Each loop may take a slice (1 MB) and small change; a copy of the chunk would be 16 MB.
    long slack = 2 * RowSlices.SLICE_FLOATS * 4L;
    long before = allocatedBytes();
    Dataset mapped = NpyReader.read(f, ReadOptions.defaults().withMapThreshold(0));
    assertNull(mapped.chunk(0).heapArray());
    assertEquals(1, mapped.chunkCount());
    double total = mapped.totalWeight();
    double[] mean = mapped.localColumnMean();
    double[] variance = mapped.columnVariance();
    long used = allocatedBytes() - before;
    assertTrue(used < slack, "the moments allocated " + used + " bytes for a chunk of " + chunkBytes);
    before = allocatedBytes();
    Dataset weighted = mapped.withWeights(w);
    double[] weightedVariance = weighted.weightedColumnVariance();
    used = allocatedBytes() - before;
    // Two loops (the re-centring's check and the moments), plus the weights' own copy.
    assertTrue(used < 2 * slack + 4L * n, "the weighted moments allocated " + used + " bytes");
    before = allocatedBytes();
    NpyWriter.write(out, mapped, Precision.FLOAT32);
    used = allocatedBytes() - before;
    assertTrue(used < slack, "the writer allocated " + used + " bytes for a chunk of " + chunkBytes);
    // And the same bits as the heap read, whose loops take the chunk's array as it is.
    assertEquals(heap.totalWeight(), total);
    assertArrayEquals(heap.localColumnMean(), mean);
    assertArrayEquals(heap.columnVariance(), variance);
    assertArrayEquals(heap.withWeights(w).weightedColumnVariance(), weightedVariance);
    NpyWriter.write(outHeap, heap, Precision.FLOAT32);
    assertArrayEquals(Files.readAllBytes(outHeap), Files.readAllBytes(out));
  }

  /** Bytes the current thread has allocated so far (HotSpot's per-thread counter). */
  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** An n x d float32 .npy of values around 5 (so the reader moves the origin). */
  private Path write(String name, int n, int d, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] v = new float[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (5 + rnd.nextGaussian());
    }
    Path f = dir.resolve(name);
    NpyWriter.write(f, Dataset.ofRowMajor(v, d), Precision.FLOAT32);
    return f;
  }
}
