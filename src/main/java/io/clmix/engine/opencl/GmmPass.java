package io.clmix.engine.opencl;

import io.clmix.data.Dataset;
import io.clmix.engine.ChainLink;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import java.util.HashMap;
import java.util.Map;

/**
 * The Gaussian-mixture passes on the device ({@code kernels/gmm.cl}): the E-step
 * ({@code gmm_expect} per block, one acc_t slot of partial statistics per work-group, then
 * {@link SegmentReduction} in a fixed order) and the per-point
 * pass ({@code gmm_pointwise}, labels, log p(x) and optionally responsibilities, read back one
 * data set chunk at a time).
 *
 * <p>Kernels are compiled per (columns, components, covariance family), so the component loops
 * have constant trip counts; a session keeps the kernels of the mixtures it has seen (a fit
 * uses one). Parameters are rounded to float once per pass ({@link GmmLayout#pack}); the
 * statistics come back in double about the means that were given.
 *
 * <p>Rows per group ({@link #rowsPerGroup}) are a function of the data's size, k and the device
 * only, never of timing, so results are reproducible (and streamed passes use the same groups).
 * The size is the whole data set's, so a shard on one of several devices forms the groups one
 * device would.
 */
final class GmmPass {
  /** Largest buffer of partial statistics (and of the per-group scratch), in bytes, at least. */
  static final long PARTIALS_BUDGET = 256L << 20;
  /** Largest buffer of responsibilities for the per-point pass, in bytes. */
  static final long COMPONENTS_BUDGET = 128L << 20;
  /** Bytes of local memory left to the compiler. */
  private static final long LOCAL_MARGIN = 1024;

  /** Kernels of one layout, made in this session from the engine's cached program. */
  private record Kernels(GmmLayout layout, ClKernel expect, ClKernel pointwise, Plan plan) {}

  /** How one layout uses local memory: staged tile, staged parameter tiles. */
  record Plan(boolean tileLocal, boolean paramsLocal, int kt, long xtBytes, long ptBytes) {}

  private final OpenClEngine engine;
  private final ClContext cl;
  private final RowBlocks blocks;
  private final KernelConfig config;
  private final SegmentReduction reduction;
  private final ClBuffer noWeights;
  private final int d;
  private final Map<String, Kernels> kernels = new HashMap<>();
  private ClBuffer params;
  private ClBuffer scratch;
  private ClBuffer partials;

  GmmPass(OpenClEngine engine, ClContext cl, RowBlocks blocks, KernelConfig config, ClKernel reduceSegments,
      ClKernel reduceMerge, ClBuffer noWeights) {
    this.engine = engine;
    this.cl = cl;
    this.blocks = blocks;
    this.config = config;
    this.reduction = new SegmentReduction(cl, reduceSegments, reduceMerge, false, "mixture");
    this.noWeights = noWeights;
    this.d = blocks.data().cols();
  }

  /**
   * Whether the statistics go by (point, component) pairs, into double slots: CPU-shaped
   * configurations (vectors of points per work-item) on devices with fp64. GPU-shaped ones
   * (one point per work-item) use register-tiled jobs, whose zero-skipping branch is uniform.
   */
  boolean pairs() {
    return config.gmmLanes() > 1 && cl.device().fp64();
  }

  /** Points per tile. */
  int tileRows() {
    return config.gmmTileRows();
  }

  /**
   * Rows per work-group for this layout: whole tiles, doubled until partials and scratch fit the
   * budget. GPU-shaped configurations start from the configuration's tiles per group (many
   * groups for many compute units, the budget {@link #partialsBudget} a share of the device's
   * memory so 10M rows keep thousands of groups); CPU-shaped ones from eight to sixteen groups
   * per compute unit, a power of two of tiles up to 64, so the double slots to clear and reduce
   * stay few (a power of two, so that shard boundaries on multiples of 64 tiles fall on group
   * boundaries, {@link OpenClEngine#shardRows}). Both depend on the whole data set's size and
   * the device only, never on timing.
   */
  int rowsPerGroup(GmmLayout layout) {
    int tile = tileRows();
    long base;
    if (config.gmmLanes() == 1) {
      base = (long) tile * config.tilesPerGroup();
    } else {
      long perUnit = blocks.data().wholeRows() / (8L * Math.max(1, cl.device().computeUnits()));
      long tiles = Math.min(64, Math.max(1, perUnit / tile));
      base = (long) tile * Long.highestOneBit(tiles);
    }
    int rpg = (int) Math.min(Math.max(tile, base), 1 << 29);
    long limit = partialsBudget(cl.device());
    while (rpg < (1 << 29) && perGroupBytes(layout) * blocks.wholeGroups(rpg) > limit) {
      rpg *= 2;
    }
    return rpg;
  }

