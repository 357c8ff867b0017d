package io.clmix.engine.opencl;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.ShardedEngine;
import io.clmix.engine.StreamingEngine;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The OpenCL engine on one device: data uploaded once per {@link #open session} and kept
 * resident, kernels from {@code kernels/*.cl}, per-work-group partial sums reduced on the
 * device, and only k x d statistics read back per pass.
 *
 * <p>The engine owns one OpenCL context and the compiled programs; kernels are specialised per
 * number of columns ({@code -D DIM=d}, so loops unroll and points sit in registers) and cached
 * by {@link ProgramCache}. {@link #create} builds every kernel family once for a small
 * dimension (the mixture family for one covariance type, the register-tiled Lloyd family, in
 * both variants when the split one is configured, and the pruned one when configured), so a
 * source that does not compile on the device fails there, as an {@link EngineException} of kind
 * BUILD with the compiler's log, before any data move. Other mixture variants (per component
 * count and covariance family) are built on first use. Builds pass {@code -w}
 * ({@link ProgramCache#QUIET}): a driver's compiler then has no warnings to count on the
 * process's stderr.
 *
 * <p>Thread-safe: several threads may open and use sessions concurrently; each session shares
 * the context but has its own command queue, kernel objects and buffers (a session itself is
 * used by one thread at a time). {@link #close()} may come while other threads open sessions
 * or run passes: it waits for the opens and the passes in flight, which use the context's
 * programs and the sessions' objects, before it releases anything.
 */
public final class OpenClEngine implements StreamingEngine {
  static final String KMEANS = "kmeans.cl";
  static final String SEED = "seed.cl";
  static final String REDUCE = "reduce.cl";
  static final String GMM = "gmm.cl";
  static final String KMEANS_GEMM = "kmeans_gemm.cl";
  static final String KMEANS_PRUNED = "kmeans_pruned.cl";
  /** The dimension of the eager probe build at creation. */
  private static final int PROBE_DIM = 3;

  /** The programs a session needs for data of one dimension. */
  record Programs(ClProgram kmeans, ClProgram seed, ClProgram reduce) {}

  private final ClDeviceInfo device;
  private final KernelConfig config;
  private final ClContext context;
  private final ProgramCache programs;
  private final KernelSource kmeansSource;
  private final KernelSource seedSource;
  private final KernelSource reduceSource;
  private final KernelSource gmmSource;
  private final KernelSource gemmSource;
  private final KernelSource prunedSource;
  private final EngineInfo info;
  private final Set<OpenClSession> sessions = ConcurrentHashMap.newKeySet();
  /**
   * Opens hold the read lock while they build a session from the context's programs and
   * register it; close holds the write lock, so it neither frees programs a session is being
   * made from nor misses a session registered after it looked.
   */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;
  /** Where the configuration came from: the device's tuning, or null for an explicit configuration. */
  private final TuningCache.Lookup tuning;

  private OpenClEngine(ClDeviceInfo device, KernelConfig config, ClContext context, String buildOptions,
      TuningCache.Lookup tuning, String origin) {
    this.device = device;
    this.config = config;
    this.tuning = tuning;
    this.context = context;
    this.programs = new ProgramCache(context, buildOptions);
    this.kmeansSource = KernelSource.load(KMEANS);
    this.seedSource = KernelSource.load(SEED);
    this.reduceSource = KernelSource.load(REDUCE);
    this.gmmSource = KernelSource.load(GMM);
    this.gemmSource = KernelSource.load(KMEANS_GEMM);
    this.prunedSource = KernelSource.load(KMEANS, KMEANS_PRUNED);
    this.info = new EngineInfo(device.id(), device.name(), device.type(), origin);
  }

  /**
   * An engine on {@code device} with the default tuning for its type, then the device's tuning
   * measured by {@code clmix tune} where {@link TuningCache#fromEnvironment()} holds a current
   * one, then the system property {@value KernelConfig#OVERRIDES_PROPERTY} where it is set
   * ({@link KernelConfig#withOverrides}).
   */
  public static OpenClEngine create(ClDeviceInfo device) {
    TuningCache.Lookup tuned = TuningCache.fromEnvironment().lookup(device);
    String overrides = System.getProperty(KernelConfig.OVERRIDES_PROPERTY);
    String then = overrides == null || overrides.isBlank() ? ""
        : ", then -D" + KernelConfig.OVERRIDES_PROPERTY + "=" + overrides.trim();
    KernelConfig defaults = KernelConfig.defaultsFor(device);
    if (tuned.status() != TuningCache.Status.USED) {
      return create(device, defaults.withOverrides(overrides), ProgramCache.QUIET, tuned, "defaults" + then);
    }
    KernelConfig config;
    try {
      config = tuned.apply(defaults).withOverrides(overrides);
    } catch (InputException e) {
      throw new InputException(e.getMessage() + " (on top of the device's tuning '" + tuned.spec() + "' from "
          + tuned.file() + "; -D" + TuningCache.USE_PROPERTY + "=off leaves it out)", e);
    }
    String origin = (tuned.spec().isEmpty() ? "tuned: the defaults" : "tuned: " + tuned.spec()) + then;
    try {
      return create(device, config, ProgramCache.QUIET, tuned, origin);
    } catch (EngineException e) {
      // A tuning must never stop a fit: one that no longer builds or fits (a new driver that
      // reports the same version, a file edited by hand) gives way to the defaults.
      return create(device, defaults.withOverrides(overrides), ProgramCache.QUIET, tuned,
          "defaults (the tuning '" + tuned.spec() + "' failed: " + e.getMessage().lines().findFirst().orElse("") + ")"
              + then);
    }
  }

  /**
   * An engine on {@code device} with explicit tuning. Builds every kernel family before
   * returning.
   *
   * @throws EngineException of kind BUILD (with the build log) when a kernel does not compile,
   *     UNAVAILABLE when the device is gone, ALLOCATION when the context cannot be created
   */
  public static OpenClEngine create(ClDeviceInfo device, KernelConfig config) {
    return create(device, config, ProgramCache.QUIET, null, "explicit");
  }

  /**
   * An engine whose programs are built with {@code buildOptions} after their definitions
   * instead of {@link ProgramCache#QUIET}: tests pass "" to read the compiler's warnings in the
   * build logs ({@link #programs()}).
   */
  static OpenClEngine create(ClDeviceInfo device, KernelConfig config, String buildOptions) {
    return create(device, config, buildOptions, null, "explicit");
  }

  private static OpenClEngine create(ClDeviceInfo device, KernelConfig config, String buildOptions,
      TuningCache.Lookup tuning, String origin) {
    if (config.workGroupSize() > device.maxWorkGroupSize()) {
      config = config.withWorkGroupSize((int) Long.highestOneBit(device.maxWorkGroupSize()));
    }
    if (config.kmAccSplit() && device.maxWorkGroupSize() < KernelConfig.ACC_GROUP) {
      // km_accumulate is built for groups of ACC_GROUP work-items; such a device runs the fused kernel.
      config = config.withKmAccumulation(false, config.kmAccUnroll());
    }
    ClContext context = ClContext.create(device);
    try {
      OpenClEngine engine = new OpenClEngine(device, config, context, buildOptions, tuning, origin);
      engine.programsFor(PROBE_DIM);
      engine.probeMixture();
      if (config.kmGroups() > 0) {
        engine.gemmProgram(PROBE_DIM, true);
        if (config.kmAccSplit()) {
          // The split variant, and the fused kernel above, which runs where its arrays do not fit.
          engine.gemmProgram(PROBE_DIM, false);
        }
        if (engine.pruning()) {
          engine.gemmProgram(PROBE_DIM, !config.kmAccSplit(), true);
        }
      }
      if (engine.pruning()) {
        engine.prunedProgram(PROBE_DIM);
      }
      return engine;
    } catch (RuntimeException | Error e) {
      throw ClContext.closeAndRethrow(context, e);
    }
  }

  @Override
  public EngineInfo info() {
    return info;
  }

  /** The device this engine runs on. */
  public ClDeviceInfo device() {
    return device;
  }

  /** The tuning this engine's kernels are built with. */
  public KernelConfig config() {
    return config;
  }

  /**
   * What the device's tuning cache held when this engine was made by {@link #create(ClDeviceInfo)};
   * null for an engine made with an explicit configuration.
   */
  public TuningCache.Lookup tuning() {
    return tuning;
  }

  /**
   * Where {@link #config()} came from, for reports: {@code defaults}, {@code tuned: SPEC} (or
   * {@code tuned: the defaults}), either followed by {@code , then -Dclmix.opencl.config=...}
   * where that property was set, or {@code explicit} for a configuration passed to
   * {@link #create(ClDeviceInfo, KernelConfig)}.
   */
  public String configOrigin() {
    return info.kernels();
  }

  /**
   * Uploads {@code data} to the device and returns a session over it; data larger than the
   * memory budget ({@link KernelConfig#deviceMemoryBudgetBytes}, else seven eighths of the
   * device's memory) are streamed through it instead.
   *
   * @throws EngineException of kind ALLOCATION when the device cannot hold even the streaming
   *     buffers, BUILD when the kernels for this dimension do not compile
   */
  @Override
  public DataSession open(Dataset data) {
    Engine.requiredData(data);
    return open(data, OpenClSession.Residency.AUTO);
  }

  /**
   * The least common multiple of the rows per work-group of the passes whose sums are chained
   * across shards, before any doubling for large k ({@link AssignPass#rowsPerGroup},
   * {@link GmmPass#rowsPerGroup}): the scan and register-tiled Lloyd kernels, and the mixture
   * kernels (a CPU-shaped configuration's up to 64 tiles per group).
   */
  @Override
  public long shardRows(Dataset data) {
    Engine.requiredData(data);
    KernelConfig c = config.forData(data.cols(), device);
    long rows = c.rowsPerGroup();
    if (c.kmGroups() > 0) {
      rows = ShardedEngine.lcm(rows, c.gemmRowsPerGroup());
    }
    long tile = c.gmmTileRows();
    return ShardedEngine.lcm(rows, c.gmmLanes() == 1 ? tile * c.tilesPerGroup() : 64 * tile);
  }

  /**
   * Opens a session that streams {@code data} through the device within half the memory
   * budget, however small the data: what {@link io.clmix.engine.FallbackEngine} tries when a
   * resident session ran out of device memory. Results are the same bits as resident ones.
   *
   * @throws EngineException of kind ALLOCATION when not even one row per buffer set fits
   */
  @Override
  public DataSession openStreaming(Dataset data) {
    return open(data, OpenClSession.Residency.STREAM);
  }

  private DataSession open(Dataset data, OpenClSession.Residency residency) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the OpenCL engine on " + device.name() + " is closed");
      }
      OpenClSession s = OpenClSession.open(this, data, residency);
      sessions.add(s);
      return s;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The compiled programs for data of {@code dim} columns, built on first use. */
  Programs programsFor(int dim) {
    Defines defines = config.defines(dim, device);
    return new Programs(
        programs.get(kmeansSource, defines),
        programs.get(seedSource, defines),
        programs.get(reduceSource, Defines.empty().flag("HAVE_FP64", device.fp64())));
  }

  /**
   * The mixture program for one {@link GmmLayout} (columns, components, covariance family) and
   * local-memory plan, built on first use.
   */
  ClProgram gmmProgram(GmmLayout layout, boolean paramsLocal, boolean tileLocal) {
    KernelConfig c = config.forData(layout.d, device);
    Defines defines = layout.defines(config.defines(layout.d, device), c.gmmLanes(), c.gmmVecs(), paramsLocal,
        tileLocal);
    return programs.get(gmmSource, defines);
  }

  /**
   * The register-tiled Lloyd program ({@link KernelConfig#kmGroups} > 0) for {@code dim} columns,
   * built on first use: the fused kernel, or ({@code fused} false) the split variant's
   * {@code km_assign_gemm} and {@code km_accumulate} ({@link KernelConfig#kmAccSplit}).
   */
  ClProgram gemmProgram(int dim, boolean fused) {
    return gemmProgram(dim, fused, false);
  }

  /** {@link #gemmProgram(int, boolean)}, in the pruned form ({@code KG_PRUNE}) where {@code pruned}. */
  ClProgram gemmProgram(int dim, boolean fused, boolean pruned) {
    return programs.get(gemmSource, config.gemmDefines(dim, device, fused, pruned));
  }

  /**
   * Whether Lloyd passes on this engine prune with Hamerly's bounds where they can
   * ({@link KernelConfig#pruning} and a device with {@code cl_khr_fp64}).
   */
  boolean pruning() {
    return config.pruning() && device.fp64();
  }

  /**
   * The pruned Lloyd program ({@code kmeans.cl} followed by {@code kmeans_pruned.cl}, with
   * {@code kmeans.cl}'s definitions) for {@code dim} columns, built on first use.
   */
  ClProgram prunedProgram(int dim) {
    return programs.get(prunedSource, config.defines(dim, device));
  }

  /** Builds one mixture program (full covariances, two components) so gmm.cl's errors show at creation. */
  private void probeMixture() {
    KernelConfig c = config.forData(PROBE_DIM, device);
    boolean pairs = c.gmmLanes() > 1 && device.fp64();
    GmmLayout layout = new GmmLayout(PROBE_DIM, 2, io.clmix.model.CovarianceType.FULL, c.gmmBlock(), pairs);
    GmmPass.Plan plan = GmmPass.plan(device, c, layout);
    gmmProgram(layout, plan.paramsLocal(), plan.tileLocal());
  }

  ClContext context() {
    return context;
  }

  void closed(OpenClSession s) {
    sessions.remove(s);
  }

  /** Number of programs compiled so far (for tests). */
  int programCount() {
    return programs.size();
  }

  /** The programs compiled so far (for tests that read their build logs). */
  List<ClProgram> programs() {
    return programs.programs();
  }

  /**
   * Releases the context and programs. Sessions should be closed first; any still open are
   * closed here so nothing stays on the device, each once its pass in flight has ended (a fit
   * running on another thread then fails at its next pass with an IllegalStateException).
   * Waits for sessions being opened. Idempotent.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      Throwable failure = null;
      for (OpenClSession s : sessions) {
        try {
          s.close();
        } catch (RuntimeException | Error e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw ClContext.closeAndRethrow(context, failure);
      }
      context.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OpenClEngine[" + device.id() + " " + device.name() + "]";
  }
}
