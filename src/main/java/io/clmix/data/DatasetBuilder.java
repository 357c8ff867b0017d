package io.clmix.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Dataset} one row at a time, centred on the column means.
 *
 * <p>The means are unknown until the last row, so rows are first stored relative to a
 * reference point inside the cloud, which already keeps float32 values at the scale of the
 * data's spread rather than its offset from zero, and {@link #build()} shifts them once more by
 * the exact mean of those differences. Values arrive in double, so data far from the origin keep
 * the digits that a float32 conversion of the raw values would lose.
 *
 * <p><b>The reference</b> is the first row, unless that row lies far from the others: the first
 * rows (1024, fewer for wide data) are held in double until it is chosen, and when the first row is
 * more than {@link #FAR_FIRST} times the median distance of those rows from their coordinate-wise
 * median (a robust centre), that median is the reference instead, so a stray first row does not
 * cost every other row its digits. Data whose first row is an ordinary one are stored exactly as
 * before (the same bits).
 *
 * <p><b>Sample weights</b> given to the builder (the weights a reader will attach) centre the
 * data as {@link Centring} says: the reference is the first row of positive weight, and the
 * origin the weighted mean of those rows when the plain mean lies far from them. Weights that
 * cannot serve (wrong length, negative, none positive) centre nothing; attaching them reports
 * the problem.
 *
 * <p>Not thread-safe. Callers validate values (finite, right count) before adding them; the
 * builder only checks the row length.
 */
public final class DatasetBuilder {
  /** A first row this many times the rows' median distance from their median is not a reference. */
  static final double FAR_FIRST = 256;

  /** Values held in double before the reference is chosen (the rows are at most 1024). */
  private static final int PENDING_ELEMENTS = 1 << 20;

  private final int cols;
  private final int chunkRows;
  private final List<float[]> chunks = new ArrayList<>();
  private final double[] shiftSum;
  /** The weights to centre for, or null; {@link #weightsOk} turns false when there are more rows. */
  private final double[] weights;
  private boolean weightsOk;
  private final double[] weightedSum;
  private double weightedSquares;
  private double weightTotal;
  private final int pendingRows;
  private double[] pending;
  private int pendingCount;
  private double[] first;
  private float[] current;
  private int rowsInCurrent;
  private long rows;
  private boolean built;

  DatasetBuilder(int cols, int chunkRows) {
    this(cols, chunkRows, null);
  }

  /**
   * @param weights the sample weights the data will carry, one per row, to centre the data for
   *     (see the class comment); null for plain column means. Not copied.
   */
  DatasetBuilder(int cols, int chunkRows, double[] weights) {
    if (cols <= 0) {
      throw new IllegalArgumentException("a data set needs at least one column, got " + cols);
    }
    if (chunkRows <= 0 || (long) chunkRows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("chunkRows " + chunkRows + " is not usable with " + cols + " columns");
    }
    this.cols = cols;
    this.chunkRows = chunkRows;
    this.shiftSum = new double[cols];
    this.weights = Centring.usable(weights, -1);
    this.weightsOk = this.weights != null;
    this.weightedSum = this.weights == null ? null : new double[cols];
    this.pendingRows = Math.max(1, Math.min(1024, PENDING_ELEMENTS / cols));
  }

  /**
   * The builder hands its chunks to the data set it builds; used again it would build one whose
   * row count no longer matched its (cleared) chunks.
   */
  private void requireNotBuilt() {
    if (built) {
      throw new IllegalStateException("this DatasetBuilder has already built its data set; start a new one");
    }
  }

  /** Number of columns every row must have. */
  public int cols() {
    return cols;
  }

  /** Rows added so far. */
  public long rows() {
    return rows + pendingCount;
  }

  /**
   * Appends one row of {@code cols()} finite values (within float32's range, as they are stored).
   *
   * @throws InputException naming the row (counted from 1) and, for a bad value, its column and
   *     value: {@code "row 2, column 1: value NaN is not a finite number"}
   */
  public DatasetBuilder addRow(double[] row) {
    requireNotBuilt();
    long number = rows + pendingCount + 1;
    if (row == null) {
      throw new InputException("row " + number + ": null; expected " + cols + " values");
    }
    if (row.length != cols) {
      throw new InputException("row " + number + ": " + row.length + " values; expected " + cols);
    }
    for (int j = 0; j < cols; j++) {
      double v = row[j];
      if (!Double.isFinite(v)) {
        throw new InputException("row " + number + ", column " + (j + 1) + ": value " + v + " is not a finite number");
      }
      if (Problems.tooLarge(v)) {
        throw new InputException("row " + number + ", column " + (j + 1) + ": value " + v + " " + Problems.TOO_LARGE);
      }
    }
    if (first == null) {
      if (pending == null) {
        pending = new double[Math.min(pendingRows, 16) * cols];
      } else if ((pendingCount + 1) * cols > pending.length) {
        pending = java.util.Arrays.copyOf(pending, Math.min(pendingRows, 2 * pendingCount) * cols);
      }
      System.arraycopy(row, 0, pending, pendingCount * cols, cols);
      pendingCount++;
      if (pendingCount == pendingRows) {
        flushPending();
      }
      return this;
    }
    store(row);
    return this;
  }

  /** Chooses the reference from the rows held in double and stores them. */
  private void flushPending() {
    first = reference();
    double[] row = new double[cols];
    int count = pendingCount;
    double[] held = pending;
    pending = null;
    pendingCount = 0;
    for (int i = 0; i < count; i++) {
      System.arraycopy(held, i * cols, row, 0, cols);
      store(row);
    }
  }

  /**
   * The reference: the first held row (of positive weight, when weights centre the data), unless
   * it lies more than {@link #FAR_FIRST} times the median distance of those rows from their
   * coordinate-wise median; then that median.
   */
  private double[] reference() {
    int[] cand = new int[pendingCount];
    int m = 0;
    for (int i = 0; i < pendingCount; i++) {
      if (weights == null || (i < weights.length && weights[i] > 0)) {
        cand[m++] = i;
      }
    }
    if (m == 0) {
      for (int i = 0; i < pendingCount; i++) {
        cand[m++] = i;
      }
    }
    double[] ref = java.util.Arrays.copyOfRange(pending, cand[0] * cols, cand[0] * cols + cols);
    if (m < 3) {
      return ref;
    }
    double[] median = new double[cols];
    double[] column = new double[m];
    for (int j = 0; j < cols; j++) {
      for (int a = 0; a < m; a++) {
        column[a] = pending[cand[a] * cols + j];
      }
      median[j] = median(column);
    }
    double[] radius = new double[m];
    double meanRadius = 0;
    for (int a = 0; a < m; a++) {
      double s = 0;
      for (int j = 0, o = cand[a] * cols; j < cols; j++, o++) {
        double e = pending[o] - median[j];
        s += e * e;
      }
      radius[a] = Math.sqrt(s);
      meanRadius += radius[a] / m;
    }
    double firstRadius = radius[0];
    double scale = median(radius);
    if (scale == 0) {
      scale = meanRadius;
    }
    return firstRadius > FAR_FIRST * scale ? median : ref;
  }

  /** The median of {@code v} (reordered); the mean of the middle two for an even count. */
  private static double median(double[] v) {
    java.util.Arrays.sort(v);
    int h = v.length / 2;
    return v.length % 2 == 1 ? v[h] : v[h - 1] + (v[h] - v[h - 1]) / 2;
  }

  /** Stores one row relative to the reference {@link #first}. */
  private void store(double[] row) {
    if (current == null || rowsInCurrent == chunkRows) {
      // Start small and grow: most data sets are far smaller than one chunk.
      current = new float[Math.min(chunkRows, 1024) * cols];
      chunks.add(current);
      rowsInCurrent = 0;
    } else if ((rowsInCurrent + 1) * cols > current.length) {
      current = java.util.Arrays.copyOf(current, Math.min(chunkRows, 2 * rowsInCurrent) * cols);
      chunks.set(chunks.size() - 1, current);
    }
    double w = 0;
    if (weightsOk) {
      if (rows < weights.length) {
        w = weights[(int) rows];
      } else {
        weightsOk = false;
      }
    }
    int o = rowsInCurrent * cols;
    for (int j = 0; j < cols; j++) {
      double v = row[j] - first[j];
      shiftSum[j] += v;
      current[o + j] = (float) v;
      if (w > 0) {
        weightedSum[j] += w * v;
        weightedSquares += w * v * v;
      }
    }
    weightTotal += w;
    rowsInCurrent++;
    rows++;
  }

  /**
   * The data set, centred on the column means. The builder is spent afterwards: another
   * {@code addRow} or {@code build} throws an {@link IllegalStateException}.
   *
   * @throws InputException when no row was added
   */
  public Dataset build() {
    requireNotBuilt();
    if (pendingCount > 0) {
      flushPending();
    }
    if (rows == 0) {
      throw new InputException("no data rows");
    }
    double[] meanShift = new double[cols];
    double[] origin = new double[cols];
    for (int j = 0; j < cols; j++) {
      meanShift[j] = shiftSum[j] / rows;
    }
    if (weightsOk && rows == weights.length && weightTotal > 0) {
      double[] weighted = new double[cols];
      double[] offset = new double[cols];
      double spread = weightedSquares / weightTotal;
      for (int j = 0; j < cols; j++) {
        weighted[j] = weightedSum[j] / weightTotal;
        offset[j] = weighted[j] - meanShift[j];
        spread -= weighted[j] * weighted[j];
      }
      if (Centring.useWeightedMean(offset, spread)) {
        meanShift = weighted;
      }
    }
    for (int j = 0; j < cols; j++) {
      origin[j] = first[j] + meanShift[j];
    }
    List<Chunk> out = new ArrayList<>(chunks.size());
    for (int c = 0; c < chunks.size(); c++) {
      float[] v = chunks.get(c);
      int r = c == chunks.size() - 1 ? rowsInCurrent : chunkRows;
      for (int i = 0, o = 0; i < r; i++) {
        for (int j = 0; j < cols; j++, o++) {
          v[o] = (float) (v[o] - meanShift[j]);
        }
      }
      if (v.length > r * cols) {
        // The last chunk need not keep the unused tail of its array.
        v = java.util.Arrays.copyOf(v, r * cols);
      }
      out.add(new HeapChunk(v, r, cols));
    }
    chunks.clear();
    current = null;
    built = true;
    // Attaching these very weights then skips Dataset.withWeights' own pass over the data.
    return Dataset.assembled(cols, chunkRows, out, origin)
        .centredFor(weightsOk && rows == weights.length ? weights : null);
  }
}