  /** The largest partial-statistics buffer: {@link #PARTIALS_BUDGET} or 1/32 of the device's memory. */
  static long partialsBudget(ClDeviceInfo device) {
    return Math.min(Math.max(PARTIALS_BUDGET, device.globalMemBytes() / 32), device.maxAllocBytes());
  }

  /** Device bytes per work-group of an E-step: its slot of partial statistics and its scratch. */
  private long perGroupBytes(GmmLayout layout) {
    return 8L * layout.slot + 4L * layout.k * tileRows();
  }

  /** The local-memory plan of a layout on this device. */
  Plan plan(GmmLayout layout) {
    return plan(cl.device(), config, layout);
  }

  /**
   * The local-memory plan of {@code layout} on {@code device} with the resolved {@code config}.
   *
   * @throws EngineException of kind LOCAL_MEMORY when the plan must stage a tile of points and
   *     a tile of rows this wide does not fit (always so on CPU devices)
   */
  static Plan plan(ClDeviceInfo device, KernelConfig config, GmmLayout layout) {
    int d = layout.d;
    int tile = config.gmmTileRows();
    int xs = tile + (config.gmmLanes() == 1 ? 1 : 0);
    long masks = config.gmmLanes() == 1 ? 4L * layout.k * ((tile + 31) / 32) : 0;
    long fixed = 4L * tile + 8L * config.workGroupSize() + masks + LOCAL_MARGIN;
    long xt = 4L * layout.dp * xs;
    long budget = device.localMemBytes();
    if (!device.isGpu()) {
      // CPU local memory is ordinary memory: stage the tile (the lanes need it transposed),
      // read parameters where they are.
      if (fixed + xt > budget) {
        throw LocalPlan.tooWide(device, "a Gaussian mixture", d, fixed + xt);
      }
      return new Plan(true, false, layout.k, xt, 16);
    }
    long shared = layout.cov == GmmLayout.SHARED ? 4L * d * layout.dp : 0;
    long per = 4L * layout.pstride;
    // The tile stays local when it fits with at least one parameter record; wider data read
    // their points from global memory (through the cache) and keep local memory for parameters.
    boolean tileLocal = fixed + xt + shared + per <= budget || config.gmmLanes() != 1;
    if (tileLocal && fixed + xt > budget) {
      throw LocalPlan.tooWide(device, "a Gaussian mixture", d, fixed + xt);
    }
    long left = budget - fixed - (tileLocal ? xt : 4);
    long fits = (left - shared) / per;
    if (fits < 1) {
      return new Plan(tileLocal, false, layout.k, tileLocal ? xt : 4, 16);
    }
    int kt = (int) Math.min(fits, layout.k);
    return new Plan(tileLocal, true, kt, tileLocal ? xt : 4, 4L * kt * layout.pstride + shared);
  }

  private Kernels kernelsFor(MixtureParams p) {
    String key = p.k() + "/" + GmmLayout.covCode(p.type());
    Kernels ks = kernels.get(key);
    if (ks == null) {
      GmmLayout layout = new GmmLayout(d, p.k(), p.type(), config.gmmBlock(), pairs());
      Plan plan = plan(layout);
      ClProgram program = engine.gmmProgram(layout, plan.paramsLocal(), plan.tileLocal());
      ClKernel expect = cl.kernel(program, "gmm_expect");
      ClKernel pointwise = cl.kernel(program, "gmm_pointwise");
      for (ClKernel kn : new ClKernel[] {expect, pointwise}) {
        long max = kn.maxWorkGroupSize();
        if (max < config.workGroupSize()) {
          throw new EngineException(Kind.BUILD, kn.name() + " for " + d + " columns and " + p.k() + " components runs at"
              + " most " + max + " work-items per group on " + cl.device().name() + "; the configuration asks for "
              + config.workGroupSize());
        }
      }
      ks = new Kernels(layout, expect, pointwise, plan);
      kernels.put(key, ks);
    }
    return ks;
  }

  private GmmLayout.Packed upload(Kernels ks, MixtureParams p) {
    GmmLayout.Packed packed = ks.layout().pack(p);
    float[] f = packed.floats();
    params = cl.ensure(params, "mixture parameters", 4L * f.length);
    params.write(0, f, 0, f.length);
    return packed;
  }

