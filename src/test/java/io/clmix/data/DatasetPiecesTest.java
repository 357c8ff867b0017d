package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Dataset#inPieces}: the same rows, weights and origin in equal chunks that view the
 * original storage, heap or memory-mapped, across its chunk boundaries.
 */
class DatasetPiecesTest {
  @TempDir
  Path dir;

  @Test
  void piecesHoldTheSameRowsWeightsAndOrigin() {
    Dataset heap = Blobs.of(1500, 3, 4, 2).generate(700); // chunks of 700, 700, 100
    double[] w = new double[1500];
    for (int i = 0; i < w.length; i++) {
      w[i] = 1 + i % 7;
    }
    Path f = dir.resolve("rows.npy");
    NpyWriter.write(f, heap, Precision.FLOAT32);
    ReadOptions opts = ReadOptions.defaults().withChunkRows(700);
    for (Dataset data : new Dataset[] {heap.withWeights(w), NpyReader.read(f, opts.withMapThreshold(0)).withWeights(w)}) {
      Dataset pieces = data.inPieces(4);
      assertEquals(4, pieces.chunkCount());
      assertEquals(375, pieces.chunkRows());
      assertEquals(data.rows(), pieces.rows());
      assertEquals(data.wholeRows(), pieces.wholeRows());
      assertArrayEquals(data.origin(), pieces.origin());
      assertNull(pieces.chunk(0).heapArray(), "pieces view the rows; engines read them by copyRows");
      for (long i = 0; i < data.rows(); i++) {
        assertArrayEquals(data.localRow(i), pieces.localRow(i), "row " + i);
        assertEquals(data.weight(i), pieces.weight(i), "weight " + i);
      }
      // A copy that crosses the original's chunk boundary at row 700 (piece 1: rows 375 to 749).
      float[] out = new float[3 * 75];
      pieces.chunk(1).copyRows(300, 75, out, 0);
      for (int r = 0; r < 75; r++) {
        assertArrayEquals(data.localRow(675 + r), java.util.Arrays.copyOfRange(out, 3 * r, 3 * r + 3), "row " + (675 + r));
      }
      assertEquals(data.totalWeight(), pieces.totalWeight());
    }
  }

  @Test
  void piecesNeverExceedTheChunksNorOutnumberTheRows() {
    Dataset data = Blobs.of(200, 2, 2, 3).generate(100);
    assertEquals(2, data.inPieces(1).chunkCount(), "no piece longer than a chunk");
    Dataset five = Blobs.of(5, 2, 2, 3).generate();
    assertEquals(5, five.inPieces(8).chunkCount(), "a row per piece at most");
    assertThrows(IllegalArgumentException.class, () -> five.inPieces(0));
  }
}
