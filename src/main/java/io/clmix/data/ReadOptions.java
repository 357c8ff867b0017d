package io.clmix.data;

/**
 * How {@link DataFiles} lays out the data it reads.
 *
 * @param chunkRows rows per {@link Chunk}; 0 (the default) means
 *     {@link Dataset#defaultChunkRows(int)} for the file's column count. Larger values are
 *     reduced to what one chunk may hold (a Java array, or a 2 GiB mapping).
 * @param mapThresholdBytes a little-endian float32 C-order {@code .npy} file whose values take
 *     more bytes than this is not copied onto the heap but read through memory-mapped chunks,
 *     so data larger than the heap can be fitted. Default: a third of the maximum heap; 0 maps
 *     every such file, {@link Long#MAX_VALUE} none.
 */
public record ReadOptions(int chunkRows, long mapThresholdBytes) {

  public ReadOptions {
    if (chunkRows < 0) {
      throw new IllegalArgumentException("chunkRows must be >= 0 (0 for the default), got " + chunkRows);
    }
    if (mapThresholdBytes < 0) {
      throw new IllegalArgumentException("mapThresholdBytes must be >= 0, got " + mapThresholdBytes);
    }
  }

  /** Default chunking; files over a third of the maximum heap are memory-mapped when their layout allows. */
  public static ReadOptions defaults() {
    return new ReadOptions(0, Runtime.getRuntime().maxMemory() / 3);
  }

  /** These options with {@code chunkRows} rows per chunk (0 for the default). */
  public ReadOptions withChunkRows(int chunkRows) {
    return new ReadOptions(chunkRows, mapThresholdBytes);
  }

  /** These options with a different mapping threshold in bytes. */
  public ReadOptions withMapThreshold(long bytes) {
    return new ReadOptions(chunkRows, bytes);
  }

  /** The rows per chunk to use for {@code cols} columns when each chunk may hold at most {@code maxElements} values. */
  int chunkRowsFor(int cols, long maxElements) {
    long wanted = chunkRows == 0 ? Dataset.defaultChunkRows(cols) : chunkRows;
    return (int) Math.max(1, Math.min(wanted, maxElements / cols));
  }
}