  /**
   * One E-step with parameters {@code p}; {@code link}, when not null, chains its reduction with
   * the other shards' ({@link SegmentReduction}).
   */
  SufficientStats expect(MixtureParams p, Responsibilities mode, ChainLink link) {
    Kernels ks = kernelsFor(p);
    GmmLayout layout = ks.layout();
    Plan plan = ks.plan();
    int rpg = rowsPerGroup(layout);
    int groups = blocks.totalGroups(rpg);
    int len = layout.slot;
    GmmLayout.Packed packed = upload(ks, p);
    scratch = cl.ensure(scratch, "mixture scratch", 4L * groups * layout.k * tileRows());
    partials = cl.ensure(partials, "mixture partial statistics", 8L * groups * len);

    int wg = config.workGroupSize();
    ClKernel k = ks.expect();
    k.arg(4, rpg).arg(5, params).arg(6, plan.kt()).arg(7, mode == Responsibilities.HARD ? 1 : 0)
        .arg(8, scratch).arg(9, partials)
        .local(11, plan.xtBytes()).local(12, 4L * tileRows()).local(13, plan.ptBytes()).local(14, 8L * wg)
        .local(15, pairs() || config.gmmLanes() > 1 ? 4 : 4L * layout.k * ((tileRows() + 31) / 32));
    blocks.forEachUnit(rpg, RowBlocks.State.NONE, u -> {
      k.arg(0, u.data()).arg(1, u.weights() != null ? u.weights() : noWeights).arg(2, u.weights() != null ? 1 : 0)
          .arg(3, u.rows()).arg(10, u.groupBase());
      k.launch((long) RowBlocks.groups(u, rpg) * wg, wg);
    });
    Dataset data = blocks.data();
    SegmentReduction.Result r = reduction.reduce(partials, null, groups, len, rpg, link, data::totalWeight);
    return layout.decode(r.words(), cl.device().fp64(), packed, r.weight().getAsDouble(), p.scatterShape());
  }

  void pointwise(MixtureParams p, PointSink sink) {
    Kernels ks = kernelsFor(p);
    GmmLayout layout = ks.layout();
    Plan plan = ks.plan();
    Dataset data = blocks.data();
    int k = p.k();
    boolean all = sink.wantsComponents();
    int maxChunk = 0;
    for (int i = 0; i < data.chunkCount(); i++) {
      maxChunk = Math.max(maxChunk, data.rowsIn(i));
    }
    if (all && (long) maxChunk * k > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("responsibilities of " + k + " components for chunks of " + maxChunk
          + " rows do not fit one Java array; use smaller chunks");
    }
    int tile = tileRows();
    long limit = all ? Math.min(COMPONENTS_BUDGET, cl.device().maxAllocBytes()) / (4L * k) : PointwisePass.MAX_SEGMENT_ROWS;
    int segment = (int) Math.max(tile, Math.min(Math.min(limit, PointwisePass.MAX_SEGMENT_ROWS), maxChunk));
    // No reductions here, so groups only bound the scratch (one k x tile slot each): at most
    // what the partials budget holds, and at most 1024 per launch.
    long maxGroups = Math.max(1, Math.min(1024, partialsBudget(cl.device()) / (4L * k * tile)));
    int rpg = (int) Math.max((long) tile * Math.min(config.tilesPerGroup(), 16),
        ((segment + maxGroups - 1) / maxGroups + tile - 1) / tile * tile);
    int segGroups = (segment + rpg - 1) / rpg + 1;
    GmmLayout.Packed packed = upload(ks, p);
    scratch = cl.ensure(scratch, "mixture scratch", 4L * segGroups * k * tile);
    PointOutputs out = new PointOutputs(cl, "mixture", "log-likelihoods", "responsibilities", maxChunk, segment, k,
        all);
    Throwable failure = null;
    try {
      ClKernel kn = ks.pointwise();
      kn.arg(3, rpg).arg(4, params).arg(5, plan.kt()).arg(6, scratch).arg(7, out.outLabel).arg(8, out.outValue)
          .arg(9, out.outComp).arg(10, all ? 1 : 0)
          .local(11, plan.xtBytes()).local(12, 4L * tile).local(13, plan.ptBytes());
      out.forEachChunk(blocks, kn, rpg, config.workGroupSize(), (chunk, chunkStart, rows) -> {
        // The kernel's log-likelihoods are relative to the largest log normaliser.
        double s = packed.shift();
        for (int i = 0; i < rows; i++) {
          out.values[i] = (float) (out.values[i] + s);
        }
        sink.accept(chunk, chunkStart, rows, out.labels, out.values, out.comps);
      });
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      out.release(failure);
    }
  }
}
