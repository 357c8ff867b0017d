package io.clmix.plot;

import io.clmix.data.Dataset;
import java.util.SplittableRandom;

/**
 * At most {@code max} rows of a data set, for drawing: a picture of a million points shows no
 * more than one of a few thousand, and costs far more to draw.
 *
 * <p>The sample is stratified: the rows are cut into {@code max} equal runs and one row is
 * drawn from each, so every part of the file is represented even when it is sorted by cluster.
 * The rows are then shuffled, so that no cluster is always drawn on top of the others.
 *
 * @param rows the row indices in the data set, in drawing order
 * @param values the rows in the data's own coordinates, {@code rows.length x d}
 */
public record RowSample(long[] rows, double[][] values) {

  /** Draws the sample; every row when the data have at most {@code max}. */
  public static RowSample of(Dataset data, int max, long seed) {
    long n = data.rows();
    int m = (int) Math.min(n, Math.max(1, max));
    SplittableRandom rng = new SplittableRandom(seed);
    long[] rows = new long[m];
    for (int j = 0; j < m; j++) {
      long from = (long) ((double) j * n / m);
      long to = Math.max(from + 1, (long) ((double) (j + 1) * n / m));
      rows[j] = m == n ? j : from + rng.nextLong(to - from);
    }
    for (int j = m - 1; j > 0; j--) {
      int o = rng.nextInt(j + 1);
      long t = rows[j];
      rows[j] = rows[o];
      rows[o] = t;
    }
    double[][] values = new double[m][];
    for (int j = 0; j < m; j++) {
      values[j] = data.row(rows[j]);
    }
    return new RowSample(rows, values);
  }

  /** Number of rows in the sample. */
  public int size() {
    return rows.length;
  }

  /** The sample as a data set of its own (for predictions on the drawn points only). */
  public Dataset dataset() {
    return Dataset.of(values);
  }
}
