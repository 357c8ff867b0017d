package io.clmix.engine.java;

import io.clmix.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed partition of a data set into blocks of rows, grouped into slabs.
 *
 * <p>A block is a run of at most {@link #BLOCK_ROWS} rows inside one chunk: the unit of work a
 * thread processes in one go with buffers that fit in cache. A slab is a run of consecutive
 * blocks whose statistics one accumulator collects in row order; slab results are then added
 * in slab order. The partition depends only on the data's shape and the size of the statistics,
 * never on the number of threads, so sums come out bit-identical whatever the thread count.
 */
final class Blocks {
  /** Rows per block. */
  static final int BLOCK_ROWS = 512;
  /** Upper bound on the number of slabs: enough to balance a many-core machine. */
  static final int MAX_SLABS = 64;
  /** Memory budget for all slabs' accumulators together, in doubles (64 MB). */
  static final long ACCUMULATOR_BUDGET = 8L << 20;

  /** One run of rows within a chunk. */
  record Block(int chunk, int fromRow, int rows, long firstRow) {}

  private final List<Block> blocks;
  /** Index of each chunk's first block, plus the total at the end. */
  private final int[] chunkFirstBlock;

  private Blocks(List<Block> blocks, int[] chunkFirstBlock) {
    this.blocks = blocks;
    this.chunkFirstBlock = chunkFirstBlock;
  }

  /** Cuts {@code data} into blocks of at most {@link #BLOCK_ROWS} rows that never straddle chunks. */
  static Blocks of(Dataset data) {
    List<Block> list = new ArrayList<>();
    int[] first = new int[data.chunkCount() + 1];
    for (int c = 0; c < data.chunkCount(); c++) {
      first[c] = list.size();
      int rows = data.rowsIn(c);
      long start = data.chunkStart(c);
      for (int r = 0; r < rows; r += BLOCK_ROWS) {
        int len = Math.min(BLOCK_ROWS, rows - r);
        list.add(new Block(c, r, len, start + r));
      }
    }
    first[data.chunkCount()] = list.size();
    return new Blocks(List.copyOf(list), first);
  }

  /**
   * How many slabs a pass whose accumulator holds {@code statsSize} doubles uses: as many as
   * balance the load, as few as the memory budget requires. Depends only on the data's shape.
   */
  int slabCount(long statsSize) {
    long byBudget = Math.max(1, ACCUMULATOR_BUDGET / Math.max(1, statsSize));
    return (int) Math.max(1, Math.min(Math.min(MAX_SLABS, byBudget), blocks.size()));
  }

  int blockCount() {
    return blocks.size();
  }

  Block block(int i) {
    return blocks.get(i);
  }

  /** First block of chunk {@code c}. */
  int chunkFrom(int c) {
    return chunkFirstBlock[c];
  }

  /** One past the last block of chunk {@code c}. */
  int chunkTo(int c) {
    return chunkFirstBlock[c + 1];
  }

  /** First block of slab {@code s} of {@code slabs}. */
  int slabFrom(int s, int slabs) {
    return (int) ((long) blocks.size() * s / slabs);
  }

  /** One past the last block of slab {@code s} of {@code slabs}. */
  int slabTo(int s, int slabs) {
    return slabFrom(s + 1, slabs);
  }
}
