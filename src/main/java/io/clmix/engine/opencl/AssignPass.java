package io.clmix.engine.opencl;

import io.clmix.engine.Centroids;
import io.clmix.engine.ChainLink;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.pruning.BoundTest;

/**
 * The Lloyd pass: {@code km_assign} (or, with {@link KernelConfig#kmGroups}, the register-tiled
 * {@code km_assign_gemm}, where its local-memory plan fits) per block writes labels, distances
 * and one float32 partial statistics slot per work-group; {@link SegmentReduction} adds the
 * slots in a fixed order in double (compensated float without fp64), and only
 * {@code k * (d + 2) + 1} 64-bit words come back to the host.
 *
 * <p>With {@link KernelConfig#kmAccSplit} the register-tiled pass runs split: per unit,
 * {@code km_assign_gemm} without its accumulation, then {@code km_accumulate} over the same rows
 * and work-groups, which fills the same slots with the same bits; the changed counts and the
 * reduction are the fused pass's. Where km_accumulate's arrays do not fit local memory even for
 * chunks of {@link LocalPlan#MIN_ACC_CHUNK} rows (large k), or the kernel cannot run
 * {@link KernelConfig#ACC_GROUP} work-items per group, the fused kernel runs
 * ({@link LocalPlan#accumulateChunk}).
 *
 * <p>With pruning ({@link KernelConfig#pruning}, resident data, {@code cl_khr_fp64}) the scan
 * kernel's pass runs as {@code km_assign_pruned} ({@code kmeans_pruned.cl}), and the
 * register-tiled kernel in its pruned form ({@code KG_PRUNE}): Hamerly's bounds let rows keep
 * their label without the scoring, with the same bits as the unpruned pass. Both keep their
 * bounds in the same per-row buffer; a pass of another kind makes the next pruned pass start
 * afresh ({@link DeviceBounds#forget}).
 *
 * <p>Rows per group are fixed by the data's shape and k (never by timing), so the same input on
 * the same device gives the same bits. They start at the configuration's value and double
 * while the partials would exceed {@link #PARTIALS_BUDGET}, which keeps memory bounded for
 * large k at the price of longer float32 sums inside each group. The shape is the whole data
 * set's ({@link RowBlocks#wholeGroups}), so a shard of it on one of several devices forms the
 * groups one device would.
 */
final class AssignPass {
  /** The register-tiled Lloyd programs of the session's width, built on first use. */
  @FunctionalInterface
  interface GemmPrograms {
    /** The fused kernel or the split pair, unpruned or in the pruned form. */
    ClProgram get(boolean fused, boolean pruned);
  }

  /** Largest partial-statistics buffer, in bytes. */
  static final long PARTIALS_BUDGET = 256L << 20;

  private final ClContext cl;
  private final RowBlocks blocks;
  private final CentreBuffers centres;
  private final KernelConfig config;
  private final ClKernel assignResident;
  private final ClKernel assignTiled;
  private final SegmentReduction reduction;
  private final ClBuffer noWeights;
  /** The register-tiled kernels' programs. */
  private final GemmPrograms gemmPrograms;
  /** Whether the split variant is configured ({@link KernelConfig#kmAccSplit}). */
  private final boolean splitConfigured;
  /** The fused kernel, unpruned [0] and pruned [1], made on first use. */
  private final ClKernel[] gemm = new ClKernel[2];
  /** The split variant's two kernels, unpruned [0] and pruned [1], made on first use. */
  private final ClKernel[] splitAssign = new ClKernel[2];
  private final ClKernel[] accumulate = new ClKernel[2];
  /** Whether this device cannot run the split variant's km_accumulate (known after the first try). */
  private boolean splitUnusable;
  /** Passes that ran the split variant (for tests). */
  private long splitPasses;
  /** The pruned kernels' program (null when this session does not prune), built on first use. */
  private final java.util.function.Supplier<ClProgram> prunedProgram;
  private ClKernel prunedResident;
  private ClKernel prunedTiled;
  private final DeviceBounds bounds;
  /** Passes that ran the pruned kernels (for tests). */
  private long prunedPasses;
  /** Passes that ran the register-tiled kernel (for tests). */
  private long gemmPasses;
  /** Passes that ran the register-tiled kernel's pruned form (for tests). */
  private long prunedGemmPasses;
  private final int d;
  private ClBuffer partials;
  private ClBuffer changed;

