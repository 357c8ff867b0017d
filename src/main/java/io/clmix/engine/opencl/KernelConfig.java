package io.clmix.engine.opencl;

import io.clmix.data.InputException;
import io.clmix.engine.pruning.Pruning;

/**
 * The tunables of the OpenCL kernels, passed to the compiler as {@code -D} definitions (see
 * {@code kernels/common.cl} for their meaning and defaults) plus the host-side sizes that shape
 * launches. {@link #defaultsFor} picks values per device type; benchmarks may try others.
 *
 * @param workGroupSize work-items per group (a power of two, 8..1024): {@code WG_SIZE}
 * @param pointsPerItem points one work-item scores at once, 1..8: {@code POINTS_PER_ITEM}
 * @param centreVecs float8 vectors of centres one work-item scores at once, 1..4: with
 *     {@code pointsPerItem} the register tile is pointsPerItem x (8 * centreVecs) scores
 *     ({@code CENTRE_VECS}); k is padded to a multiple of {@code 8 * centreVecs}
 * @param tilesPerGroup tiles of {@code workGroupSize * pointsPerItem} rows each work-group
 *     processes in one pass; more tiles mean fewer partial sums, fewer mean more parallelism
 *     and shorter float32 sums inside a group
 * @param accThreads work-items that accumulate a group's statistics, one column each
 *     ({@code ACC_THREADS}); 0 chooses by device: 1 on a CPU (one loop over contiguous columns
 *     vectorises), a multiple of 32 covering the columns on a GPU
 * @param maxBlockBytes the largest data buffer; 0 means the device's largest allocation. Data
 *     larger than this are split into several blocks (tests use a small value to exercise that)
 * @param maxTrials k-means++ candidates scored per launch: {@code MAX_TRIALS}
 * @param gmmLanes points one work-item of the mixture kernels computes as one vector (1, 4, 8 or
 *     16: {@code GMM_PV}); 0 chooses by device: 16 on a CPU (the lanes of the single work-item;
 *     a float16 is two AVX2 registers that share every parameter broadcast, which took the
 *     E phase from about 26 to 17 ms of CPU time against float8 for n=100k, d=16, k=16, full,
 *     on the 2-core development VM), 1 on a GPU (the work-items are the lanes)
 * @param gmmVecs such vectors per work-item in the mixture E phase, 1..16 ({@code GMM_PI}); a
 *     mixture tile is {@code workGroupSize * gmmLanes * gmmVecs} points; 0 chooses by device:
 *     4 on a CPU (tiles of 64 points), 2 on a GPU (each broadcast float4 of a precision factor
 *     then feeds 8 fmas, which makes the E phase bound by fmas rather than local loads)
 * @param gmmBlock side of the scatter blocks each statistics job holds in registers, 2 or 4
 *     ({@code GMM_QS}); 0 chooses 4
 * @param deviceMemoryBudgetBytes the device memory a session may use for the data; data larger
 *     than this (or than the device) stream through two buffer sets instead of staying resident.
 *     0 means seven eighths of the device's global memory. Tests use a small value to exercise
 *     streaming. A streamed pass moves whole work-groups of rows (the same groups as resident
 *     data, for the same bits), so each buffer set holds at least one group's rows of the pass
 *     ({@link #rowsPerGroup()} or more): a budget smaller than two such sets is exceeded by the
 *     difference
 * @param kmGroups the Lloyd pass's kernel: 0 the per-work-item scan of {@code kmeans.cl} (CPU
 *     devices), or the number of work-items that share a group of points in the register-tiled
 *     {@code kmeans_gemm.cl} (GPUs: {@code KG_GROUPS}, a power of two dividing workGroupSize),
 *     each scoring {@code pointsPerItem} points (1, 2 or 4: {@code KG_P}) against
 *     {@code 8 * centreVecs} centres per step ({@code KG_C}). The scan kernel, still used where
 *     the tiled one does not fit local memory, then scores one point per work-item
 * @param pruning whether Lloyd passes prune with Hamerly's bounds (same bits, fewer distance
 *     computations once the centres settle): the scan kernel as {@code kmeans_pruned.cl}, the
 *     register-tiled kernel ({@link #kmGroups}) in its pruned form ({@code KG_PRUNE} in
 *     {@code kmeans_gemm.cl}); used only on devices with {@code cl_khr_fp64} (the bound test runs
 *     in double) whose per-row state lives on the device
 * @param kmAccSplit where the register-tiled Lloyd pass ({@link #kmGroups} > 0) adds up its
 *     statistics. false: inside {@code km_assign_gemm}, tile by tile (the fused kernel). true (the
 *     GPU default): the split variant, {@code km_assign_gemm} built without that step
 *     ({@code KG_FUSED 0}: no cluster masks or statistics in local memory) and a second kernel,
 *     {@code km_accumulate}, that re-reads each work-group's rows with their labels, sorts them by
 *     cluster (a stable counting sort in local memory) and gives each statistics element to one
 *     work-item, which adds its cluster's rows in row order: the fused kernel's bits, in 2.1
 *     instead of 3.4 ms of kernel time per pass on an H100 (n = 10M, d = 32, k = 64;
 *     docs/benchmarks.md, GPU). Where its local arrays do not fit even for chunks of 256 rows
 *     (k above about 600 at d = 32 with 48 KB), or the device's groups hold fewer than
 *     {@link #ACC_GROUP} work-items, the fused kernel runs. Ignored without kmGroups
 * @param kmAccUnroll rows each work-item of {@code km_accumulate} loads before it adds them
 *     ({@code KA_UNROLL}, 1..16): memory-level parallelism, with the adds still in row order
 */
