package io.clmix.engine.opencl;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import io.clmix.engine.Centroids;
import io.clmix.engine.ChainLink;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.FarthestRows;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SeedDraws;
import io.clmix.engine.SufficientStats;

/**
 * One data set on an OpenCL device. Opening uploads the rows once (float32, local coordinates,
 * as the {@link Dataset} stores them) into {@link RowBlocks}, and every pass reuses them until
 * {@link #close()}; data larger than the memory budget ({@link #memoryBudget}) are streamed
 * through the device instead, with the same results. The session's own {@link ClContext} (sharing the engine's native
 * context) owns its queue, kernels and buffers, so closing it releases exactly what it made.
 *
 * <p>Not thread-safe, as {@link DataSession} says, with one exception: {@link #close()} may come
 * from another thread (the engine's {@link OpenClEngine#close()}, closing a fit's session under
 * it). Passes and close exclude each other, so such a close waits for the pass in flight: it
 * would otherwise free kernels, buffers and the queue while that pass hands them to OpenCL, and
 * the driver would crash the JVM. The fit's next pass then fails with an
 * {@link IllegalStateException}, as on the Java engine. The monitor is uncontended otherwise.
 */
final class OpenClSession implements DataSession {
  private final OpenClEngine engine;
  private final Dataset data;
  private final int d;
  private final ClContext cl;
  private final RowBlocks blocks;
  private final AssignPass assign;
  private final SeedPass seed;
  private final PointwisePass pointwise;
  private final GmmPass gmm;
  private boolean assigned;
  private boolean closed;

  /** How a session holds its rows. */
  enum Residency {
    /** Resident when the data fit the memory budget, else streamed. */
    AUTO,
    /** Streamed however small (after the device ran out of memory), within half the budget. */
    STREAM
  }

  private OpenClSession(OpenClEngine engine, Dataset data, ClContext cl, Residency residency) {
    this.engine = engine;
    this.data = data;
    this.d = data.cols();
    this.cl = cl;
    KernelConfig config = engine.config().forData(d, cl.device());
    OpenClEngine.Programs p = engine.programsFor(d);
    ClKernel assignResident = cl.kernel(p.kmeans(), "km_assign_resident");
    ClKernel assignTiled = cl.kernel(p.kmeans(), "km_assign_tiled");
    ClKernel pointwiseResident = cl.kernel(p.kmeans(), "km_pointwise_resident");
    ClKernel pointwiseTiled = cl.kernel(p.kmeans(), "km_pointwise_tiled");
    ClKernel centreForms = cl.kernel(p.kmeans(), "km_centre_forms");
    ClKernel seedUpdate = cl.kernel(p.seed(), "seed_update");
    ClKernel seedTrial = cl.kernel(p.seed(), "seed_trial");
    ClKernel reduceSegments = cl.kernel(p.reduce(), "reduce_segments");
    ClKernel reduceMerge = cl.kernel(p.reduce(), "reduce_merge");
    ClKernel reduceAccSegments = cl.kernel(p.reduce(), "reduce_acc_segments");
    ClKernel reduceAccMerge = cl.kernel(p.reduce(), "reduce_acc_merge");
    for (ClKernel k : new ClKernel[] {assignResident, assignTiled, pointwiseResident, pointwiseTiled, seedUpdate, seedTrial}) {
      long max = k.maxWorkGroupSize();
      if (max < config.workGroupSize()) {
        throw new EngineException(Kind.BUILD, k.name() + " for " + d + " columns runs at most " + max
            + " work-items per group on " + cl.device().name() + "; the configuration asks for "
            + config.workGroupSize());
      }
    }
    long maxBlock = RowBlocks.alignedBlockBytes(config.maxBlockBytes() > 0
        ? Math.min(config.maxBlockBytes(), cl.device().maxAllocBytes()) : cl.device().maxAllocBytes(), d,
        engine.shardRows(data));
    long budget = memoryBudget(config, cl.device());
    if (residency == Residency.AUTO && RowBlocks.residentBytes(data) <= budget) {
      this.blocks = RowBlocks.upload(cl, data, maxBlock);
    } else {
      this.blocks = RowBlocks.streaming(cl, data, maxBlock, residency == Residency.AUTO ? budget : budget / 2,
          config.deviceMemoryBudgetBytes());
    }
    try {
      ClBuffer noWeights = cl.buffer("no weights", 4);
      CentreBuffers centres = new CentreBuffers(cl, d, config.paddingStep(), centreForms);
      this.assign = new AssignPass(cl, blocks, centres, config, assignResident, assignTiled, reduceSegments, reduceMerge,
          noWeights, (fused, pruned) -> engine.gemmProgram(d, fused, pruned),
          engine.pruning() ? () -> engine.prunedProgram(d) : null);
      this.seed = new SeedPass(cl, blocks, config, seedUpdate, seedTrial, noWeights);
      this.pointwise = new PointwisePass(cl, blocks, centres, config, pointwiseResident, pointwiseTiled);
      this.gmm = new GmmPass(engine, cl, blocks, config, reduceAccSegments, reduceAccMerge, noWeights);
      cl.finish(); // surface upload errors here rather than in the first pass
    } catch (RuntimeException | Error e) {
      throw ClContext.closeAndRethrow(blocks, e);
    }
  }