  AssignPass(ClContext cl, RowBlocks blocks, CentreBuffers centres, KernelConfig config, ClKernel assignResident,
      ClKernel assignTiled, ClKernel reduceSegments, ClKernel reduceMerge, ClBuffer noWeights,
      GemmPrograms gemmPrograms, java.util.function.Supplier<ClProgram> prunedProgram) {
    this.cl = cl;
    this.blocks = blocks;
    this.centres = centres;
    this.config = config;
    this.assignResident = assignResident;
    this.assignTiled = assignTiled;
    this.reduction = new SegmentReduction(cl, reduceSegments, reduceMerge, true, "assignment");
    this.noWeights = noWeights;
    this.gemmPrograms = gemmPrograms;
    this.splitConfigured = config.kmGroups() > 0 && config.kmAccSplit();
    this.d = blocks.data().cols();
    DeviceBounds b = new DeviceBounds(cl, d);
    boolean prune = prunedProgram != null && !blocks.streaming() && b.usable();
    this.prunedProgram = prune ? prunedProgram : null;
    this.bounds = prune ? b : null;
  }

  /** Whether this pass prunes with Hamerly's bounds (when the scan kernel runs). */
  boolean pruning() {
    return bounds != null;
  }

  /** Rows per work-group of the scan kernel for k centres (see {@link #rowsPerGroup(int, int)}). */
  int rowsPerGroup(int k) {
    return rowsPerGroup(k, config.rowsPerGroup());
  }

  /** Rows per work-group for k centres: {@code base}, doubled until the partials fit the budget. */
  int rowsPerGroup(int k, int base) {
    long statLen = (long) k * (d + 2);
    long limit = Math.min(PARTIALS_BUDGET, cl.device().maxAllocBytes());
    int rpg = base;
    while (4L * statLen * blocks.wholeGroups(rpg) > limit && rpg < (1 << 29)) {
      rpg *= 2;
    }
    return rpg;
  }

  /**
   * One Lloyd pass with centres {@code c}; {@code link}, when not null, chains its reduction with
   * the other shards' ({@link SegmentReduction}).
   */
  SufficientStats run(Centroids c, ChainLink link) {
    int k = c.k();
    if (splitConfigured) {
      int chunk = LocalPlan.accumulateChunk(cl.device(), k, rowsPerGroup(k, config.gemmRowsPerGroup()));
      for (boolean pruned : gemmForms()) {
        LocalPlan splitPlan = LocalPlan.forGemm(cl.device(), config, k, d, false, pruned);
        if (splitPlan != null && chunk > 0 && splitKernels(pruned)) {
          return runGemm(c, splitPlan, chunk, pruned, link);
        }
      }
    }
    for (boolean pruned : gemmForms()) {
      LocalPlan gemmPlan = LocalPlan.forGemm(cl.device(), config, k, d, true, pruned);
      if (gemmPlan != null) {
        return runGemm(c, gemmPlan, 0, pruned, link);
      }
    }
    if (bounds != null) {
      return runPruned(c, link);
    }
    int statLen = Math.multiplyExact(k, d + 2);
    int rpg = rowsPerGroup(k);
    int groups = blocks.totalGroups(rpg);
    ensureCapacity((long) groups * statLen, groups);
    centres.upload(c.values(), k);
    LocalPlan plan = LocalPlan.forAssign(cl.device(), config, k, d);
    int wg = config.workGroupSize();
    int tileRows = config.tileRows();
    ClKernel assign = plan.tileK() >= centres.kPad() ? assignResident : assignTiled;

    assign.arg(5, centres.rowMajor()).arg(6, centres.transposed()).arg(7, centres.norms())
        .arg(8, k).arg(9, centres.kPad()).arg(10, plan.tileK())
        .arg(13, partials).arg(14, changed).arg(16, plan.accLocal() ? 1 : 0)
        .local(17, 4L * plan.tileK() * d).local(18, 4L * plan.tileK())
        .local(19, plan.accLocal() ? 4L * statLen : 4)
        .local(20, 4L * tileRows).local(21, 4L * tileRows).local(22, 4L * tileRows);
    blocks.forEachUnit(rpg, RowBlocks.State.ASSIGN, u -> {
      assign.arg(0, u.data()).arg(1, u.weights() != null ? u.weights() : noWeights)
          .arg(2, u.weights() != null ? 1 : 0).arg(3, u.rows()).arg(4, rpg).arg(11, u.labels()).arg(12, u.dist())
          .arg(15, u.groupBase()).arg(23, u.stateOffset());
      assign.launch((long) RowBlocks.groups(u, rpg) * wg, wg);
    });
    return reduce(k, groups, rpg, statLen, link);
  }

