package io.clmix.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable table of {@code n} rows by {@code d} float32 columns: the points to cluster.
 *
 * <p><b>Chunks.</b> Rows are stored in {@link Chunk chunks} of {@link #chunkRows()} consecutive
 * rows (the last chunk may be shorter), so no Java array ever exceeds 2<sup>31</sup> elements:
 * 100 million rows of 32 columns are about 200 chunks of 64 MB. Engines iterate and upload by
 * chunk, and shard or stream chunks across devices.
 *
 * <p><b>Origin.</b> Values are stored relative to an {@link #origin()} (normally the column
 * means): {@code stored = x - origin}. Distances computed as {@code |x|^2 - 2 x.c + |c|^2} lose
 * digits when the data sit far from zero; centring once, when the data are read, keeps them.
 * Everything an engine sees, and every centre or mean the algorithms compute internally, is in
 * these local coordinates; models convert back with {@link #toGlobal(double[])} and new data
 * convert models in with {@link #toLocal(double[])}.
 *
 * <p><b>Weights.</b> Optional non-negative sample weights, one per row, stored per chunk.
 */
public final class Dataset {
  /** Default chunk size in elements (2^24 floats = 64 MB): large enough for a device, small enough to stream. */
  public static final int DEFAULT_CHUNK_ELEMENTS = 1 << 24;

  private final int cols;
  private final long rows;
  private final int chunkRows;
  private final List<Chunk> chunks;
  private final double[] origin;
  private final float[][] weights;
  /** The rows of the data set this one was sliced from, or {@link #rows} (see {@link #wholeRows}). */
  private final long wholeRows;
  /**
   * The weights a reader already centred these rows for ({@link #centredFor}), by reference:
   * {@link #withWeights} with that very array skips its re-centring pass, which would read all
   * the data again (from disk, for memory-mapped data) to reach the reader's decision.
   */
  private double[] centredFor;
  private volatile ColumnMoments moments;

  /**
   * Assembles a data set from chunks. Every chunk but the last must hold exactly
   * {@code chunkRows} rows; the last holds between 1 and {@code chunkRows}.
   *
   * <p>Everything is checked, the values too (one pass over the chunks): chunks come from
   * outside the readers and factories, which have checked theirs already and assemble without
   * that pass. The chunks and weight arrays are kept, not copied, and must not change afterwards.
   *
   * @param cols number of columns (d), at least 1
   * @param chunkRows rows per chunk
   * @param chunks the chunks, in row order, at least one, their values finite
   * @param origin the point the stored values are relative to ({@code d} finite values)
   * @param weights per-chunk sample weights aligned with the chunks (finite, {@code >= 0}, at
   *     least one positive), or {@code null}
   * @throws InputException naming the parameter, chunk, row and column of what is refused
   */
  public Dataset(int cols, int chunkRows, List<? extends Chunk> chunks, double[] origin, float[][] weights) {
    this(cols, chunkRows, checkedChunks(chunks, cols), checkedOrigin(origin), checkedWeights(weights, chunks), -1);
  }

  /**
   * {@link #Dataset(int, int, List, double[], float[][]) The constructor} without its pass over
   * the values, for readers and factories that checked each value as they stored it.
   */
  static Dataset assembled(int cols, int chunkRows, List<? extends Chunk> chunks, double[] origin) {
    return new Dataset(cols, chunkRows, chunks, origin, null, -1);
  }

  private static List<? extends Chunk> checkedChunks(List<? extends Chunk> chunks, int cols) {
    InputException.required(chunks, "chunks", "a list of at least one chunk");
    if (cols <= 0) {
      return chunks; // the constructor names that
    }
    for (int c = 0; c < chunks.size(); c++) {
      Chunk chunk = InputException.required(chunks.get(c), "chunks[" + c + "]", "a chunk of rows");
      int rows = chunk.rows();
      float[] block = new float[Math.max(1, Math.min(rows, 4096)) * cols];
      for (int first = 0; first < rows; first += block.length / cols) {
        int count = Math.min(block.length / cols, rows - first);
        chunk.copyRows(first, count, block, 0);
        for (int e = 0; e < count * cols; e++) {
          if (!Float.isFinite(block[e])) {
            throw new InputException("chunks[" + c + "], row " + (first + e / cols + 1) + ", column " + (e % cols + 1)
                + ": value " + block[e] + " is not a finite number");
          }
        }
      }
    }
    return chunks;
  }

  private static double[] checkedOrigin(double[] origin) {
    InputException.required(origin, "origin", "one finite value per column");
    for (int j = 0; j < origin.length; j++) {
      if (!Double.isFinite(origin[j])) {
        throw InputException.parameter("origin[" + j + "]", origin[j], "a finite number");
      }
    }
    return origin;
  }

  private static float[][] checkedWeights(float[][] weights, List<? extends Chunk> chunks) {
    if (weights == null || chunks == null) {
      return weights;
    }
    boolean positive = false;
    for (int c = 0; c < weights.length && c < chunks.size(); c++) {
      float[] w = InputException.required(weights[c], "weights[" + c + "]", "the weights of chunk " + c);
      for (int i = 0; i < Math.min(w.length, chunks.get(c).rows()); i++) {
        if (!Float.isFinite(w[i]) || w[i] < 0) {
          throw new InputException("weights[" + c + "], row " + (i + 1) + ": value " + w[i]
              + " is not allowed; expected a finite number >= 0");
        }
        positive |= w[i] > 0;
      }
    }
    if (!positive) {
      throw new InputException("weights: all weights are zero; at least one must be positive");
    }
    return weights;
  }

  private Dataset(int cols, int chunkRows, List<? extends Chunk> chunks, double[] origin, float[][] weights,
      long wholeRows) {
    if (cols <= 0) {
      throw new InputException("a data set needs at least one column, got " + cols);
    }
    if (chunkRows <= 0) {
      throw new InputException("chunkRows must be positive, got " + chunkRows);
    }
    if (chunks.isEmpty()) {
      throw new InputException("a data set needs at least one row");
    }
    if (origin.length != cols) {
      throw new InputException("origin has " + origin.length + " values for " + cols + " columns");
    }
    long total = 0;
    for (int c = 0; c < chunks.size(); c++) {
      int r = chunks.get(c).rows();
      boolean last = c == chunks.size() - 1;
      if (last ? (r < 1 || r > chunkRows) : r != chunkRows) {
        throw new InputException("chunk " + c + " has " + r + " rows; expected " + chunkRows);
      }
      if ((long) r * cols > Integer.MAX_VALUE - 8) {
        throw new InputException("chunk " + c + " exceeds the largest Java array");
      }
      total += r;
    }
    if (weights != null) {
      if (weights.length != chunks.size()) {
        throw new InputException("weights have " + weights.length + " chunks; data have " + chunks.size());
      }
      for (int c = 0; c < chunks.size(); c++) {
        if (weights[c].length < chunks.get(c).rows()) {
          throw new InputException("weights of chunk " + c + " are shorter than the chunk");
        }
      }
    }
    this.cols = cols;
    this.rows = total;
    this.chunkRows = chunkRows;
    this.chunks = List.copyOf(chunks);
    this.origin = origin.clone();
    this.weights = weights;
    this.wholeRows = wholeRows < 0 ? total : wholeRows;
  }

  // ---------------------------------------------------------------- factories

  /**
   * A data set from rows of doubles, centred on their mean. Rows must all have the same length.
   *
   * @throws InputException for no rows, a null or ragged row, or a value that is not finite or
   *     beyond float32's range, naming the row and column
   */
  public static Dataset of(double[][] rows) {
    return build(rows, null);
  }

  /**
   * A data set from rows of doubles carrying sample weights, one per row, centred for them as
   * {@link #withWeights} requires. Where rows of weight 0 lie far from the others this keeps
   * the digits of the rows that count, which {@code of(rows).withWeights(weights)} rounds
   * about the plain column means first (as reading a file with its weights does,
   * {@link DataFiles#read(java.nio.file.Path, ReadOptions, java.util.function.Consumer, double[])}).
   *
   * @throws InputException for ragged rows or weights {@link #withWeights} refuses
   */
  public static Dataset of(double[][] rows, double[] weights) {
    InputException.required(weights, "weights", "one sample weight per row");
    return build(rows, weights).withWeights(weights);
  }

  /** {@code rows} centred for {@code weights} (null: on their mean), without attaching them. */
  private static Dataset build(double[][] rows, double[] weights) {
    if (rows == null || rows.length == 0) {
      throw new InputException("a data set needs at least one row");
    }
    DatasetBuilder b = builder(firstRowLength(rows[0]), weights);
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] == null) {
        throw new InputException("row " + (i + 1) + ": null; expected " + rows[0].length + " values");
      }
      b.addRow(rows[i]);
    }
    return b.build();
  }

  /** The width a data set's first row sets; refused when that row is null (rather than taken for no columns). */
  private static int firstRowLength(double[] row) {
    if (row == null) {
      throw new InputException(NULL_FIRST_ROW);
    }
    return row.length;
  }

  private static int firstRowLength(float[] row) {
    if (row == null) {
      throw new InputException(NULL_FIRST_ROW);
    }
    return row.length;
  }

  private static final String NULL_FIRST_ROW = "row 1: null; expected an array of values";

  /**
   * A data set from rows of floats, centred on their mean. Rows must all have the same length.
   *
   * @throws InputException as {@link #of(double[][])}
   */
  public static Dataset of(float[][] rows) {
    if (rows == null || rows.length == 0) {
      throw new InputException("a data set needs at least one row");
    }
    DatasetBuilder b = builder(firstRowLength(rows[0]));
    double[] tmp = new double[rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i];
      if (r == null || r.length != tmp.length) {
        throw new InputException("row " + (i + 1) + ": " + (r == null ? "null" : r.length + " values") + "; expected "
            + tmp.length + " values");
      }
      for (int j = 0; j < r.length; j++) {
        tmp[j] = r[j];
      }
      b.addRow(tmp);
    }
    return b.build();
  }

  /** A data set from {@code values.length / cols} rows stored row-major, centred on their mean. */
  public static Dataset ofRowMajor(float[] values, int cols) {
    if (values == null || cols <= 0 || values.length % cols != 0) {
      throw new InputException((values == null ? "null" : values.length + " values") + " do not form rows of " + cols);
    }
    DatasetBuilder b = builder(cols);
    double[] tmp = new double[cols];
    for (int i = 0; i < values.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        tmp[j] = values[i + j];
      }
      b.addRow(tmp);
    }
    return b.build();
  }

  /** A builder that appends rows one at a time (what the readers use). */
  public static DatasetBuilder builder(int cols) {
    return builder(cols, null);
  }

  /** A builder whose data will carry {@code weights} (null: none), centred for them. */
  private static DatasetBuilder builder(int cols, double[] weights) {
    if (cols <= 0) {
      throw new InputException("a data set needs at least one column, got " + cols);
    }
    return new DatasetBuilder(cols, defaultChunkRows(cols), weights);
  }

  /** A builder with an explicit chunk size, for tests of chunking, streaming and sharding. */
  public static DatasetBuilder builder(int cols, int chunkRows) {
    return new DatasetBuilder(cols, chunkRows);
  }

  /** The default number of rows per chunk for {@code cols} columns. */
  public static int defaultChunkRows(int cols) {
    return Math.max(1, DEFAULT_CHUNK_ELEMENTS / cols);
  }

  // ---------------------------------------------------------------- shape

  /** Number of rows (points), n. */
  public long rows() {
    return rows;
  }

  /** Number of columns (features), d. */
  public int cols() {
    return cols;
  }

  /** Number of chunks. */
  public int chunkCount() {
    return chunks.size();
  }

  /** Nominal rows per chunk; every chunk but the last has exactly this many. */
  public int chunkRows() {
    return chunkRows;
  }

  /** Chunk {@code c}. */
  public Chunk chunk(int c) {
    return chunks.get(c);
  }

  /** Index of the first row of chunk {@code c}. */
  public long chunkStart(int c) {
    return (long) c * chunkRows;
  }

  /** Rows in chunk {@code c}. */
  public int rowsIn(int c) {
    return chunks.get(c).rows();
  }

  /** The chunk that holds row {@code i}. */
  public int chunkOf(long i) {
    checkRow(i);
    return (int) (i / chunkRows);
  }

  // ---------------------------------------------------------------- coordinates

  /** The point the stored values are relative to; a copy. */
  public double[] origin() {
    return origin.clone();
  }

  /** Converts a point from the data's own coordinates into the stored (local) coordinates. */
  public double[] toLocal(double[] point) {
    checkLength(point.length);
    double[] out = new double[cols];
    for (int j = 0; j < cols; j++) {
      out[j] = point[j] - origin[j];
    }
    return out;
  }

  /** Converts a point from stored (local) coordinates back into the data's own coordinates. */
  public double[] toGlobal(double[] local) {
    checkLength(local.length);
    double[] out = new double[cols];
    for (int j = 0; j < cols; j++) {
      out[j] = local[j] + origin[j];
    }
    return out;
  }

  /** Row {@code i} in local coordinates (relative to the origin), as stored. */
  public float[] localRow(long i) {
    int c = chunkOf(i);
    float[] out = new float[cols];
    chunks.get(c).copyRows((int) (i - chunkStart(c)), 1, out, 0);
    return out;
  }

  /** Row {@code i} in the data's own coordinates, in double precision. */
  public double[] row(long i) {
    float[] local = localRow(i);
    double[] out = new double[cols];
    for (int j = 0; j < cols; j++) {
      out[j] = local[j] + origin[j];
    }
    return out;
  }

  // ---------------------------------------------------------------- weights

  /** Whether sample weights are attached. */
  public boolean weighted() {
    return weights != null;
  }

  /**
   * The weights of chunk {@code c} (at least {@code rowsIn(c)} values), or {@code null} when
   * unweighted. The array itself, not a copy (engines read it per pass): not to be modified.
   */
  public float[] chunkWeights(int c) {
    return weights == null ? null : weights[c];
  }

  /** The weight of row {@code i} (1 when unweighted). */
  public double weight(long i) {
    if (weights == null) {
      checkRow(i);
      return 1.0;
    }
    int c = chunkOf(i);
    return weights[c][(int) (i - chunkStart(c))];
  }

  /** Sum of the sample weights (n when unweighted), summed in double in row order. */
  public double totalWeight() {
    return moments().totalWeight;
  }

  /**
   * The same rows with sample weights attached. Weights must be finite, non-negative, not all
   * zero, sum to no more than float32 holds, and there must be exactly one per row.
   *
   * <p>When the origin lies far from the rows of positive weight (more than four weighted
   * root-mean-square radii, as when rows of weight 0 lie far from the others and pulled the
   * column means away), the result is re-centred on their weighted mean: heap chunks are
   * copied and rounded once more (digits the far origin already cost them stay lost; reading
   * the file with the weights, {@link DataFiles#read(java.nio.file.Path, ReadOptions,
   * java.util.function.Consumer, double[])}, keeps them), memory-mapped chunks just take the
   * new origin. Otherwise the rows are shared as they are.
   *
   * @throws InputException naming the first offending weight
   */
  public Dataset withWeights(double[] w) {
    if (w == null) {
      throw new InputException("sample weights: null; expected " + rows + " values (one per row)");
    }
    if (w.length != rows) {
      throw new InputException("sample weights: expected " + rows + " values (one per row), got " + w.length);
    }
    float[][] per = new float[chunks.size()][];
    double sum = 0;
    double smallest = Double.POSITIVE_INFINITY;
    for (int c = 0; c < chunks.size(); c++) {
      int r = chunks.get(c).rows();
      per[c] = new float[r];
      long start = chunkStart(c);
      for (int i = 0; i < r; i++) {
        double v = w[(int) (start + i)];
        if (!Double.isFinite(v) || v < 0) {
          throw new InputException("sample weights: value " + v + " at row " + (start + i + 1)
              + " is not allowed; expected a finite number >= 0");
        }
        if (Problems.tooLarge(v)) {
          // Weights are stored as float32, where this one would be infinite.
          throw new InputException("sample weights: value " + v + " at row " + (start + i + 1) + " " + Problems.TOO_LARGE);
        }
        if (v > 0 && v < Float.MIN_NORMAL) {
          // Stored as float32, it would lose its digits or become 0, a row silently dropped.
          throw new InputException("sample weights: value " + v + " at row " + (start + i + 1) + " is too small: clmix"
              + " stores weights in float32, which holds them from 1.2e-38; multiply the weights by a power of ten"
              + " (fits do not depend on their scale)");
        }
        per[c][i] = (float) v;
        sum += v;
        if (v > 0) {
          smallest = Math.min(smallest, v);
        }
      }
    }
    if (!(sum > 0)) {
      throw new InputException("sample weights: all weights are zero; at least one must be positive");
    }
    if (Problems.tooLarge(sum)) {
      // Devices add weights up in float32 (within a work-group), where this total is infinite.
      // The advice: the least power of ten that brings the total under 1e38, unless it would take
      // the smallest positive weight below float32's normal range, where no scale serves both.
      int power = (int) Math.ceil(Math.log10(sum / 1e38));
      String head = String.format(java.util.Locale.ROOT, "sample weights: the weights sum to %.3g, too large: clmix"
          + " computes in float32, which holds magnitudes up to 3.4e38; ", sum);
      if (smallest / Math.pow(10, power) < Float.MIN_NORMAL) {
        throw new InputException(head + String.format(java.util.Locale.ROOT, "and no power of ten brings them"
            + " within 1.2e-38 to 3.4e38, as the smallest positive weight is %.3g; merge or drop the lightest rows",
            smallest));
      }
      throw new InputException(head + "divide the weights by " + (power == 1 ? "10" : "1e" + power)
          + " (fits do not depend on their scale)");
    }
    return w == centredFor ? new Dataset(cols, chunkRows, chunks, origin, per, wholeRows) : recentred(per);
  }

  /**
   * Marks these rows as read centred for {@code w} ({@link Centring}), so that attaching that same
   * array skips the re-centring pass. Readers call it before the data set is handed out.
   */
  Dataset centredFor(double[] w) {
    this.centredFor = w;
    return this;
  }

  /**
   * These rows with the weights {@code per} attached, moved to the weighted mean of the rows of
   * positive weight when it lies more than {@link Centring#FAR} weighted root-mean-square radii
   * from the origin (rows of weight 0 far from the others pulled the column means away from
   * the rows that count). Chunks on the heap are copied, shifted in double and rounded to
   * float32 again; memory-mapped chunks take the new origin as they are, and keep the file's
   * digits. Data with chunks of other kinds keep their origin, as do data already centred well.
   */
  private Dataset recentred(float[][] per) {
    double[] sum = new double[cols];
    double squares = 0;
    double total = 0;
    RowSlices s = new RowSlices(this);
    for (int c = 0; c < chunks.size(); c++) {
      Chunk ch = chunks.get(c);
      if (!(ch instanceof HeapChunk) && !(ch instanceof MappedChunk)) {
        return new Dataset(cols, chunkRows, chunks, origin, per, wholeRows);
      }
      float[] w = per[c];
      for (s.start(c); s.next(); ) {
        float[] v = s.values();
        for (int i = 0, r = s.rows(); i < r; i++) {
          double wi = w[s.firstRow() + i];
          if (wi > 0) {
            for (int j = 0, o = i * cols; j < cols; j++, o++) {
              double x = v[o];
              sum[j] += wi * x;
              squares += wi * x * x;
            }
            total += wi;
          }
        }
      }
    }
    double[] shift = new double[cols];
    double spread = squares / total;
    for (int j = 0; j < cols; j++) {
      shift[j] = sum[j] / total;
      spread -= shift[j] * shift[j];
    }
    if (!Centring.useWeightedMean(shift, spread)) {
      return new Dataset(cols, chunkRows, chunks, origin, per, wholeRows);
    }
    double[] moved = new double[cols];
    for (int j = 0; j < cols; j++) {
      moved[j] = origin[j] + shift[j];
    }
    List<Chunk> out = new ArrayList<>(chunks.size());
    for (Chunk ch : chunks) {
      if (ch instanceof MappedChunk m) {
        out.add(m.withOrigin(moved));
        continue;
      }
      int n = ch.rows() * cols;
      float[] v = ch.heapArray();
      float[] shifted = new float[n];
      for (int o = 0; o < n; o += cols) {
        for (int j = 0; j < cols; j++) {
          shifted[o + j] = (float) (v[o + j] - shift[j]);
        }
      }
      out.add(new HeapChunk(shifted, ch.rows(), cols));
    }
    return new Dataset(cols, chunkRows, out, moved, per, wholeRows);
  }

  /** The same rows without weights. */
  public Dataset withoutWeights() {
    return weights == null ? this : new Dataset(cols, chunkRows, chunks, origin, null, wholeRows);
  }

  /**
   * The chunks {@code [fromChunk, toChunk)} as a data set of their own, sharing storage, origin
   * and weights. Used to shard a data set across devices.
   */
  public Dataset slice(int fromChunk, int toChunk) {
    if (fromChunk < 0 || toChunk > chunks.size() || fromChunk >= toChunk) {
      throw new IllegalArgumentException("no chunks in [" + fromChunk + ", " + toChunk + ") of " + chunks.size());
    }
    float[][] w = weights == null ? null : Arrays.copyOfRange(weights, fromChunk, toChunk);
    return new Dataset(cols, chunkRows, new ArrayList<>(chunks.subList(fromChunk, toChunk)), origin, w, wholeRows);
  }

  /**
   * The same rows in chunks of {@code rows / pieces} rows, rounded down (at least one row, at
   * most {@link #chunkRows}; the last chunk holds the rest), so at least {@code pieces} chunks
   * when there are that many rows; with the same origin and weights. The values are not copied: the
   * new chunks view this data set's ({@link Chunk#heapArray()} is null, so engines read them as
   * they read memory-mapped chunks); the weights, one float per row, are. Lets
   * {@code ShardedEngine} give every device rows when the data have fewer chunks than there are
   * devices (data of one chunk: under 2^24 values by default).
   */
  public Dataset inPieces(int pieces) {
    if (pieces < 1) {
      throw new IllegalArgumentException("pieces: " + pieces + " is not allowed; expected at least 1");
    }
    return inPiecesOf((int) Math.min(chunkRows, Math.max(1, rows / pieces)));
  }

  /**
   * The same rows in chunks of {@code per} rows (the last holds the rest), viewing these, as
   * {@link #inPieces} makes them. Lets {@code ShardedEngine} cut shards where a device's
   * work-groups end.
   *
   * @param per rows per piece, at least 1, and as many values as one Java array holds
   */
  public Dataset inPiecesOf(int per) {
    if (per < 1 || (long) per * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("per: " + per + " is not allowed; expected 1 to "
          + (Integer.MAX_VALUE - 8) / cols + " rows of " + cols + " values");
    }
    List<Chunk> out = new ArrayList<>();
    List<float[]> w = new ArrayList<>();
    for (long from = 0; from < rows; from += per) {
      int r = (int) Math.min(per, rows - from);
      out.add(new RowRangeChunk(this, from, r));
      if (weights != null) {
        float[] piece = new float[r];
        forEachRun(from, r, (c, in, at, m) -> System.arraycopy(weights[c], in, piece, at, m));
        w.add(piece);
      }
    }
    return new Dataset(cols, per, out, origin, weights == null ? null : w.toArray(new float[0][]), wholeRows);
  }

  /**
   * One run of {@link #forEachRun}: rows {@code [inChunk, inChunk + rows)} of chunk
   * {@code chunk}, which are rows {@code [at, at + rows)} of the range.
   */
  @FunctionalInterface
  public interface ChunkRun {
    void run(int chunk, int inChunk, int at, int rows);
  }

  /**
   * Calls {@code run} for each chunk's part of rows {@code [from, from + count)}, in order: the
   * walk over chunk boundaries that copying a range of rows (or their weights, or their labels)
   * needs.
   */
  public void forEachRun(long from, int count, ChunkRun run) {
    for (int at = 0; at < count; ) {
      int c = chunkOf(from + at);
      int in = (int) (from + at - chunkStart(c));
      int m = Math.min(count - at, rowsIn(c) - in);
      run.run(c, in, at, m);
      at += m;
    }
  }

  /**
   * The rows of the whole data set: of the one this was sliced from ({@link #slice}), else
   * {@link #rows}. An engine that chooses its loops by the size of the work (the Java engine's
   * plain loops for small passes) chooses by this, so the shards of a fit choose as the fit
   * would on one device and give its bits.
   */
  public long wholeRows() {
    return wholeRows;
  }

  // ---------------------------------------------------------------- column statistics

  /**
   * Per-column variance of the rows (unweighted, population variance, as numpy's
   * {@code var(axis=0)}), computed once in double in a fixed order and cached. K-means'
   * tolerance is relative to its mean, as in scikit-learn.
   */
  public double[] columnVariance() {
    return moments().variance.clone();
  }

  /**
   * Per-column variance of the rows as their sample weights count them: a row of weight w
   * counts as w rows, so rows of weight 0 not at all. The spread a fit sees, to which K-means'
   * tolerance and the float32 range check are relative; the same array as
   * {@link #columnVariance} when the data are unweighted.
   */
  public double[] weightedColumnVariance() {
    ColumnMoments m = moments();
    return (m.weightedVariance != null ? m.weightedVariance : m.variance).clone();
  }

  /** Per-column mean of the rows in local coordinates (close to zero when centred on the mean). */
  public double[] localColumnMean() {
    return moments().mean.clone();
  }

  private ColumnMoments moments() {
    ColumnMoments m = moments;
    if (m == null) {
      m = ColumnMoments.of(this);
      moments = m;
    }
    return m;
  }

  /**
   * Column means and variances plus the weight total, computed in two passes in double; for
   * weighted data also the weighted variances (null otherwise).
   */
  private static final class ColumnMoments {
    final double[] mean;
    final double[] variance;
    final double[] weightedVariance;
    final double totalWeight;

    private ColumnMoments(double[] mean, double[] variance, double[] weightedVariance, double totalWeight) {
      this.mean = mean;
      this.variance = variance;
      this.weightedVariance = weightedVariance;
      this.totalWeight = totalWeight;
    }

    static ColumnMoments of(Dataset ds) {
      int d = ds.cols;
      double[] sum = new double[d];
      double[] weightedSum = ds.weights == null ? null : new double[d];
      double totalWeight = 0;
      RowSlices s = new RowSlices(ds);
      for (int c = 0; c < ds.chunkCount(); c++) {
        float[] w = ds.chunkWeights(c);
        for (s.start(c); s.next(); ) {
          float[] v = s.values();
          int r = s.rows();
          for (int i = 0; i < r; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
              sum[j] += v[o + j];
            }
          }
          if (w == null) {
            totalWeight += r;
          } else {
            for (int i = 0; i < r; i++) {
              float wi = w[s.firstRow() + i];
              totalWeight += wi;
              int o = i * d;
              for (int j = 0; j < d; j++) {
                weightedSum[j] += wi * (double) v[o + j];
              }
            }
          }
        }
      }
      double[] mean = new double[d];
      double[] weightedMean = weightedSum == null ? null : new double[d];
      for (int j = 0; j < d; j++) {
        mean[j] = sum[j] / ds.rows;
        if (weightedMean != null) {
          weightedMean[j] = weightedSum[j] / totalWeight;
        }
      }
      double[] sq = new double[d];
      double[] weightedSq = weightedSum == null ? null : new double[d];
      for (int c = 0; c < ds.chunkCount(); c++) {
        float[] w = ds.chunkWeights(c);
        for (s.start(c); s.next(); ) {
          float[] v = s.values();
          for (int i = 0, r = s.rows(); i < r; i++) {
            int o = i * d;
            for (int j = 0; j < d; j++) {
              double e = v[o + j] - mean[j];
              sq[j] += e * e;
            }
            float wi = w == null ? 0 : w[s.firstRow() + i];
            if (wi != 0) {
              for (int j = 0; j < d; j++) {
                double e = v[o + j] - weightedMean[j];
                weightedSq[j] += wi * e * e;
              }
            }
          }
        }
      }
      double[] var = new double[d];
      double[] weightedVar = weightedSq == null || !(totalWeight > 0) ? null : new double[d];
      for (int j = 0; j < d; j++) {
        var[j] = sq[j] / ds.rows;
        if (weightedVar != null) {
          weightedVar[j] = weightedSq[j] / totalWeight;
        }
      }
      return new ColumnMoments(mean, var, weightedVar, totalWeight);
    }
  }

  /**
   * The values of chunk {@code c}: its heap array when it has one, otherwise a copy into
   * {@code buffer} (allocated when null or too small): a whole memory-mapped chunk on the heap,
   * 64 MB at the default chunk size. Loops over every row use {@link RowSlices}, which needs 1 MB.
   */
  public float[] chunkValues(int c, float[] buffer) {
    Chunk ch = chunks.get(c);
    float[] heap = ch.heapArray();
    if (heap != null) {
      return heap;
    }
    int need = ch.rows() * cols;
    float[] out = buffer != null && buffer.length >= need ? buffer : new float[need];
    ch.copyRows(0, ch.rows(), out, 0);
    return out;
  }

  private void checkRow(long i) {
    if (i < 0 || i >= rows) {
      throw new IndexOutOfBoundsException("row " + i + " of " + rows);
    }
  }

  private void checkLength(int len) {
    if (len != cols) {
      throw new IllegalArgumentException("a point of " + len + " values for data of " + cols + " columns");
    }
  }

  @Override
  public String toString() {
    return "Dataset[" + rows + " x " + cols + ", " + chunks.size() + " chunks" + (weights != null ? ", weighted" : "") + "]";
  }
}