  /**
   * Device memory the data may take: the configured budget, or seven eighths of the device's
   * memory (the rest is for the passes' partial statistics, scratch and the runtime).
   */
  static long memoryBudget(KernelConfig config, ClDeviceInfo device) {
    if (config.deviceMemoryBudgetBytes() > 0) {
      return config.deviceMemoryBudgetBytes();
    }
    return device.globalMemBytes() / 8 * 7;
  }

  /** Opens {@code data} (uploaded or streamed); on any failure releases what was allocated and rethrows. */
  static OpenClSession open(OpenClEngine engine, Dataset data, Residency residency) {
    ClContext cl = engine.context().share();
    try {
      return new OpenClSession(engine, data, cl, residency);
    } catch (RuntimeException | Error e) {
      throw ClContext.closeAndRethrow(cl, e);
    }
  }

  /** Whether this session streams its rows rather than holding them on the device (for tests). */
  boolean streaming() {
    return blocks.streaming();
  }

  /** Lloyd passes that ran the register-tiled kernel (for tests). */
  long gemmPasses() {
    return assign.gemmPasses();
  }

  /** Lloyd passes that ran the split variant of the register-tiled kernel (for tests). */
  long splitPasses() {
    return assign.splitPasses();
  }

  /** Passes that ran the register-tiled kernel's pruned form so far (for tests). */
  long prunedGemmPasses() {
    return assign.prunedGemmPasses();
  }

  /** Whether this session's Lloyd passes prune (for tests). */
  boolean pruning() {
    return assign.pruning();
  }

  /** Lloyd passes that ran the pruned kernels (for tests). */
  long prunedPasses() {
    return assign.prunedPasses();
  }

  /** Units streamed so far (for tests). */
  long uploads() {
    return blocks.uploads();
  }

  /** Device bytes of the streaming buffer sets (for tests). */
  long streamBufferBytes() {
    return blocks.streamBufferBytes();
  }

  /** Whether the per-row state is on the device (for tests). */
  boolean stateOnDevice() {
    return blocks.stateOnDevice();
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
    return assign(centres, null);
  }

  /** Continues the previous shard's sums ({@link SegmentReduction}). */
  @Override
  public synchronized SufficientStats assign(Centroids centres, ChainLink link) {
    checkOpen(centres.d());
    SufficientStats st = assign.run(centres, link);
    assigned = true;
    return st;
  }

  @Override
  public synchronized Labels labels() {
    checkOpen(d);
    checkAssigned("labels()");
    int[][] out = new int[data.chunkCount()][];
    for (int c = 0; c < out.length; c++) {
      out[c] = new int[data.rowsIn(c)];
      blocks.readInts(b -> b.labels, b -> b.hostLabels, data.chunkStart(c), out[c].length, out[c], 0);
    }
    return new Labels(out, data.chunkRows());
  }