  private static final boolean[] PRUNED_FIRST = {true, false};
  private static final boolean[] UNPRUNED = {false};

  /** The register-tiled forms to try, in order: the pruned one first where this pass prunes. */
  private boolean[] gemmForms() {
    return bounds != null ? PRUNED_FIRST : UNPRUNED;
  }

  /**
   * The Lloyd pass with the register-tiled kernel ({@code kmeans_gemm.cl}): same statistics
   * layout and reduction as the scan kernel, tiles of {@link KernelConfig#gemmTileRows()} rows.
   * {@code chunk} 0: the fused kernel; otherwise the split variant, whose {@code km_accumulate}
   * runs right after {@code km_assign_gemm} on each unit (the same queue, so it reads the labels
   * and distances just written, and, streaming, before the unit's buffers are reused), sorting
   * each group's rows {@code chunk} at a time ({@link LocalPlan#accumulateChunk}). {@code pruned}:
   * the pruned form ({@code KG_PRUNE}), with this session's bounds; otherwise the bounds are
   * forgotten, as this pass rewrites labels without them.
   */
  private SufficientStats runGemm(Centroids c, LocalPlan plan, int chunk, boolean pruned, ChainLink link) {
    boolean split = chunk > 0;
    int form = pruned ? 1 : 0;
    int k = c.k();
    int statLen = Math.multiplyExact(k, d + 2);
    int tile = config.gemmTileRows();
    int rpg = rowsPerGroup(k, config.gemmRowsPerGroup());
    int groups = blocks.totalGroups(rpg);
    ensureCapacity((long) groups * statLen, groups);
    centres.upload(c.values(), k);
    if (!split && gemm[form] == null) {
      gemm[form] = checkedKernel(gemmPrograms.get(true, pruned), "km_assign_gemm");
    }
    ClKernel assign = split ? splitAssign[form] : gemm[form];
    int wg = config.workGroupSize();
    int xs = (tile + 3) / 4 * 4 + 4;
    int groupsPerPoint = config.kmGroups();
    // The split variant's km_assign_gemm keeps the arguments but reads neither the statistics,
    // nor the per-point weights and distances, nor the masks (arguments 19, 24 to 26).
    assign.arg(5, centres.rowMajor()).arg(6, centres.transposed()).arg(7, centres.norms())
        .arg(8, k).arg(9, centres.kPad()).arg(10, plan.tileK())
        .arg(13, partials).arg(14, changed).arg(16, plan.accLocal() ? 1 : 0)
        .local(17, 4L * plan.tileK() * d).local(18, 4L * plan.tileK())
        .local(19, plan.accLocal() ? 4L * statLen : 4)
        .local(20, 4L * d * xs).local(21, 4L * groupsPerPoint * tile).local(22, 4L * groupsPerPoint * tile)
        .local(23, 4L * Math.max(tile, wg)).local(24, split ? 4 : 4L * tile).local(25, split ? 4 : 4L * tile)
        .local(26, split ? 4 : 4L * k * ((tile + 31) / 32));
    BoundTest test = null;
    if (pruned) {
      blocks.ensureLowerState();
      test = bounds.begin(c);
      assign.arg(29, bounds.upload(test)).arg(30, test.carriesBounds() ? 1 : 0).arg(31, test.up())
          .arg(32, test.down()).arg(33, test.marginBase()).arg(34, test.marginSlope())
          .local(35, 4L * groupsPerPoint * tile).local(36, 4L * (2 * tile + 1));
    } else if (bounds != null) {
      bounds.forget();
    }
    ClKernel acc = split ? accumulate[form] : null;
    if (split) {
      // Per chunk of a group's rows: their labels and places, then masks and first places per
      // cluster and 32 rows, and the clusters' starts (LocalPlan.accumulateBytes).
      int words = LocalPlan.maskStride(chunk);
      acc.arg(4, rpg).arg(5, centres.rowMajor()).arg(6, k).arg(9, partials)
          .local(11, 4L * chunk).local(12, 4L * k * words).local(13, 4L * k * words).local(14, 4L * (k + 1))
          .local(15, 4L * chunk).arg(17, chunk);
    }
    blocks.forEachUnit(rpg, RowBlocks.State.ASSIGN, u -> {
      ClBuffer weights = u.weights() != null ? u.weights() : noWeights;
      int weighted = u.weights() != null ? 1 : 0;
      assign.arg(0, u.data()).arg(1, weights).arg(2, weighted).arg(3, u.rows()).arg(4, rpg)
          .arg(11, u.labels()).arg(12, u.dist()).arg(15, u.groupBase()).arg(27, u.stateOffset());
      if (pruned) {
        assign.arg(28, u.block().lower);
      }
      assign.launch((long) RowBlocks.groups(u, rpg) * wg, wg);
      if (split) {
        acc.arg(0, u.data()).arg(1, weights).arg(2, weighted).arg(3, u.rows())
            .arg(7, u.labels()).arg(8, u.dist()).arg(10, u.groupBase()).arg(16, u.stateOffset());
        acc.launch((long) RowBlocks.groups(u, rpg) * KernelConfig.ACC_GROUP, KernelConfig.ACC_GROUP);
      }
    });
    SufficientStats st = reduce(k, groups, rpg, statLen, link);
    gemmPasses++;
    if (split) {
      splitPasses++;
    }
    if (pruned) {
      bounds.commit(c);
      prunedGemmPasses++;
    }
    return st;
  }