public record KernelConfig(int workGroupSize, int pointsPerItem, int centreVecs, int tilesPerGroup, int accThreads,
    long maxBlockBytes, int maxTrials, int gmmLanes, int gmmVecs, int gmmBlock, long deviceMemoryBudgetBytes,
    int kmGroups, boolean pruning, boolean kmAccSplit, int kmAccUnroll) {

  /** Rows a work-item of {@code km_accumulate} loads at a time unless configured ({@link #kmAccUnroll}). */
  public static final int ACC_UNROLL = 4;
  /** Work-items per group of {@code km_accumulate} ({@code KA_WG}). */
  public static final int ACC_GROUP = 256;

  /**
   * A configuration with the mixture tunables chosen by device, no memory budget, the scan
   * kernel, pruning as {@link Pruning#enabledByDefault()}.
   */
  public KernelConfig(int workGroupSize, int pointsPerItem, int centreVecs, int tilesPerGroup, int accThreads,
      long maxBlockBytes, int maxTrials) {
    this(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials, 0, 0, 0, 0, 0,
        Pruning.enabledByDefault());
  }

  /** The full configuration with pruning as {@link Pruning#enabledByDefault()}. */
  public KernelConfig(int workGroupSize, int pointsPerItem, int centreVecs, int tilesPerGroup, int accThreads,
      long maxBlockBytes, int maxTrials, int gmmLanes, int gmmVecs, int gmmBlock, long deviceMemoryBudgetBytes,
      int kmGroups) {
    this(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials, gmmLanes,
        gmmVecs, gmmBlock, deviceMemoryBudgetBytes, kmGroups, Pruning.enabledByDefault());
  }

  /** The full configuration with the fused Lloyd accumulation ({@link #kmAccSplit} false). */
  public KernelConfig(int workGroupSize, int pointsPerItem, int centreVecs, int tilesPerGroup, int accThreads,
      long maxBlockBytes, int maxTrials, int gmmLanes, int gmmVecs, int gmmBlock, long deviceMemoryBudgetBytes,
      int kmGroups, boolean pruning) {
    this(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials, gmmLanes,
        gmmVecs, gmmBlock, deviceMemoryBudgetBytes, kmGroups, pruning, false, ACC_UNROLL);
  }

  public KernelConfig {
    if (workGroupSize < 1 || workGroupSize > 1024 || Integer.bitCount(workGroupSize) != 1) {
      throw new IllegalArgumentException("workGroupSize: " + workGroupSize + " is not allowed; expected a power of two in [1, 1024]");
    }
    if (pointsPerItem < 1 || pointsPerItem > 8) {
      throw new IllegalArgumentException("pointsPerItem: " + pointsPerItem + " is not allowed; expected 1..8");
    }
    if (centreVecs < 1 || centreVecs > 4) {
      throw new IllegalArgumentException("centreVecs: " + centreVecs + " is not allowed; expected 1..4");
    }
    if (tilesPerGroup < 1) {
      throw new IllegalArgumentException("tilesPerGroup: " + tilesPerGroup + " is not allowed; expected >= 1");
    }
    if (accThreads < 0 || accThreads > workGroupSize) {
      throw new IllegalArgumentException("accThreads: " + accThreads + " is not allowed; expected 0..workGroupSize");
    }
    if (maxBlockBytes < 0) {
      throw new IllegalArgumentException("maxBlockBytes: " + maxBlockBytes + " is not allowed; expected >= 0");
    }
    if (maxTrials < 1 || maxTrials > 64) {
      throw new IllegalArgumentException("maxTrials: " + maxTrials + " is not allowed; expected 1..64");
    }
    if (gmmLanes != 0 && gmmLanes != 1 && gmmLanes != 4 && gmmLanes != 8 && gmmLanes != 16) {
      throw new IllegalArgumentException("gmmLanes: " + gmmLanes + " is not allowed; expected 0 (auto), 1, 4, 8 or 16");
    }
    if (gmmVecs < 0 || gmmVecs > 16) {
      throw new IllegalArgumentException("gmmVecs: " + gmmVecs + " is not allowed; expected 0 (auto) or 1..16");
    }
    if (gmmBlock != 0 && gmmBlock != 2 && gmmBlock != 4) {
      throw new IllegalArgumentException("gmmBlock: " + gmmBlock + " is not allowed; expected 0 (auto), 2 or 4");
    }
    if (kmGroups != 0 && (Integer.bitCount(kmGroups) != 1 || kmGroups > workGroupSize || kmGroups > 16)) {
      throw new IllegalArgumentException("kmGroups: " + kmGroups + " is not allowed; expected 0 or a power of two up to"
          + " min(16, workGroupSize)");
    }
    if (kmGroups != 0 && pointsPerItem != 1 && pointsPerItem != 2 && pointsPerItem != 4) {
      throw new IllegalArgumentException("pointsPerItem: " + pointsPerItem + " is not allowed with kmGroups; expected 1, 2"
          + " or 4");
    }
    if (kmAccUnroll < 1 || kmAccUnroll > 16) {
      throw new IllegalArgumentException("kmAccUnroll: " + kmAccUnroll + " is not allowed; expected 1..16");
    }
    if (deviceMemoryBudgetBytes < 0) {
      throw new IllegalArgumentException("deviceMemoryBudgetBytes: " + deviceMemoryBudgetBytes
          + " is not allowed; expected >= 0 (0: the device's memory)");
    }
  }

  /**
   * Defaults for {@code device}. GPUs: groups of 128 work-items running the register-tiled Lloyd
   * kernel, four work-items per group of four points, each scoring a 4 x 16 tile (64 fmas per
   * 5 local loads, 128-point tiles, 8 tiles per group: 9766 groups for 10M rows, enough for any
   * GPU), its statistics added by the split variant's {@code km_accumulate} ({@link #kmAccSplit});
   * the mixture kernels one point per work-item. Chosen by design; on an H100 none of 20 other
   * tile shapes, with either accumulation, was faster beyond run-to-run noise
   * (docs/benchmarks.md, GPU).
   * CPUs: one work-item per group scoring a 2 x 32
   * register tile, the float8 lanes being the SIMD lanes. With a single work-item PoCL keeps no
   * per-work-item copies of private arrays around barriers; on a 2-core AVX2 EPYC (n = 500k,
   * d = 32, k = 64) that took a pass from about 80 to 48 ms of CPU time, against groups of 32
   * with a 4 x 8 tile. Pruning ({@link #pruning}) is on for CPUs (unless {@code
   * -Dclmix.pruning=false}) and off for GPUs: on an H100 (n = 10M, d = 32, k = 64) the
   * register-tiled kernel's pruned form saved 0.2 to 0.3 ms of a settled iteration on one
   * machine and nothing on another, and costs 0.7 to 1.2 ms in the first passes, where most rows
   * fail the bound test, so a 20-iteration fit is no faster (docs/benchmarks.md, GPU);
   * {@code prune=true} in {@code -Dclmix.opencl.config} turns it on.
   */
  public static KernelConfig defaultsFor(ClDeviceInfo device) {
    if (device.isGpu()) {
      return new KernelConfig(128, 4, 2, 8, 0, 0, 8).withKmGroups(4).withPruning(false)
          .withKmAccumulation(true, ACC_UNROLL);
    }
    return new KernelConfig(1, 2, 4, 512, 0, 0, 8);
  }

  /** The system property whose value {@link #withOverrides} applies to the default tuning. */
  public static final String OVERRIDES_PROPERTY = "clmix.opencl.config";

  /**
   * The same configuration with the tunables named in {@code spec} replaced: comma-separated
   * {@code key=value} pairs with keys {@code wg} (workGroupSize), {@code ppi} (pointsPerItem),
   * {@code cv} (centreVecs), {@code tiles} (tilesPerGroup), {@code acc} (accThreads), {@code kg}
   * (kmGroups), {@code prune} (true or false), {@code gmmLanes}, {@code gmmVecs}, {@code gmmBlock},
   * {@code kacc} (kmAccSplit: {@code fused} or {@code split}), {@code kaccUnroll} (kmAccUnroll), {@code budget} (deviceMemoryBudgetBytes: bytes with an optional K, M or G, powers of
   * 1024; data larger than this stream through the device). Null or blank changes nothing. For
   * trying other tunings on a device without a rebuild ({@code -Dclmix.opencl.config=tiles=4,kg=8};
   * bench/gpu-tune.sh), and for capping the device memory a fit takes on a shared GPU
   * ({@code budget=4G}); not for everyday tuning.
   *
   * @throws InputException naming the property and the part at fault
   */
  public KernelConfig withOverrides(String spec) {
    if (spec == null || spec.isBlank()) {
      return this;
    }
    int wg = workGroupSize;
    int ppi = pointsPerItem;
    int cv = centreVecs;
    int tiles = tilesPerGroup;
    int acc = accThreads;
    int kg = kmGroups;
    boolean prune = pruning;
    int lanes = gmmLanes;
    int vecs = gmmVecs;
    int block = gmmBlock;
    boolean split = kmAccSplit;
    int unroll = kmAccUnroll;
    long budget = deviceMemoryBudgetBytes;
    String expected = "comma-separated key=value with keys wg, ppi, cv, tiles, acc, kg, prune, gmmLanes, gmmVecs,"
        + " gmmBlock, kacc, kaccUnroll, budget";
    for (String part : spec.split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length != 2) {
        throw InputException.parameter("-D" + OVERRIDES_PROPERTY, "'" + part.trim() + "'", expected);
      }
      String key = kv[0].trim();
      String value = kv[1].trim();
      try {
        switch (key) {
          case "wg" -> wg = Integer.parseInt(value);
          case "ppi" -> ppi = Integer.parseInt(value);
          case "cv" -> cv = Integer.parseInt(value);
          case "tiles" -> tiles = Integer.parseInt(value);
          case "acc" -> acc = Integer.parseInt(value);
          case "kg" -> kg = Integer.parseInt(value);
          case "prune" -> prune = bool(part, value);
          case "kacc" -> split = switch (value) {
            case "fused" -> false;
            case "split" -> true;
            default -> throw new NumberFormatException(value);
          };
          case "kaccUnroll" -> unroll = Integer.parseInt(value);
          case "gmmLanes" -> lanes = Integer.parseInt(value);
          case "gmmVecs" -> vecs = Integer.parseInt(value);
          case "gmmBlock" -> block = Integer.parseInt(value);
          case "budget" -> budget = bytes(value);
          default -> throw InputException.parameter("-D" + OVERRIDES_PROPERTY, "'" + part.trim() + "'", expected);
        }
      } catch (NumberFormatException e) {
        throw InputException.parameter("-D" + OVERRIDES_PROPERTY, "'" + part.trim() + "'",
            switch (key) {
              case "kacc" -> "kacc=fused or kacc=split";
              case "budget" -> "budget=BYTES, with an optional K, M or G (powers of 1024), such as budget=512M";
              default -> "an integer value";
            });
      }
    }
    try {
      return new KernelConfig(wg, ppi, cv, tiles, acc, maxBlockBytes, maxTrials, lanes, vecs, block,
          budget, kg, prune, split, unroll);
    } catch (IllegalArgumentException e) {
      throw new InputException("-D" + OVERRIDES_PROPERTY + "=" + spec + ": " + e.getMessage());
    }
  }

  /** A size in bytes: digits with an optional K, M or G suffix (powers of 1024). */
  private static long bytes(String value) {
    if (value.isEmpty()) {
      throw new NumberFormatException("empty");
    }
    int shift = switch (Character.toUpperCase(value.charAt(value.length() - 1))) {
      case 'K' -> 10;
      case 'M' -> 20;
      case 'G' -> 30;
      default -> 0;
    };
    long n = Long.parseLong(shift == 0 ? value : value.substring(0, value.length() - 1));
    if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
      throw new NumberFormatException(value);
    }
    return n << shift;
  }

  private static boolean bool(String part, String value) {
    if (!value.equals("true") && !value.equals("false")) {
      String key = part.trim().split("=", 2)[0].trim();
      throw InputException.parameter("-D" + OVERRIDES_PROPERTY, "'" + part.trim() + "'",
          key + "=true or " + key + "=false");
    }
    return value.equals("true");
  }

  /** The same configuration with pruning on or off. */
  public KernelConfig withPruning(boolean on) {
    return new KernelConfig(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials,
        gmmLanes, gmmVecs, gmmBlock, deviceMemoryBudgetBytes, kmGroups, on, kmAccSplit, kmAccUnroll);
  }

  /** The same configuration with a different largest data buffer. */
  public KernelConfig withMaxBlockBytes(long bytes) {
    return new KernelConfig(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, bytes, maxTrials,
        gmmLanes, gmmVecs, gmmBlock, deviceMemoryBudgetBytes, kmGroups, pruning, kmAccSplit, kmAccUnroll);
  }

  /** The same configuration with a different work-group size. */
  public KernelConfig withWorkGroupSize(int size) {
    return new KernelConfig(size, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials,
        gmmLanes, gmmVecs, gmmBlock, deviceMemoryBudgetBytes, kmGroups, pruning, kmAccSplit, kmAccUnroll);
  }

  /** The same configuration with different mixture tunables (0 chooses by device). */
  public KernelConfig withGmm(int lanes, int vecs, int block) {
    return new KernelConfig(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials,
        lanes, vecs, block, deviceMemoryBudgetBytes, kmGroups, pruning, kmAccSplit, kmAccUnroll);
  }

  /** The same configuration with another Lloyd kernel (0: the scan kernel; see {@link #kmGroups}). */
  public KernelConfig withKmGroups(int groups) {
    return new KernelConfig(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials,
        gmmLanes, gmmVecs, gmmBlock, deviceMemoryBudgetBytes, groups, pruning, kmAccSplit, kmAccUnroll);
  }

  /**
   * The same configuration with the Lloyd pass's statistics added by the fused kernel
   * ({@code split} false) or by the split variant's {@code km_accumulate}, each of its work-items
   * loading {@code unroll} rows at a time (see {@link #kmAccSplit}).
   */
  public KernelConfig withKmAccumulation(boolean split, int unroll) {
    return new KernelConfig(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials,
        gmmLanes, gmmVecs, gmmBlock, deviceMemoryBudgetBytes, kmGroups, pruning, split, unroll);
  }

  /** The same configuration with a device memory budget for the data (0: the device's memory). */
  public KernelConfig withDeviceMemoryBudget(long bytes) {
    return new KernelConfig(workGroupSize, pointsPerItem, centreVecs, tilesPerGroup, accThreads, maxBlockBytes, maxTrials,
        gmmLanes, gmmVecs, gmmBlock, bytes, kmGroups, pruning, kmAccSplit, kmAccUnroll);
  }

  /** Centres per scoring step of the scan kernels; their centre tiles are multiples of it. */
  public int centreStep() {
    return 8 * centreVecs;
  }

  /**
   * k is padded to a multiple of this: the scan kernels' step or, with the register-tiled
   * Lloyd kernel, the centres all {@link #kmGroups} work-items of a point group score per step.
   */
  public int paddingStep() {
    return centreStep() * Math.max(1, kmGroups);
  }

  /** Rows a work-group of the scan kernels scores per tile (one point per work-item with kmGroups). */
  public int tileRows() {
    return workGroupSize * scanPoints();
  }

  /** Points per work-item of the scan kernels ({@code POINTS_PER_ITEM}). */
  public int scanPoints() {
    return kmGroups > 0 ? 1 : pointsPerItem;
  }

  /** Rows a work-group of the register-tiled Lloyd kernel scores per tile. */
  public int gemmTileRows() {
    return workGroupSize / Math.max(1, kmGroups) * pointsPerItem;
  }

  /** Rows one work-group of the register-tiled Lloyd kernel owns, before any doubling for k. */
  public int gemmRowsPerGroup() {
    return gemmTileRows() * tilesPerGroup;
  }

  /** Rows one work-group owns in a seeding pass (and, at least, in an assignment pass). */
  public int rowsPerGroup() {
    return tileRows() * tilesPerGroup;
  }

  /**
   * The compiler definitions of the register-tiled Lloyd kernel ({@code kmeans_gemm.cl}) for
   * data of {@code dim} columns on {@code device}; only meaningful when {@link #kmGroups} > 0.
   * {@code fused}: the kernel with its own accumulation (the definitions name no variant, so
   * the default program is the one built before the split variant existed); otherwise the
   * split variant's pair, {@code KG_FUSED 0} with {@code km_accumulate}'s shape.
   */
  public Defines gemmDefines(int dim, ClDeviceInfo device, boolean fused) {
    return gemmDefines(dim, device, fused, false);
  }

  /**
   * {@link #gemmDefines(int, ClDeviceInfo, boolean)}, with {@code KG_PRUNE 1} where {@code pruned}:
   * the pruned form, which sessions run when they prune ({@link #pruning}).
   */
  public Defines gemmDefines(int dim, ClDeviceInfo device, boolean fused, boolean pruned) {
    KernelConfig c = forData(dim, device);
    Defines d = Defines.empty()
        .with("DIM", dim)
        .with("WG_SIZE", c.workGroupSize)
        .with("KG_GROUPS", c.kmGroups)
        .with("KG_P", c.pointsPerItem)
        .with("KG_C", 8 * c.centreVecs)
        .flag("HAVE_FP64", device.fp64());
    if (pruned) {
      d = d.with("KG_PRUNE", 1);
    }
    if (fused) {
      return d;
    }
    return d.with("KG_FUSED", 0).with("KA_UNROLL", kmAccUnroll).with("KA_WG", ACC_GROUP);
  }

  /**
   * This configuration resolved for data of {@code dim} columns on {@code device}: the
   * accumulating work-items chosen when {@link #accThreads} is 0, and {@link #centreVecs}
   * lowered while one step of centres would take more than half the device's local memory
   * (wide data on a GPU with 48 KB), the register-tiled Lloyd kernel's shape narrowed where
   * rows are too wide for it ({@link #WIDE_SHAPES}; the scan kernel runs where none fits), and
   * the mixture tunables left at 0 chosen by device type.
   * Sessions use the resolved configuration throughout.
   */
  public KernelConfig forData(int dim, ClDeviceInfo device) {
    int acc = accThreads > 0 ? accThreads
        : device.isGpu() ? Math.min(workGroupSize, (dim + 31) / 32 * 32) : 1;
    int vecs = centreVecs;
    while (vecs > 1 && 4L * 8 * vecs * (dim + 1) > device.localMemBytes() / 2) {
      vecs--;
    }
    int lanes = gmmLanes > 0 ? gmmLanes : device.isGpu() ? 1 : 16;
    int gvecs = gmmVecs > 0 ? gmmVecs : device.isGpu() ? 2 : 4;
    int block = gmmBlock > 0 ? gmmBlock : 4;
    // km_accumulate's rows per batch mean nothing to the fused kernel: resolved alike, so that
    // clmix tune does not measure (or keep) kaccUnroll with kacc=fused as another configuration.
    int unroll = kmAccSplit ? kmAccUnroll : ACC_UNROLL;
    KernelConfig resolved = new KernelConfig(workGroupSize, pointsPerItem, vecs, tilesPerGroup, acc, maxBlockBytes,
        maxTrials, lanes, gvecs, block, deviceMemoryBudgetBytes, kmGroups, pruning, kmAccSplit, unroll);
    if (kmGroups > 0 && !LocalPlan.gemmFits(device, resolved, dim)) {
      for (int[] shape : WIDE_SHAPES) {
        if (shape[0] <= workGroupSize) {
          KernelConfig narrower = new KernelConfig(workGroupSize, shape[1], shape[2], tilesPerGroup, acc,
              maxBlockBytes, maxTrials, lanes, gvecs, block, deviceMemoryBudgetBytes, shape[0], pruning, kmAccSplit,
              unroll);
          if (LocalPlan.gemmFits(device, narrower, dim)) {
            return narrower;
          }
        }
      }
    }
    return resolved;
  }

  /**
   * Register-tiled Lloyd shapes for rows too wide for the configured one ({@link #kmGroups},
   * {@link #pointsPerItem}, {@link #centreVecs}), in order of preference: smaller tiles of
   * points, fewer centres per step, so the staged tile and one step of centres fit local memory.
   * Without them the scan kernel ran, 2.5 times slower on an H100 (n = 10M, k = 64: d = 64
   * 13.1 ms against 5.2 with 2 points per work-item; d = 128 34.7 against 14.1 with 8 work-items
   * per point and 8 centres per step; docs/benchmarks.md, GPU).
   */
  private static final int[][] WIDE_SHAPES = {{4, 2, 2}, {4, 2, 1}, {8, 1, 1}, {4, 1, 1}, {16, 1, 1}};

  /** Points per tile of the mixture kernels (of a {@link #forData resolved} configuration). */
  public int gmmTileRows() {
    return workGroupSize * gmmLanes * gmmVecs;
  }

  /**
   * The compiler definitions for data of {@code dim} columns on {@code device}, from the
   * configuration {@link #forData resolved} for them.
   */
  public Defines defines(int dim, ClDeviceInfo device) {
    KernelConfig c = forData(dim, device);
    return Defines.empty()
        .with("DIM", dim)
        .with("WG_SIZE", c.workGroupSize)
        .with("POINTS_PER_ITEM", c.scanPoints())
        .with("CENTRE_VECS", c.centreVecs)
        .with("ACC_THREADS", c.accThreads)
        .with("MAX_TRIALS", c.maxTrials)
        .flag("HAVE_FP64", device.fp64());
  }
}
