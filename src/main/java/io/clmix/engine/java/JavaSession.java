package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import io.clmix.engine.Centroids;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.FarthestRows;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.java.Blocks.Block;
import java.util.Arrays;
import java.util.List;

/**
 * The Java engine's view of one data set. The data stay where the {@link Dataset} keeps them
 * (heap arrays are read in place; memory-mapped chunks are copied a block at a time into a
 * per-task buffer); the session adds the per-point state of the K-means passes: labels and
 * distances of the last assign, and (when pruning) the lower bounds of {@link LowerBounds}, a
 * cache that never changes a result.
 */
final class JavaSession implements DataSession {
  private final JavaEngine engine;
  private final Dataset data;
  private final int d;
  private final Blocks blocks;
  private final GaussianPass gaussian;
  private final LloydPass lloyd;

  /** Labels and distances of the last assign(); labels start at -1 ("no label yet"). */
  private int[][] labels;
  private float[][] dist;

  /** k-means++ state: squared distance to the closest chosen centre, and w * D summed per block. */
  private float[][] seedDist;
  private double[] blockPotential;
  /** The loops of the last seeding step (its trial's choice), which its commit follows. */
  private boolean seedVector;

  private boolean closed;

  JavaSession(JavaEngine engine, Dataset data) {
    this.engine = engine;
    this.data = data;
    this.d = data.cols();
    this.blocks = Blocks.of(data);
    this.gaussian = new GaussianPass(engine, data, blocks);
    this.lloyd = new LloydPass(engine, data, blocks, engine.pruning());
  }

  @Override
  public Dataset data() {
    return data;
  }

  @Override
  public EngineInfo engine() {
    return engine.info();
  }

  // ------------------------------------------------------------------ K-means

  @Override
  public SufficientStats assign(Centroids centres) {
    checkOpen(centres.d());
    if (labels == null) {
      labels = perChunkInts(-1);
      dist = perChunkFloats();
    }
    return lloyd.run(centres, labels, dist);
  }

  /** The mixture pass (for tests: what its screens skipped). */
  GaussianPass gaussian() {
    return gaussian;
  }

  /** The Lloyd pass (for tests: how many points the bounds kept). */
  LloydPass lloyd() {
    return lloyd;
  }

  @Override
  public Labels labels() {
    checkOpen(d);
    if (labels == null) {
      throw new IllegalStateException("labels() needs a previous assign()");
    }
    return new Labels(labels, data.chunkRows());
  }

  @Override
  public long[] farthest(int m) {
    checkOpen(d);
    if (dist == null) {
      throw new IllegalStateException("farthest() needs a previous assign()");
    }
    if (m <= 0) {
      return new long[0];
    }
    int slabs = blocks.slabCount(2L * m);
    // Each slab keeps its own m farthest; the overall m farthest are among them.
    List<FarthestRows> parts = engine.parallel(slabs, s -> {
      FarthestRows top = new FarthestRows(m);
      for (int b = blocks.slabFrom(s, slabs); b < blocks.slabTo(s, slabs); b++) {
        Block blk = blocks.block(b);
        float[] dst = dist[blk.chunk()];
        float[] w = data.chunkWeights(blk.chunk());
        for (int i = 0; i < blk.rows(); i++) {
          float v = dst[blk.fromRow() + i];
          // Rows are visited in increasing order, so a row equal to the weakest kept one loses
          // the tie and need not be looked at (nor allocated for). Rows of weight zero carry no
          // mass, so a cluster re-seeded with one would stay empty: they are never offered.
          if (top.mayKeep(v) && (w == null || w[blk.fromRow() + i] > 0)) {
            top.offer(blk.firstRow() + i, v);
          }
        }
      }
      return top;
    });
    FarthestRows all = new FarthestRows(m);
    for (FarthestRows p : parts) {
      all.merge(p);
    }
    return all.rows();
  }

  // ------------------------------------------------------------------ k-means++ seeding

  @Override
  public double seedStart(float[] centre) {
    checkOpen(centre.length);
    seedDist = perChunkFloats();
    blockPotential = new double[blocks.blockCount()];
    updateSeedDistances(centre, true);
    return potential();
  }

  @Override
  public void seedCommit(float[] centre) {
    checkSeeding();
    checkOpen(centre.length);
    updateSeedDistances(centre, false);
  }

  private void updateSeedDistances(float[] centre, boolean reset) {
    // The first centre's distances by the size of that pass; a commit's as its step's trial, so
    // the potential a step chose by and the distances it leaves come from the same loops.
    boolean vector = reset ? engine.vectorLoops(data.wholeRows() * d) : seedVector;
    if (reset) {
      seedVector = vector;
    }
    int slabs = blocks.slabCount(1);
    engine.parallel(slabs, s -> {
      float[] buffer = null;
      for (int b = blocks.slabFrom(s, slabs); b < blocks.slabTo(s, slabs); b++) {
        Block blk = blocks.block(b);
        RowView rows = RowView.of(data, blk, buffer);
        buffer = rows.buffer();
        float[] sd = seedDist[blk.chunk()];
        float[] w = data.chunkWeights(blk.chunk());
        double pot = 0;
        for (int i = 0; i < blk.rows(); i++) {
          int row = blk.fromRow() + i;
          float e = DistanceKernels.squaredDistance(rows.values(), rows.offset() + i * d, centre, 0, d, vector);
          float v = reset ? e : Math.min(sd[row], e);
          sd[row] = v;
          pot += (w == null ? 1.0 : w[row]) * v;
        }
        blockPotential[b] = pot;
      }
      return null;
    });
  }

  private double potential() {
    double total = 0;
    for (double p : blockPotential) {
      total += p;
    }
    return total;
  }