  @Override
  public synchronized long[] farthest(int m) {
    checkOpen(d);
    checkAssigned("farthest()");
    if (m <= 0) {
      return new long[0];
    }
    FarthestRows top = new FarthestRows(m);
    boolean weighted = data.weighted();
    int piece = 1 << 20;
    float[] buf = new float[(int) Math.min(piece, data.rows())];
    for (long first = 0; first < data.rows(); first += piece) {
      int count = (int) Math.min(piece, data.rows() - first);
      blocks.readFloats(b -> b.dist, b -> b.hostDist, first, count, buf, 0);
      for (int i = 0; i < count; i++) {
        // Rows come in increasing order, so the cheap pre-test applies (and, as on the Java
        // engine, spares an allocation for every row that cannot make the list). Rows of weight
        // zero are never offered, as on the Java engine.
        if (top.mayKeep(buf[i]) && (!weighted || data.weight(first + i) > 0)) {
          top.offer(first + i, buf[i]);
        }
      }
    }
    return top.rows();
  }

  // ------------------------------------------------------------------ k-means++ seeding

  @Override
  public double seedStart(float[] centre) {
    return seedStart(centre, null);
  }

  /** Continues the previous shard's running sum ({@link SeedPass}). */
  @Override
  public synchronized double seedStart(float[] centre, ChainLink link) {
    checkOpen(centre.length);
    return seed.start(centre, link);
  }

  /** The draws of {@link #seedDraw}, a scan past the last row clipped to it (as scikit-learn's). */
  @Override
  public long[] seedSample(double[] targets) {
    long[] rows = seedDraw(targets, 0).rows();
    long last = data.rows() - 1;
    for (int t = 0; t < rows.length; t++) {
      if (rows[t] == SeedDraws.PAST_END) {
        rows[t] = last;
      }
    }
    return rows;
  }

  /** Searches the running sum from {@code start} itself, as one device over all the shards would. */
  @Override
  public synchronized SeedDraws seedDraw(double[] targets, double start) {
    checkOpen(d);
    return seed.sample(targets, start);
  }

  /** Continues the scans of the shard before from the sums it reached ({@link SeedDraws}). */
  @Override
  public synchronized SeedDraws seedDrawOn(double[] targets, double[] runs) {
    checkOpen(d);
    return seed.sampleOn(targets, runs);
  }

  @Override
  public double[] seedTrial(float[] candidates, int m) {
    return seedTrial(candidates, m, null);
  }

  /** Continues the previous shard's running sums ({@link SeedPass}). */
  @Override
  public synchronized double[] seedTrial(float[] candidates, int m, ChainLink link) {
    checkOpen(d);
    return seed.trial(candidates, m, link);
  }

  @Override
  public synchronized void seedCommit(float[] centre) {
    checkOpen(centre.length);
    seed.commit(centre);
  }

  /** Reads the potential from the commit's own group sums: no second pass. */
  @Override
  public synchronized double seedCommit(float[] centre, ChainLink link) {
    checkOpen(centre.length);
    return seed.commit(centre, link);
  }

  // ------------------------------------------------------------------ Gaussian mixture

  @Override
  public SufficientStats expect(MixtureParams params, Responsibilities mode) {
    return expect(params, mode, null);
  }

  /** Continues the previous shard's sums ({@link SegmentReduction}). */
  @Override
  public synchronized SufficientStats expect(MixtureParams params, Responsibilities mode, ChainLink link) {
    checkOpen(params.d());
    return gmm.expect(params, mode, link);
  }

  @Override
  public synchronized void pointwise(MixtureParams params, PointSink sink) {
    checkOpen(params.d());
    gmm.pointwise(params, sink);
  }

  // ------------------------------------------------------------------ per-point output

  @Override
  public synchronized void pointwise(Centroids centres, PointSink sink) {
    checkOpen(centres.d());
    pointwise.run(centres, sink);
  }

  // ------------------------------------------------------------------ lifecycle

  private void checkOpen(int dims) {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    if (dims != d) {
      throw new IllegalArgumentException("parameters of " + dims + " columns for data of " + d);
    }
  }

  private void checkAssigned(String what) {
    if (!assigned) {
      throw new IllegalStateException(what + " needs a previous assign()");
    }
  }

  /** Objects this session holds on the device (for tests). */
  int liveObjects() {
    return cl.liveObjects();
  }

  /**
   * Releases the session's buffers, kernels and queue. Idempotent. Called from another thread,
   * waits for the pass in flight to end first (see the class comment).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      try {
        blocks.close();
      } catch (RuntimeException | Error e) {
        throw ClContext.closeAndRethrow(cl, e);
      }
      cl.close();
    } finally {
      engine.closed(this);
    }
  }
}
