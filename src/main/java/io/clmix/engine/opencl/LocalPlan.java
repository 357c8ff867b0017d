package io.clmix.engine.opencl;

import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;

/**
 * How a scoring kernel uses the device's local memory: how many centres one tile holds
 * ({@code tileK}, a multiple of the centre step) and whether a work-group's statistics fit there too
 * ({@code accLocal}; otherwise they accumulate in the group's slot of the global partials).
 * Preference: all centres and the statistics local; then the statistics local and the centres
 * in tiles; then only centre tiles local.
 *
 * <p>Rows so wide that not even one step of centres fits are an {@link EngineException} of kind
 * LOCAL_MEMORY ({@link #tooWide}).
 *
 * @param tileK centres per local tile
 * @param accLocal whether the group's k x (d + 2) statistics live in local memory
 */
record LocalPlan(int tileK, boolean accLocal) {
  /** Bytes left unused for the compiler's own local variables. */
  private static final long MARGIN = 1024;

  /** The plan for {@code km_assign} with k centres, {@code dim} columns and {@code tileRows} rows per tile. */
  static LocalPlan forAssign(ClDeviceInfo device, KernelConfig config, int k, int dim) {
    return forScan(device, config, k, dim, 3L * 4 * config.tileRows());
  }

  /**
   * The plan for {@code km_assign_pruned} ({@code kmeans_pruned.cl}), whose only per-row local
   * array is the window's list of rows to scan ({@code window + 1} ints).
   */
  static LocalPlan forPrunedAssign(ClDeviceInfo device, KernelConfig config, int k, int dim, int window) {
    return forScan(device, config, k, dim, 4L * (window + 1));
  }

  private static LocalPlan forScan(ClDeviceInfo device, KernelConfig config, int k, int dim, long tiles) {
    long budget = device.localMemBytes() - MARGIN;
    long acc = 4L * k * (dim + 2);
    long perCentre = 4L * (dim + 1);
    int step = config.centreStep();
    int kPad = CentreBuffers.padded(k, config.paddingStep());
    if (tiles + acc + kPad * perCentre <= budget) {
      return new LocalPlan(kPad, true);
    }
    if (acc <= budget / 2 && tiles + acc + step * perCentre <= budget) {
      return new LocalPlan(roundDown((budget - tiles - acc) / perCentre, kPad, step), true);
    }
    return new LocalPlan(tileFor(device, budget - tiles, perCentre, kPad, step, dim), false);
  }

  /** The plan for {@code km_pointwise}: centre tiles only. */
  static LocalPlan forPointwise(ClDeviceInfo device, KernelConfig config, int k, int dim) {
    long perCentre = 4L * (dim + 1);
    int step = config.centreStep();
    int kPad = CentreBuffers.padded(k, config.paddingStep());
    return new LocalPlan(tileFor(device, device.localMemBytes() - MARGIN, perCentre, kPad, step, dim), false);
  }

  /**
   * Whether the register-tiled Lloyd kernel of {@code config}'s shape fits local memory for rows
   * of {@code dim} columns with some k: its tile and one step of centres (the configured
   * variant, fused or split, with the fewest clusters).
   */
  static boolean gemmFits(ClDeviceInfo device, KernelConfig config, int dim) {
    return forGemm(device, config, 1, dim, !config.kmAccSplit()) != null;
  }

  /**
   * The plan for {@code km_assign_gemm}, or null when even one step of centres with the tile
   * does not fit (then the scan kernel runs): the tile, the argmin exchange, the per-point
   * arrays and the cluster masks always local; then, by preference, all centres and the
   * statistics, the statistics and centre tiles, centre tiles alone. {@code fused} false: the
   * split variant's {@code km_assign_gemm} ({@link KernelConfig#kmAccSplit}), which has no
   * masks, no per-point weights and distances and no statistics (accLocal is false), so more
   * centres fit.
   */
  static LocalPlan forGemm(ClDeviceInfo device, KernelConfig config, int k, int dim, boolean fused) {
    return forGemm(device, config, k, dim, fused, false);
  }