  /**
   * The Lloyd pass with Hamerly's bounds ({@code kmeans_pruned.cl}): the scan kernel's work-groups,
   * statistics layout and reduction, so the same bits; rows whose bounds prove their label skip
   * the scan. Windows of rows share one list of rows to scan: {@link #window}.
   */
  private SufficientStats runPruned(Centroids c, ChainLink link) {
    int k = c.k();
    int statLen = Math.multiplyExact(k, d + 2);
    int rpg = rowsPerGroup(k);
    int groups = blocks.totalGroups(rpg);
    ensureCapacity((long) groups * statLen, groups);
    centres.upload(c.values(), k);
    if (prunedResident == null || prunedTiled == null) {
      // Both or neither: a pass that failed making the second must not leave the first alone.
      ClProgram p = prunedProgram.get();
      ClKernel resident = checkedKernel(p, "km_assign_pruned_resident");
      prunedTiled = checkedKernel(p, "km_assign_pruned_tiled");
      prunedResident = resident;
    }
    blocks.ensureLowerState();
    int window = window(rpg);
    LocalPlan plan = LocalPlan.forPrunedAssign(cl.device(), config, k, d, window);
    ClKernel kernel = plan.tileK() >= centres.kPad() ? prunedResident : prunedTiled;
    BoundTest test = bounds.begin(c);
    ClBuffer moves = bounds.upload(test);
    int wg = config.workGroupSize();
    kernel.arg(5, centres.rowMajor()).arg(6, centres.transposed()).arg(7, centres.norms())
        .arg(8, k).arg(9, centres.kPad()).arg(10, plan.tileK())
        .arg(13, partials).arg(14, changed).arg(16, plan.accLocal() ? 1 : 0)
        .local(17, 4L * plan.tileK() * d).local(18, 4L * plan.tileK())
        .local(19, plan.accLocal() ? 4L * statLen : 4)
        .local(20, 4L * (window + 1)).arg(21, window)
        .arg(24, moves).arg(25, test.carriesBounds() ? 1 : 0)
        .arg(26, test.up()).arg(27, test.down()).arg(28, test.marginBase()).arg(29, test.marginSlope());
    blocks.forEachUnit(rpg, RowBlocks.State.ASSIGN, u -> {
      kernel.arg(0, u.data()).arg(1, u.weights() != null ? u.weights() : noWeights)
          .arg(2, u.weights() != null ? 1 : 0).arg(3, u.rows()).arg(4, rpg).arg(11, u.labels()).arg(12, u.dist())
          .arg(15, u.groupBase()).arg(22, u.stateOffset()).arg(23, u.block().lower);
      kernel.launch((long) RowBlocks.groups(u, rpg) * wg, wg);
    });
    SufficientStats st = reduce(k, groups, rpg, statLen, link);
    bounds.commit(c);
    prunedPasses++;
    return st;
  }

