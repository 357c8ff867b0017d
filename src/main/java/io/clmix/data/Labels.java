package io.clmix.data;

/**
 * One integer per row of a {@link Dataset} (a cluster label), stored in arrays aligned with the
 * data set's chunks so that no array exceeds 2<sup>31</sup> elements.
 */
public final class Labels {
  private final int[][] chunks;
  private final int chunkRows;
  private final long size;

  /** Labels for {@code data}, all zero. */
  public static Labels zeros(Dataset data) {
    int[][] c = new int[data.chunkCount()][];
    for (int i = 0; i < c.length; i++) {
      c[i] = new int[data.rowsIn(i)];
    }
    return new Labels(c, data.chunkRows());
  }

  /**
   * Wraps per-chunk arrays (not copied); every array but the last holds {@code chunkRows} labels.
   *
   * @throws InputException for a null array, or arrays of other lengths
   */
  public Labels(int[][] chunks, int chunkRows) {
    InputException.required(chunks, "chunks", "one array of labels per chunk");
    if (chunkRows <= 0) {
      throw InputException.parameter("chunkRows", chunkRows, "an integer >= 1");
    }
    long n = 0;
    for (int i = 0; i < chunks.length; i++) {
      int[] c = InputException.required(chunks[i], "chunks[" + i + "]", "the labels of chunk " + i);
      if (i < chunks.length - 1 ? c.length != chunkRows : c.length > chunkRows) {
        throw new InputException("chunks[" + i + "]: " + c.length + " labels; every chunk but the last holds "
            + chunkRows + " and the last at most that");
      }
      n += c.length;
    }
    this.chunks = chunks;
    this.chunkRows = chunkRows;
    this.size = n;
  }

  /** An independent copy (engines may hand out views of buffers they later overwrite). */
  public Labels copy() {
    int[][] c = new int[chunks.length][];
    for (int i = 0; i < c.length; i++) {
      c[i] = chunks[i].clone();
    }
    return new Labels(c, chunkRows);
  }

  /** Number of labels (rows). */
  public long size() {
    return size;
  }

  /** The label of row {@code i}. */
  public int get(long i) {
    return chunks[(int) (i / chunkRows)][(int) (i % chunkRows)];
  }

  /**
   * The array backing chunk {@code c}, not a copy: the engine that fills the labels writes it,
   * and nobody else may (a fit's result hands out these very labels; {@link #copy} or
   * {@link #toArray} give arrays of one's own).
   */
  public int[] chunk(int c) {
    return chunks[c];
  }

  /** Number of chunks. */
  public int chunkCount() {
    return chunks.length;
  }

  /** All labels in one array; only for data of fewer than 2^31 rows. */
  public int[] toArray() {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(size + " labels do not fit one Java array");
    }
    int[] out = new int[(int) size];
    int o = 0;
    for (int[] c : chunks) {
      System.arraycopy(c, 0, out, o, c.length);
      o += c.length;
    }
    return out;
  }

  /**
   * Number of labels equal to each value in {@code [0, k)}.
   *
   * @throws InputException when {@code k < 1} or a label lies outside {@code [0, k)}
   */
  public long[] counts(int k) {
    if (k < 1) {
      throw InputException.parameter("k", k, "an integer >= 1, the number of clusters");
    }
    long[] out = new long[k];
    for (int c = 0; c < chunks.length; c++) {
      for (int i = 0; i < chunks[c].length; i++) {
        int v = chunks[c][i];
        if (v < 0 || v >= k) {
          throw new InputException("label " + v + " of row " + ((long) c * chunkRows + i + 1) + " lies outside [0, "
              + k + "); pass k of the fit that made the labels");
        }
        out[v]++;
      }
    }
    return out;
  }
}