  /**
   * {@link #forGemm(ClDeviceInfo, KernelConfig, int, int, boolean)} for the pruned form where
   * {@code pruned}, which also keeps each point's second-lowest score per point group and the
   * list of rows to score (up to two tiles' worth) in local memory.
   */
  static LocalPlan forGemm(ClDeviceInfo device, KernelConfig config, int k, int dim, boolean fused, boolean pruned) {
    if (config.kmGroups() <= 0) {
      return null;
    }
    long budget = device.localMemBytes() - MARGIN;
    int tile = config.gemmTileRows();
    int xs = (tile + 3) / 4 * 4 + 4;
    long fixed = 4L * dim * xs + 8L * config.kmGroups() * tile + 4L * Math.max(tile, config.workGroupSize())
        + (fused ? 8L * tile + 4L * k * ((tile + 31) / 32) : 0)
        + (pruned ? 4L * config.kmGroups() * tile + 4L * (2 * tile + 1) : 0);
    long acc = fused ? 4L * k * (dim + 2) : 0;
    long perCentre = 4L * (dim + 1);
    int step = config.paddingStep();
    int kPad = CentreBuffers.padded(k, step);
    if (fixed + acc + kPad * perCentre <= budget) {
      return new LocalPlan(kPad, fused);
    }
    if (fixed + acc + step * perCentre <= budget) {
      return new LocalPlan(roundDown((budget - fixed - acc) / perCentre, kPad, step), fused);
    }
    if (fixed + step * perCentre <= budget) {
      return new LocalPlan(roundDown((budget - fixed) / perCentre, kPad, step), false);
    }
    return null;
  }

  /** Most rows km_accumulate sorts at a time: the size measured on the H100 (docs/benchmarks.md, GPU). */
  static final int ACC_CHUNK = 1024;
  /** Fewest: below this, each statistics element's per-chunk overhead outweighs its rows. */
  static final int MIN_ACC_CHUNK = 256;

  /**
   * Rows per chunk of the split variant's {@code km_accumulate} ({@link KernelConfig#kmAccSplit})
   * for k clusters and groups of {@code rowsPerGroup} rows: the group's rows, at most
   * {@value #ACC_CHUNK}, halved while the chunk's arrays (labels and places of its rows, a mask
   * and a first place per cluster and 32 rows, the clusters' starts) do not fit local memory;
   * 0 below {@value #MIN_ACC_CHUNK} rows (large k), where the fused kernel runs instead, with
   * its statistics in global memory. Chunks only change how often the group's sums pass through
   * its slot, never the order of the additions.
   */
  static int accumulateChunk(ClDeviceInfo device, int k, int rowsPerGroup) {
    int chunk = Math.min(rowsPerGroup, ACC_CHUNK);
    while (accumulateBytes(k, chunk) > device.localMemBytes() - MARGIN) {
      if (chunk <= MIN_ACC_CHUNK) {
        return 0;
      }
      chunk = Math.max(MIN_ACC_CHUNK, chunk / 2);
    }
    return chunk;
  }

  /** Local memory of {@code km_accumulate} for chunks of {@code chunkRows} rows, in bytes. */
  static long accumulateBytes(int k, int chunkRows) {
    return 8L * chunkRows + 8L * k * maskStride(chunkRows) + 4L * (k + 1);
  }

  /**
   * Words per cluster in {@code km_accumulate}'s masks and places for chunks of
   * {@code chunkRows} rows: one per 32 rows, made odd so that the clusters' rows start in
   * different banks (the kernel's {@code ms}).
   */
  static int maskStride(int chunkRows) {
    return ((chunkRows + 31) / 32) | 1;
  }

  private static int tileFor(ClDeviceInfo device, long budget, long perCentre, int kPad, int step, int dim) {
    if (budget < step * perCentre) {
      // One step of centres is the least a work-group can score; nothing but fewer columns helps.
      throw tooWide(device, "K-means", dim, device.localMemBytes() - budget + step * perCentre);
    }
    return roundDown(budget / perCentre, kPad, step);
  }

  /**
   * The failure for rows of {@code dim} columns too wide for the device: {@code what} ("K-means",
   * "a Gaussian mixture") needs {@code need} bytes of local memory per work-group. Of kind
   * LOCAL_MEMORY, not ALLOCATION: streaming the data would not help, since every chunk has as
   * many columns.
   */
  static EngineException tooWide(ClDeviceInfo device, String what, int dim, long need) {
    long has = device.localMemBytes();
    return new EngineException(Kind.LOCAL_MEMORY, what + " on " + dim + " columns needs " + need
        + " bytes of local memory per work-group; the device has " + has + " bytes (" + (has >> 10) + " KiB)");
  }

  private static int roundDown(long centres, int kPad, int step) {
    long t = Math.min(centres, kPad) / step * step;
    return (int) Math.max(step, t);
  }
}
