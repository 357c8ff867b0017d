package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A data set of more than 2^31 values, made from one shared array so the test stays small. */
class DatasetScaleTest {

  @Test
  void moreThan2To31ElementsFromOneSharedChunkArray() {
    int d = 32;
    long n = 100_000_000L;
    int chunkRows = Dataset.defaultChunkRows(d);
    assertEquals(524_288, chunkRows);
    float[] shared = new float[chunkRows * d];
    for (int i = 0; i < chunkRows; i++) {
      for (int j = 0; j < d; j++) {
        shared[i * d + j] = i % 1000 + j / 64f;
      }
    }
    HeapChunk full = new HeapChunk(shared, chunkRows, d);
    int chunks = (int) ((n + chunkRows - 1) / chunkRows);
    int lastRows = (int) (n - (long) (chunks - 1) * chunkRows);
    List<Chunk> list = new ArrayList<>();
    for (int c = 0; c < chunks - 1; c++) {
      list.add(full);
    }
    list.add(new HeapChunk(shared, lastRows, d));
    double[] origin = new double[d];
    origin[0] = 1e6;
    // Assembled as the readers do: the values are finite by construction, and the public
    // constructor's check would read all 3.2e9 of them.
    Dataset ds = Dataset.assembled(d, chunkRows, list, origin);

    assertTrue(ds.rows() * ds.cols() > Integer.MAX_VALUE);
    assertEquals(n, ds.rows());
    assertEquals(191, ds.chunkCount());
    assertEquals(385_280, ds.rowsIn(190));
    assertEquals(190L * chunkRows, ds.chunkStart(190));
    long[] probes = {0, chunkRows - 1, chunkRows, (1L << 31) / d + 7, 3_000_000_017L / d, n - 1};
    for (long i : probes) {
      int c = ds.chunkOf(i);
      assertEquals(i / chunkRows, c);
      assertTrue(ds.chunkStart(c) <= i && i < ds.chunkStart(c) + ds.rowsIn(c));
      int local = (int) (i - ds.chunkStart(c));
      double[] row = ds.row(i);
      assertEquals(local % 1000 + 1e6, row[0], 0);
      assertEquals(local % 1000 + 31 / 64f, row[31], 0);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> ds.row(n));
    assertThrows(IndexOutOfBoundsException.class, () -> ds.chunkOf(-1));
    Dataset tail = ds.slice(100, 191);
    assertEquals(n - 100L * chunkRows, tail.rows());
    assertArrayEquals(ds.row(100L * chunkRows + 5), tail.row(5));
  }
}
