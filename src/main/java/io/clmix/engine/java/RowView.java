package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.java.Blocks.Block;

/**
 * Where a block's rows can be read: the chunk's own heap array at the block's offset, or, for
 * chunks read on demand (memory-mapped), a buffer the block was copied into.
 *
 * @param values row-major values holding the block's rows from {@code offset}
 * @param offset index of the block's first value in {@code values}
 * @param buffer the reusable copy buffer (null when none was needed); pass it to the next call
 */
record RowView(float[] values, int offset, float[] buffer) {

  static RowView of(Dataset data, Block blk, float[] buffer) {
    int d = data.cols();
    float[] heap = data.chunk(blk.chunk()).heapArray();
    if (heap != null) {
      return new RowView(heap, blk.fromRow() * d, buffer);
    }
    float[] buf = buffer != null && buffer.length >= Blocks.BLOCK_ROWS * d ? buffer : new float[Blocks.BLOCK_ROWS * d];
    data.chunk(blk.chunk()).copyRows(blk.fromRow(), blk.rows(), buf, 0);
    return new RowView(buf, 0, buf);
  }
}