  @Override
  public long[] seedSample(double[] targets) {
    checkSeeding();
    long[] out = new long[targets.length];
    int b = 0;
    double before = 0; // sum of w*D over the blocks preceding block b
    for (int t = 0; t < targets.length; t++) {
      double target = targets[t];
      if (t > 0 && target < targets[t - 1]) {
        throw new IllegalArgumentException("seedSample targets must be ascending");
      }
      while (b < blocks.blockCount() - 1 && before + blockPotential[b] <= target) {
        before += blockPotential[b];
        b++;
      }
      out[t] = firstExceeding(b, before, target);
    }
    return out;
  }

  /** The first row of block b (or a later one) whose running sum of w*D exceeds target. */
  private long firstExceeding(int b, double before, double target) {
    Block blk = blocks.block(b);
    float[] sd = seedDist[blk.chunk()];
    float[] w = data.chunkWeights(blk.chunk());
    double run = before;
    for (int i = 0; i < blk.rows(); i++) {
      int row = blk.fromRow() + i;
      run += (w == null ? 1.0 : w[row]) * sd[row];
      if (run > target) {
        return blk.firstRow() + i;
      }
    }
    // Only reached for the last block when the target is at or beyond the total (rounding):
    // clip to the last row, as scikit-learn does.
    return blk.firstRow() + blk.rows() - 1;
  }

  @Override
  public double[] seedTrial(float[] candidates, int m) {
    checkSeeding();
    if (candidates.length != m * d) {
      throw new IllegalArgumentException(m + " candidates need " + (m * d) + " values, got " + candidates.length);
    }
    boolean vector = engine.vectorLoops(data.wholeRows() * d * m);
    seedVector = vector;
    int slabs = blocks.slabCount(m);
    List<double[]> parts = engine.parallel(slabs, s -> {
      double[] pot = new double[m];
      float[] buffer = null;
      for (int b = blocks.slabFrom(s, slabs); b < blocks.slabTo(s, slabs); b++) {
        Block blk = blocks.block(b);
        RowView rows = RowView.of(data, blk, buffer);
        buffer = rows.buffer();
        float[] sd = seedDist[blk.chunk()];
        float[] w = data.chunkWeights(blk.chunk());
        for (int i = 0; i < blk.rows(); i++) {
          int row = blk.fromRow() + i;
          double wi = w == null ? 1.0 : w[row];
          int xo = rows.offset() + i * d;
          for (int j = 0; j < m; j++) {
            float e = DistanceKernels.squaredDistance(rows.values(), xo, candidates, j * d, d, vector);
            pot[j] += wi * Math.min(sd[row], e);
          }
        }
      }
      return pot;
    });
    double[] out = new double[m];
    for (double[] p : parts) {
      for (int j = 0; j < m; j++) {
        out[j] += p[j];
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ Gaussian mixture

  @Override
  public SufficientStats expect(MixtureParams params, Responsibilities mode) {
    checkOpen(params.d());
    return gaussian.expect(params, mode);
  }

  @Override
  public void pointwise(MixtureParams params, PointSink sink) {
    checkOpen(params.d());
    gaussian.pointwise(params, sink);
  }

  // ------------------------------------------------------------------ per-point output

  @Override
  public void pointwise(Centroids centres, PointSink sink) {
    checkOpen(centres.d());
    int k = centres.k();
    float[] c = centres.values();
    DistanceKernels.Centres prepared =
        DistanceKernels.Centres.withLoops(c, k, d, engine.vectorLoops(data.wholeRows() * k * d));
    boolean all = sink.wantsComponents();
    int maxRows = data.chunkRows();
    int[] lab = new int[Math.min(maxRows, (int) data.rows())];
    float[] val = new float[lab.length];
    float[] comp = all ? new float[Math.multiplyExact(lab.length, k)] : null;
    for (int chunk = 0; chunk < data.chunkCount(); chunk++) {
      int first = blocks.chunkFrom(chunk);
      engine.parallel(blocks.chunkTo(chunk) - first, i -> {
        Block blk = blocks.block(first + i);
        RowView rows = RowView.of(data, blk, null);
        DistanceKernels.nearest(rows.values(), rows.offset(), blk.rows(), prepared, lab, blk.fromRow(), val, blk.fromRow());
        if (all) {
          for (int r = 0; r < blk.rows(); r++) {
            int xo = rows.offset() + r * d;
            int out = (blk.fromRow() + r) * k;
            for (int j = 0; j < k; j++) {
              comp[out + j] = DistanceKernels.squaredDistance(rows.values(), xo, c, j * d, d, prepared.vectorLoops());
            }
          }
        }
        return null;
      });
      sink.accept(chunk, data.chunkStart(chunk), data.rowsIn(chunk), lab, val, comp);
    }
  }

  // ------------------------------------------------------------------ helpers

  private int[][] perChunkInts(int fill) {
    int[][] out = new int[data.chunkCount()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = new int[data.rowsIn(c)];
      Arrays.fill(out[c], fill);
    }
    return out;
  }

  private float[][] perChunkFloats() {
    float[][] out = new float[data.chunkCount()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = new float[data.rowsIn(c)];
    }
    return out;
  }

  private void checkSeeding() {
    if (seedDist == null) {
      throw new IllegalStateException("seeding needs seedStart() first");
    }
  }

  private void checkOpen(int dims) {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    if (dims != d) {
      throw new IllegalArgumentException("parameters of " + dims + " columns for data of " + d);
    }
  }

  @Override
  public void close() {
    closed = true;
    labels = null;
    dist = null;
    seedDist = null;
    blockPotential = null;
  }
}