  /**
   * Rows per window of the pruned kernel: the group's rows when they are few, else about 1024
   * (a whole number of tiles), so a window's rows to scan fill the scan's tiles and the list
   * stays small in local memory.
   */
  int window(int rowsPerGroup) {
    int tile = config.tileRows();
    int w = Math.max(tile, (1024 + tile - 1) / tile * tile);
    return Math.min(rowsPerGroup, w);
  }

  /**
   * Makes the split variant's kernels (of the pruned form or not) on first use; false (the fused
   * kernel then runs) where km_accumulate cannot run {@link KernelConfig#ACC_GROUP} work-items
   * per group on this device.
   */
  private boolean splitKernels(boolean pruned) {
    int form = pruned ? 1 : 0;
    if (accumulate[form] == null && !splitUnusable) {
      ClProgram p = gemmPrograms.get(false, pruned);
      ClKernel acc = cl.kernel(p, "km_accumulate");
      if (acc.maxWorkGroupSize() < KernelConfig.ACC_GROUP) {
        splitUnusable = true; // the kernel object stays with the context, which releases it
      } else {
        splitAssign[form] = checkedKernel(p, "km_assign_gemm");
        accumulate[form] = acc;
      }
    }
    return accumulate[form] != null;
  }

  private ClKernel checkedKernel(ClProgram p, String name) {
    ClKernel kernel = cl.kernel(p, name);
    if (kernel.maxWorkGroupSize() < config.workGroupSize()) {
      throw new EngineException(Kind.BUILD, name + " for " + d + " columns runs at most " + kernel.maxWorkGroupSize()
          + " work-items per group on " + cl.device().name() + "; the configuration asks for "
          + config.workGroupSize());
    }
    return kernel;
  }

  /** Passes that ran the pruned kernels so far (for tests). */
  long prunedPasses() {
    return prunedPasses;
  }

  /** Passes that ran the register-tiled kernel so far, in either variant (for tests). */
  long gemmPasses() {
    return gemmPasses;
  }

  /** Passes that ran the register-tiled kernel's pruned form so far (for tests). */
  long prunedGemmPasses() {
    return prunedGemmPasses;
  }

  /** Passes that ran the split variant of the register-tiled kernel so far (for tests). */
  long splitPasses() {
    return splitPasses;
  }

  private SufficientStats reduce(int k, int groups, int rpg, int statLen, ChainLink link) {
    long[] words = reduction.reduce(partials, changed, groups, statLen, rpg, link, () -> Double.NaN).words();
    return decode(words, k);
  }

  private SufficientStats decode(long[] words, int k) {
    boolean fp64 = cl.device().fp64();
    SufficientStats st = new SufficientStats(k, d, SufficientStats.Scatter.NONE);
    double[] weight = st.weight();
    double[] sum = st.sum();
    double inertia = 0;
    int cols = d + 2;
    for (int c = 0; c < k; c++) {
      int o = c * cols;
      for (int j = 0; j < d; j++) {
        sum[c * d + j] = Accumulators.decode(words[o + j], fp64);
      }
      weight[c] = Accumulators.decode(words[o + d], fp64);
      inertia += Accumulators.decode(words[o + d + 1], fp64);
    }
    st.setObjective(inertia);
    st.setChanged(words[k * cols]);
    return st;
  }

  /**
   * Grows the pass's buffers. One closed here whose replacement failed to allocate is released,
   * not alive: the next pass makes it again.
   */
  private void ensureCapacity(long partialFloats, int groups) {
    partials = cl.ensure(partials, "partial statistics", 4 * partialFloats);
    changed = cl.ensure(changed, "changed counts", 4L * groups);
  }

  static long roundUp(long v, long m) {
    return (v + m - 1) / m * m;
  }
}
