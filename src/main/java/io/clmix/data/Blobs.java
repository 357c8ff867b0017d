package io.clmix.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Isotropic Gaussian blobs for tests, benchmarks and the demo, like scikit-learn's
 * {@code make_blobs}: k centres drawn uniformly from a box, each row drawn from a normal
 * distribution around one of them.
 *
 * <p>Deterministic and parallel: every chunk draws from its own generator, seeded from the
 * seed and the chunk's index, so the data do not depend on the thread count and any chunk can
 * be produced without the others.
 *
 * @param n rows
 * @param d columns
 * @param k clusters
 * @param seed the seed every value flows from
 * @param clusterStd standard deviation of each blob (make_blobs' {@code cluster_std}, default 1)
 * @param boxHalfWidth centres are uniform in {@code [-boxHalfWidth, boxHalfWidth]^d} (default 10)
 */
public record Blobs(long n, int d, int k, long seed, double clusterStd, double boxHalfWidth) {
  /** Rows generated from one generator; fixed so results do not depend on the chunk size. */
  static final int ROWS_PER_STREAM = 1 << 14;

  public Blobs {
    if (n < 1) {
      throw InputException.parameter("--n", n, "an integer >= 1");
    }
    if (d < 1) {
      throw InputException.parameter("--d", d, "an integer >= 1");
    }
    if (k < 1) {
      throw InputException.parameter("--k", k, "an integer >= 1");
    }
    if (!(clusterStd > 0) || Double.isInfinite(clusterStd)) {
      throw InputException.parameter("--std", clusterStd, "a finite number > 0");
    }
    if (!(boxHalfWidth >= 0) || Double.isInfinite(boxHalfWidth)) {
      throw InputException.parameter("boxHalfWidth", boxHalfWidth, "a finite number >= 0");
    }
    // The rows are float32, stored relative to the centres' mean: a centre's offset from it
    // (up to twice the half-width) plus a draw must stay within its range.
    double reach = 2 * boxHalfWidth + MAX_DRAW * clusterStd;
    if (reach > Float.MAX_VALUE) {
      throw new InputException(String.format(java.util.Locale.ROOT, "boxHalfWidth %.3g and clusterStd %.3g: rows"
          + " would reach %.3g, beyond float32's range (3.4e38)", boxHalfWidth, clusterStd, reach));
    }
  }

  /**
   * More standard deviations than {@link #standardNormal} gives: Box-Muller from a double
   * {@code u >= 2^-53} reaches at most {@code sqrt(2 * 53 ln 2)}, about 8.57.
   */
  private static final double MAX_DRAW = 9;

  /** Blobs with make_blobs' defaults: unit standard deviation, centres in [-10, 10]^d. */
  public static Blobs of(long n, int d, int k, long seed) {
    return new Blobs(n, d, k, seed, 1.0, 10.0);
  }

  /** The true centres, k x d. */
  public double[][] centres() {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] c = new double[k][d];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < d; j++) {
        c[i][j] = (rng.nextDouble() * 2 - 1) * boxHalfWidth;
      }
    }
    return c;
  }

  /** The data set, with chunks of the default size. */
  public Dataset generate() {
    return generate(Dataset.defaultChunkRows(d));
  }

  /**
   * The data set, in chunks of {@code chunkRows} rows (values do not depend on it), stored
   * relative to the mean of the centres, which is close to the data's mean.
   */
  public Dataset generate(int chunkRows) {
    double[][] centres = centres();
    double[] origin = new double[d];
    for (double[] c : centres) {
      for (int j = 0; j < d; j++) {
        origin[j] += c[j] / k;
      }
    }
    int chunks = (int) ((n + chunkRows - 1) / chunkRows);
    List<Chunk> out = new ArrayList<>(chunks);
    float[][] values = new float[chunks][];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      long first = (long) c * chunkRows;
      int rows = (int) Math.min(chunkRows, n - first);
      float[] v = new float[rows * d];
      fill(v, first, rows, centres, origin, null);
      values[c] = v;
    });
    for (int c = 0; c < chunks; c++) {
      long first = (long) c * chunkRows;
      out.add(new HeapChunk(values[c], (int) Math.min(chunkRows, n - first), d));
    }
    return Dataset.assembled(d, chunkRows, out, origin);
  }

  /** The cluster each row was drawn from. */
  public int[] labels() {
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(n + " labels do not fit one array");
    }
    int[] out = new int[(int) n];
    double[][] centres = centres();
    for (long first = 0; first < n; first += ROWS_PER_STREAM) {
      int rows = (int) Math.min(ROWS_PER_STREAM, n - first);
      fillStream(new float[rows * d], 0, first / ROWS_PER_STREAM, rows, centres, new double[d], out, (int) first);
    }
    return out;
  }

  /** Rows {@code [first, first + rows)} into {@code v}, relative to {@code origin}. */
  private void fill(float[] v, long first, int rows, double[][] centres, double[] origin, int[] labels) {
    // Walk the fixed-size generator streams that cover the requested rows.
    long row = first;
    long end = first + rows;
    while (row < end) {
      long stream = row / ROWS_PER_STREAM;
      long streamStart = stream * ROWS_PER_STREAM;
      int streamRows = (int) Math.min(ROWS_PER_STREAM, n - streamStart);
      int skip = (int) (row - streamStart);
      int take = (int) Math.min(streamRows - skip, end - row);
      if (skip == 0 && take == streamRows) {
        fillStream(v, (int) (row - first) * d, stream, take, centres, origin, labels, -1);
      } else {
        float[] tmp = new float[streamRows * d];
        fillStream(tmp, 0, stream, streamRows, centres, origin, null, -1);
        System.arraycopy(tmp, skip * d, v, (int) (row - first) * d, take * d);
      }
      row += take;
    }
  }

  private void fillStream(float[] v, int off, long stream, int rows, double[][] centres, double[] origin,
      int[] labels, int labelOff) {
    SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (stream + 1)));
    for (int i = 0; i < rows; i++) {
      int c = rng.nextInt(k);
      if (labels != null) {
        labels[labelOff + i] = c;
      }
      int o = off + i * d;
      for (int j = 0; j < d; j++) {
        v[o + j] = (float) (centres[c][j] + standardNormal(rng) * clusterStd - origin[j]);
      }
    }
  }

  /** A standard normal deviate (Box-Muller, one of the pair; simple and fully deterministic). */
  public static double standardNormal(SplittableRandom rng) {
    double u = 1.0 - rng.nextDouble();
    double w = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
  }
}
