package io.clmix.engine.opencl;

import io.clmix.data.Chunk;
import io.clmix.data.Dataset;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A session's rows on the device: consecutive runs of rows ("blocks") no larger than the
 * device's largest allocation, and beside them the per-row state of the K-means passes
 * (labels, distances, seeding distances). Passes launch their kernels per {@link Unit}.
 *
 * <p><b>Resident</b> ({@link #upload}): every block's rows live in their own device buffers for
 * the whole session; a unit is a whole block.
 *
 * <p><b>Streaming</b> ({@link #streaming}), when the data exceed the device or a memory budget:
 * rows stay on the host and pass through two sets of device buffers. A unit is a piece of a
 * block whose length is a multiple of the pass's rows per work-group and which starts at such a
 * multiple, so each kernel sees exactly the work-groups, the rows and the partial-statistics
 * slots it sees when the block is resident: streamed passes give the same bits. While the
 * compute queue runs unit u on one set, a second queue (sharing the native context) uploads
 * unit u + 1 into the other, from direct host buffers that the host fills meanwhile; events
 * order the two queues (an upload waits for the kernels that read its set, the kernels wait for
 * their upload). Per-row state stays on the device when it fits the budget, as it does when
 * resident; otherwise it lives on the host and is written to and read back from the set's
 * state buffers around each unit (correct, and slower, as a last resort).
 *
 * <p>Blocks do not follow the data set's chunks: a chunk may continue in the next block, and
 * the state accessors address rows globally.
 */
final class RowBlocks implements AutoCloseable {
  /** Host staging for chunks without a heap array, in floats (4 MB). */
  private static final int STAGING_FLOATS = 1 << 20;
  /**
   * Bytes of per-row state: label, distance, seeding distance. Pruned Lloyd passes add
   * {@link #BOUND_BYTES_PER_ROW} more, only for resident data (a cache, not part of the state).
   */
  static final long STATE_BYTES_PER_ROW = 12;

  /**
   * Bytes per row of the pruned Lloyd passes' lower bounds ({@link #ensureLowerState}). Counted in
   * {@link #residentBytes} whether or not the session prunes, so that data which fit resident
   * still fit once the bounds are allocated.
   */
  static final long BOUND_BYTES_PER_ROW = 4;

  /** The most rows one block holds, whatever its bytes: block offsets stay well within an int. */
  static final long MAX_ROWS_PER_BLOCK = Integer.MAX_VALUE / 2;

  /** Which per-row state a pass reads and writes, so host-side state is staged only as needed. */
  enum State {
    /** None (mixture passes). */
    NONE,
    /** Labels read and written, distances written (the Lloyd pass). */
    ASSIGN,
    /** Seeding distances read (k-means++ trials). */
    SEED_READ,
    /** Seeding distances read (when keeping the minimum) and written. */
    SEED_WRITE
  }

  /** One run of rows and, when resident, its device buffers. */
  static final class Block {
    final int index;
    final long firstRow;
    final int rows;
    /** Rows and weights (null when unweighted); both null when streaming. */
    final ClBuffer data;
    final ClBuffer weights;
    /** Device state, or null when the state lives on the host. */
    final ClBuffer labels;
    final ClBuffer dist;
    /** k-means++ D(x), allocated by the first seeding pass. */
    ClBuffer seedDist;
    /** Pruned Lloyd passes' lower bounds, allocated by the first such pass (state on the device only). */
    ClBuffer lower;
    /** Host state (streaming with state off the device), else null. */
    final int[] hostLabels;
    final float[] hostDist;
    float[] hostSeed;

    Block(int index, long firstRow, int rows, ClBuffer data, ClBuffer weights, ClBuffer labels, ClBuffer dist,
        int[] hostLabels, float[] hostDist) {
      this.index = index;
      this.firstRow = firstRow;
      this.rows = rows;
      this.data = data;
      this.weights = weights;
      this.labels = labels;
      this.dist = dist;
      this.hostLabels = hostLabels;
      this.hostDist = hostDist;
    }
  }

  /**
   * What one kernel launch works on: rows [firstRow, firstRow + rows) of {@code block}, their
   * data and weights, the global index of its first work-group, and the state buffers, which
   * the kernels index from {@code stateOffset}.
   */
  record Unit(Block block, long firstRow, int rows, ClBuffer data, ClBuffer weights, int groupBase, int stateOffset,
      ClBuffer labels, ClBuffer dist, ClBuffer seedDist) {}

  private final ClContext cl;
  private final Dataset dataset;
  private final List<Block> blocks;
  private final boolean streaming;
  private final boolean stateOnDevice;
  /** Rows of every block but the last (the largest allocation's rows). */
  private final long maxRowsPerBlock;
  /** Streaming: the transfer queue's owner, the two buffer sets, and the rows one set holds. */
  private final ClContext transfer;
  private final Stage[] stages;
  private int capacityRows;
  /** Units uploaded so far (streaming; for tests). */
  private long uploads;

  private RowBlocks(ClContext cl, Dataset dataset, List<Block> blocks, boolean streaming, boolean stateOnDevice,
      long maxRowsPerBlock, ClContext transfer, int capacityRows) {
    this.cl = cl;
    this.maxRowsPerBlock = maxRowsPerBlock;
    this.dataset = dataset;
    this.blocks = blocks;
    this.streaming = streaming;
    this.stateOnDevice = stateOnDevice;
    this.transfer = transfer;
    this.capacityRows = capacityRows;
    this.stages = streaming ? new Stage[] {new Stage(0), new Stage(1)} : null;
  }

  /** Device bytes of the data when resident: rows, weights, state and the pruning bounds. */
  static long residentBytes(Dataset data) {
    return data.rows() * (4L * data.cols() + (data.weighted() ? 4 : 0) + STATE_BYTES_PER_ROW + BOUND_BYTES_PER_ROW);
  }

  /**
   * The largest data buffer, {@code maxBlockBytes}, cut to whole rows (at most
   * {@link #MAX_ROWS_PER_BLOCK}) that are a multiple of {@code align} (the rows
   * {@link OpenClEngine#shardRows} names), or, when fewer, of the largest divisor of it that fits. So every buffer ends on that lattice, one device's and each shard's
   * alike (shards start on it), and a shard's work-groups are one device's for data in several
   * buffers too. At most {@code align} rows fewer per buffer.
   */
  static long alignedBlockBytes(long maxBlockBytes, int cols, long align) {
    long rowBytes = 4L * cols;
    long rows = Math.min(maxBlockBytes / rowBytes, MAX_ROWS_PER_BLOCK);
    if (rows < 1) {
      return maxBlockBytes; // not one row: maxRowsPerBlock names the failure
    }
    if (rows >= align) {
      rows = rows / align * align;
    } else {
      long step = rows;
      while (step > 1 && align % step != 0) {
        step--;
      }
      rows = step;
    }
    return rows * rowBytes;
  }

  private static long maxRowsPerBlock(ClContext cl, Dataset data, long maxBlockBytes) {
    long rowBytes = 4L * data.cols();
    long maxRows = Math.min(maxBlockBytes / rowBytes, MAX_ROWS_PER_BLOCK);
    if (maxRows < 1) {
      throw new EngineException(Kind.ALLOCATION, "one row of " + data.cols() + " columns (" + rowBytes
          + " bytes) exceeds the largest buffer of " + maxBlockBytes + " bytes on " + cl.device().name());
    }
    return maxRows;
  }

  /**
   * Allocates the blocks for {@code data} in {@code cl} and uploads the rows (float32, local
   * coordinates, as stored) and weights, chunk by chunk. Labels start at -1, distances at 0.
   *
   * @param maxBlockBytes the largest data buffer
   * @throws EngineException of kind ALLOCATION when the data cannot fit on the device
   */
  static RowBlocks upload(ClContext cl, Dataset data, long maxBlockBytes) {
    long n = data.rows();
    long global = cl.device().globalMemBytes();
    if (residentBytes(data) > global) {
      throw new EngineException(Kind.ALLOCATION, String.format(Locale.ROOT,
          "%d x %d data need %.2f GiB on %s, which has %.2f GiB", n, data.cols(),
          residentBytes(data) / (double) (1L << 30), cl.device().name(), global / (double) (1L << 30)));
    }
    long maxRows = maxRowsPerBlock(cl, data, maxBlockBytes);
    List<Block> list = new ArrayList<>();
    for (long first = 0; first < n; first += maxRows) {
      int rows = (int) Math.min(maxRows, n - first);
      int b = list.size();
      ClBuffer x = cl.buffer("data[" + b + "]", 4L * rows * data.cols());
      ClBuffer w = data.weighted() ? cl.buffer("weights[" + b + "]", 4L * rows) : null;
      ClBuffer labels = cl.buffer("labels[" + b + "]", 4L * rows);
      ClBuffer dist = cl.buffer("dist[" + b + "]", 4L * rows);
      labels.fill(0, rows, -1);
      dist.fill(0, rows, 0f);
      Block block = new Block(b, first, rows, x, w, labels, dist, null, null);
      list.add(block);
      uploadRows(data, block);
    }
    return new RowBlocks(cl, data, List.copyOf(list), false, true, maxRows, null, 0);
  }

  /**
   * Blocks for {@code data} streamed through two buffer sets within {@code budgetBytes} of
   * device memory: the same block partition as {@link #upload} (so the same work-groups), the
   * state on the device when it takes at most half the budget and what is left still holds a
   * row in each set (else on the host), and each buffer set a quarter of what is left (the rest
   * is for the passes' own buffers). So every budget from the least that streams these data
   * ({@link #leastStreamingBudget}) up streams them; and a budget that streams a data set
   * streams any fewer rows of its width, such as one device's shard of it.
   *
   * @throws EngineException of kind ALLOCATION when the budget cannot hold one row per set
   */
  static RowBlocks streaming(ClContext cl, Dataset data, long maxBlockBytes, long budgetBytes) {
    return streaming(cl, data, maxBlockBytes, budgetBytes, 0);
  }

  /**
   * As {@link #streaming(ClContext, Dataset, long, long)}; {@code configuredBudget}, when positive,
   * is the budget the configuration set ({@link KernelConfig#deviceMemoryBudgetBytes}) from which
   * {@code budgetBytes} was taken, so a failure names that setting and the least value it accepts.
   */
  static RowBlocks streaming(ClContext cl, Dataset data, long maxBlockBytes, long budgetBytes, long configuredBudget) {
    long n = data.rows();
    long maxRows = maxRowsPerBlock(cl, data, maxBlockBytes);
    long rowBytes = 4L * data.cols() + (data.weighted() ? 4 : 0);
    long stateBytes = n * STATE_BYTES_PER_ROW;
    // The state goes to the device when it takes at most half the budget and leaves a row for
    // each set. Without the second condition, budgets from 24 n up to 12 n + four rows were
    // refused although smaller ones streamed (the state then on the host), so a budget that
    // streamed a data set could refuse a shard of it.
    boolean stateOnDevice = stateBytes <= budgetBytes / 2 && (budgetBytes - stateBytes) / 4 / rowBytes >= 1;
    long left = budgetBytes - (stateOnDevice ? stateBytes : 0);
    long perRow = rowBytes + (stateOnDevice ? 0 : STATE_BYTES_PER_ROW);
    long capacity = Math.min(left / 4 / perRow, maxRows);
    if (capacity < 1) {
      long needed = leastStreamingBudget(data);
      if (configuredBudget > 0) {
        // The user's setting is at fault: name it and the least value it takes for these data.
        // A fallback stream gets half the configured budget (see OpenClSession). Otherwise the
        // session streams because the data exceed the budget resident; data of a few rows may
        // take less resident than streamed, and a budget that holds them resident serves too.
        long least = configuredBudget == budgetBytes ? Math.min(needed, residentBytes(data)) : 2 * needed;
        throw new EngineException(Kind.ALLOCATION, "-D" + KernelConfig.OVERRIDES_PROPERTY + ": budget="
            + configuredBudget + " holds no row of " + n + " x " + data.cols() + " data streamed through "
            + cl.device().name() + "; expected budget=" + least + " or more (bytes, with an optional K, M or G)");
      }
      throw new EngineException(Kind.ALLOCATION, "streaming " + n + " x " + data.cols() + " data through "
          + cl.device().name() + " needs at least " + needed + " bytes of device memory; the budget is " + budgetBytes);
    }
    ClContext transfer = cl.share();
    try {
      List<Block> list = new ArrayList<>();
      for (long first = 0; first < n; first += maxRows) {
        int rows = (int) Math.min(maxRows, n - first);
        int b = list.size();
        Block block;
        if (stateOnDevice) {
          ClBuffer labels = cl.buffer("labels[" + b + "]", 4L * rows);
          ClBuffer dist = cl.buffer("dist[" + b + "]", 4L * rows);
          labels.fill(0, rows, -1);
          dist.fill(0, rows, 0f);
          block = new Block(b, first, rows, null, null, labels, dist, null, null);
        } else {
          int[] labels = new int[rows];
          java.util.Arrays.fill(labels, -1);
          block = new Block(b, first, rows, null, null, null, null, labels, new float[rows]);
        }
        list.add(block);
      }
      return new RowBlocks(cl, data, List.copyOf(list), true, stateOnDevice, maxRows, transfer, (int) capacity);
    } catch (RuntimeException | Error e) {
      throw ClContext.closeAndRethrow(transfer, e);
    }
  }

  /**
   * The least budget {@link #streaming} accepts for {@code data}: four rows (a row for each
   * quarter of the budget a buffer set may take) with their state on the host, or, where less,
   * the state on the device (at most half the budget) and four rows beside it. Every larger
   * budget is accepted too, and this least never grows when rows are removed.
   */
  static long leastStreamingBudget(Dataset data) {
    long rows4 = 4 * (4L * data.cols() + (data.weighted() ? 4 : 0));
    long stateBytes = data.rows() * STATE_BYTES_PER_ROW;
    long onHost = rows4 + 4 * STATE_BYTES_PER_ROW;
    long onDevice = Math.max(2 * stateBytes, stateBytes + rows4);
    return Math.min(onHost, onDevice);
  }

  private static void uploadRows(Dataset data, Block block) {
    int d = data.cols();
    long end = block.firstRow + block.rows;
    float[] staging = null;
    for (int c = data.chunkOf(block.firstRow); c < data.chunkCount() && data.chunkStart(c) < end; c++) {
      long chunkStart = data.chunkStart(c);
      long from = Math.max(block.firstRow, chunkStart);
      long to = Math.min(end, chunkStart + data.rowsIn(c));
      int inChunk = (int) (from - chunkStart);
      int count = (int) (to - from);
      long at = from - block.firstRow;
      Chunk chunk = data.chunk(c);
      float[] heap = chunk.heapArray();
      if (heap != null) {
        block.data.write(at * d, heap, inChunk * d, count * d);
      } else {
        int step = Math.max(1, STAGING_FLOATS / d);
        if (staging == null) {
          staging = new float[Math.min(step, count) * d];
        }
        for (int r = 0; r < count; r += step) {
          int m = Math.min(step, count - r);
          if (staging.length < m * d) {
            staging = new float[m * d];
          }
          chunk.copyRows(inChunk + r, m, staging, 0);
          block.data.write((at + r) * d, staging, 0, m * d);
        }
      }
      if (block.weights != null) {
        block.weights.write(at, data.chunkWeights(c), inChunk, count);
      }
    }
  }

  Dataset data() {
    return dataset;
  }

  int count() {
    return blocks.size();
  }

  Block block(int b) {
    return blocks.get(b);
  }

  List<Block> all() {
    return blocks;
  }

  /** Whether rows are streamed rather than resident. */
  boolean streaming() {
    return streaming;
  }

  /** Units uploaded so far by streamed passes (for tests). */
  long uploads() {
    return uploads;
  }

  /** Device bytes the two streaming buffer sets hold now (0 when resident; for tests). */
  long streamBufferBytes() {
    long total = 0;
    if (stages != null) {
      for (Stage s : stages) {
        for (ClBuffer b : new ClBuffer[] {s.data, s.weights, s.labels, s.dist, s.seed}) {
          if (b != null) {
            total += b.sizeBytes();
          }
        }
      }
    }
    return total;
  }

  /** Whether the per-row state is on the device. */
  boolean stateOnDevice() {
    return stateOnDevice;
  }

  // ------------------------------------------------------------------ work-groups

  /** Work-groups block {@code b} needs when each owns {@code rowsPerGroup} rows. */
  int groups(int b, int rowsPerGroup) {
    return (int) ((blocks.get(b).rows + (long) rowsPerGroup - 1) / rowsPerGroup);
  }

  /** Global index of block {@code b}'s first group: its slot offset in per-group buffers. */
  int groupBase(int b, int rowsPerGroup) {
    int base = 0;
    for (int i = 0; i < b; i++) {
      base += groups(i, rowsPerGroup);
    }
    return base;
  }

  /** Work-groups over all blocks. */
  int totalGroups(int rowsPerGroup) {
    return groupBase(blocks.size(), rowsPerGroup);
  }

  /**
   * Work-groups one device would form over the whole data set these rows were sliced from
   * ({@link Dataset#wholeRows}; these rows themselves when they are all of it), in blocks of the
   * same size. Passes size their groups by it, so that a shard on one of several devices forms
   * the groups one device would.
   */
  long wholeGroups(int rowsPerGroup) {
    long whole = dataset.wholeRows();
    if (whole == dataset.rows()) {
      return totalGroups(rowsPerGroup);
    }
    long full = whole / maxRowsPerBlock;
    long rest = whole - full * maxRowsPerBlock;
    return full * ((maxRowsPerBlock + rowsPerGroup - 1) / rowsPerGroup) + (rest + rowsPerGroup - 1) / rowsPerGroup;
  }

  /** Work-groups of a unit of {@code rows} rows. */
  static int groups(Unit u, int rowsPerGroup) {
    return (int) ((u.rows() + (long) rowsPerGroup - 1) / rowsPerGroup);
  }

  // ------------------------------------------------------------------ units

  /** Allocates the seeding distances (device or host) on first use; they start undefined. */
  void ensureSeedState() {
    for (Block b : blocks) {
      if (stateOnDevice) {
        if (b.seedDist == null) {
          b.seedDist = cl.buffer("seed distances[" + b.index + "]", 4L * b.rows);
        }
      } else if (b.hostSeed == null) {
        b.hostSeed = new float[b.rows];
      }
    }
  }

  /**
   * Allocates the pruned Lloyd passes' lower bounds on first use; they start undefined (the
   * first pruned pass writes them without reading). Resident data only.
   */
  void ensureLowerState() {
    if (streaming) {
      throw new IllegalStateException("pruning bounds are kept for resident data only");
    }
    for (Block b : blocks) {
      if (b.lower == null) {
        b.lower = cl.buffer("lower bounds[" + b.index + "]", 4L * b.rows);
      }
    }
  }

  /**
   * Calls {@code launch} once per unit, in row order, with the unit's buffers ready: resident,
   * one unit per block; streaming, pieces of whole work-groups of {@code rowsPerGroup} rows,
   * uploaded ahead of the kernels. {@code launch} only enqueues kernels on the session's queue.
   */
  void forEachUnit(int rowsPerGroup, State state, Consumer<Unit> launch) {
    if (!streaming) {
      for (Block b : blocks) {
        launch.accept(new Unit(b, b.firstRow, b.rows, b.data, b.weights, groupBase(b.index, rowsPerGroup), 0,
            b.labels, b.dist, b.seedDist));
      }
      return;
    }
    List<Unit> units = plan(rowsPerGroup);
    int unitRows = 0;
    for (Unit u : units) {
      unitRows = Math.max(unitRows, u.rows());
    }
    Throwable failure = null;
    try {
      for (Stage s : stages) {
        s.ensure(unitRows);
      }
      for (int i = 0; i < Math.min(2, units.size()); i++) {
        stages[i].upload(units.get(i));
      }
      for (int i = 0; i < units.size(); i++) {
        Stage s = stages[i % 2];
        Unit planned = units.get(i);
        cl.waitFor(s.uploaded);
        Unit u = s.bind(planned, state);
        launch.accept(u);
        s.release(u, state);
        ClEvent.release(s.consumed);
        s.consumed = cl.marker();
        cl.flush();
        if (i + 2 < units.size()) {
          s.upload(units.get(i + 2));
        }
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      // The pass's later commands (reductions, reads) follow on the compute queue; the events
      // are not needed once the last unit has been queued.
      for (Stage s : stages) {
        try {
          s.settle();
        } catch (RuntimeException | Error e) {
          if (failure != null) {
            failure.addSuppressed(e);
          } else {
            throw e;
          }
        }
      }
    }
  }

  /** Streaming units: each block cut into pieces of whole groups, as many as one set holds. */
  private List<Unit> plan(int rowsPerGroup) {
    long per = Math.max(rowsPerGroup, (long) capacityRows / rowsPerGroup * rowsPerGroup);
    List<Unit> out = new ArrayList<>();
    for (Block b : blocks) {
      int base = groupBase(b.index, rowsPerGroup);
      for (long at = 0; at < b.rows; at += per) {
        int rows = (int) Math.min(per, b.rows - at);
        out.add(new Unit(b, b.firstRow + at, rows, null, null, base + (int) (at / rowsPerGroup), (int) at, null, null,
            null));
      }
    }
    return out;
  }

  /**
   * Visits rows [firstRow, firstRow + count) for a per-point pass, piece by piece, with a data
   * buffer holding them: resident, the blocks' own buffers (at = row within the block);
   * streaming, a buffer set filled for each piece (at = 0). Synchronous: per-point passes read
   * their outputs back after every piece anyway.
   */
  void forDataRange(long firstRow, long count, DataPiece piece) {
    if (!streaming) {
      forRange(firstRow, count, (blk, at, m, done) -> piece.accept(blk.data, at, m, done));
      return;
    }
    Stage s = stages[0];
    s.ensure(Math.min(capacityRows, (int) Math.min(count, Integer.MAX_VALUE)));
    forRange(firstRow, count, (blk, at, m, done) -> {
      for (int off = 0; off < m; off += s.capacity) {
        int rows = Math.min(s.capacity, m - off);
        s.fill(blk.firstRow + at + off, rows);
        ClEvent up = s.data.writeAsync(cl, 0, s.hostData, rows * dataset.cols());
        try {
          up.await();
        } finally {
          up.release();
        }
        piece.accept(s.data, 0, rows, done + off);
      }
    });
  }

  /** A piece of a per-point pass: {@code rows} rows starting at element row {@code at} of {@code data}. */
  @FunctionalInterface
  interface DataPiece {
    void accept(ClBuffer data, int at, int rows, int done);
  }

  // ------------------------------------------------------------------ per-row state

  /** Copies the ints of rows {@code [firstRow, firstRow + count)} from {@code which} state of each block. */
  void readInts(Function<Block, ClBuffer> which, Function<Block, int[]> host, long firstRow, int count, int[] dst,
      int off) {
    forRange(firstRow, count, (blk, at, m, done) -> {
      if (stateOnDevice) {
        which.apply(blk).read(at, dst, off + done, m);
      } else {
        System.arraycopy(host.apply(blk), at, dst, off + done, m);
      }
    });
  }

  /** Copies the floats of rows {@code [firstRow, firstRow + count)} from {@code which} state of each block. */
  void readFloats(Function<Block, ClBuffer> which, Function<Block, float[]> host, long firstRow, int count,
      float[] dst, int off) {
    forRange(firstRow, count, (blk, at, m, done) -> {
      if (stateOnDevice) {
        which.apply(blk).read(at, dst, off + done, m);
      } else {
        System.arraycopy(host.apply(blk), at, dst, off + done, m);
      }
    });
  }

  /** Copies the weights of rows {@code [firstRow, firstRow + count)} from the data set (1 when unweighted). */
  void readWeights(long firstRow, int count, float[] dst, int off) {
    for (int i = 0; i < count; i++) {
      dst[off + i] = (float) dataset.weight(firstRow + i);
    }
  }

  /** Visits the pieces of a global row range: (block, row within block, rows, rows visited before). */
  @FunctionalInterface
  interface Piece {
    void accept(Block block, int at, int rows, int done);
  }

  void forRange(long firstRow, long count, Piece piece) {
    long row = firstRow;
    long end = firstRow + count;
    int b = blockOf(row);
    while (row < end) {
      Block blk = blocks.get(b);
      int at = (int) (row - blk.firstRow);
      int m = (int) Math.min(blk.rows - at, end - row);
      piece.accept(blk, at, m, (int) (row - firstRow));
      row += m;
      b++;
    }
  }

  private int blockOf(long row) {
    int lo = 0;
    int hi = blocks.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (blocks.get(mid).firstRow <= row) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Releases the streaming buffers' host memory and the transfer queue. Idempotent. */
  @Override
  public void close() {
    if (transfer != null) {
      Throwable failure = null;
      for (Stage s : stages) {
        try {
          s.settle();
        } catch (RuntimeException | Error e) {
          failure = e;
        }
      }
      if (failure != null) {
        throw ClContext.closeAndRethrow(transfer, failure);
      }
      transfer.close();
    }
  }

  // ------------------------------------------------------------------ streaming buffer sets

  /**
   * One buffer set: device buffers for a unit's rows, weights and (host state) state, and the
   * direct host buffers the uploads read from. {@code uploaded} completes when the set holds
   * its unit; {@code consumed} when the kernels that read it have run.
   */
  private final class Stage {
    final int index;
    int capacity;
    ClBuffer data;
    ClBuffer weights;
    ClBuffer labels;
    ClBuffer dist;
    ClBuffer seed;
    FloatBuffer hostData;
    FloatBuffer hostWeights;
    ClEvent uploaded;
    ClEvent uploadedWeights;
    ClEvent consumed;
    private float[] scratch;

    Stage(int index) {
      this.index = index;
    }

    /** Buffers for at least {@code rows} rows (grown only when a pass needs larger units). */
    void ensure(int rows) {
      if (rows <= capacity) {
        return;
      }
      settle();
      for (ClBuffer b : new ClBuffer[] {data, weights, labels, dist, seed}) {
        if (b != null) {
          b.close();
        }
      }
      // No capacity until every buffer exists: if one fails to allocate, the next pass makes
      // the set again instead of using the released ones.
      capacity = 0;
      int d = dataset.cols();
      data = cl.buffer("stream data[" + index + "]", 4L * rows * d);
      hostData = direct(rows * d);
      if (dataset.weighted()) {
        weights = cl.buffer("stream weights[" + index + "]", 4L * rows);
        hostWeights = direct(rows);
      }
      if (!stateOnDevice) {
        labels = cl.buffer("stream labels[" + index + "]", 4L * rows);
        dist = cl.buffer("stream dist[" + index + "]", 4L * rows);
        seed = cl.buffer("stream seed distances[" + index + "]", 4L * rows);
      }
      capacity = rows;
    }

    private FloatBuffer direct(int floats) {
      return ByteBuffer.allocateDirect(4 * Math.max(1, floats)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Copies rows [first, first + rows) (and their weights) from the data set into the host buffers. */
    void fill(long first, int rows) {
      int d = dataset.cols();
      hostData.clear();
      if (hostWeights != null) {
        hostWeights.clear();
      }
      long end = first + rows;
      for (int c = dataset.chunkOf(first); c < dataset.chunkCount() && dataset.chunkStart(c) < end; c++) {
        long chunkStart = dataset.chunkStart(c);
        int from = (int) (Math.max(first, chunkStart) - chunkStart);
        int to = (int) (Math.min(end, chunkStart + dataset.rowsIn(c)) - chunkStart);
        Chunk chunk = dataset.chunk(c);
        float[] heap = chunk.heapArray();
        if (heap != null) {
          hostData.put(heap, from * d, (to - from) * d);
        } else {
          int step = Math.max(1, STAGING_FLOATS / d);
          for (int r = from; r < to; r += step) {
            int m = Math.min(step, to - r);
            if (scratch == null || scratch.length < m * d) {
              scratch = new float[m * d];
            }
            chunk.copyRows(r, m, scratch, 0);
            hostData.put(scratch, 0, m * d);
          }
        }
        if (hostWeights != null) {
          hostWeights.put(dataset.chunkWeights(c), from, to - from);
        }
      }
    }

    /** Fills the host buffers with the unit's rows and enqueues their upload after {@code consumed}. */
    void upload(Unit u) {
      // The previous upload from these host buffers must be over before they are refilled.
      if (uploaded != null) {
        uploaded.await();
      }
      if (uploadedWeights != null) {
        uploadedWeights.await();
      }
      fill(u.firstRow(), u.rows());
      uploads++;
      ClEvent up = data.writeAsync(transfer, 0, hostData, u.rows() * dataset.cols(), consumed);
      ClEvent.release(uploaded);
      uploaded = up;
      if (weights != null) {
        ClEvent w = weights.writeAsync(transfer, 0, hostWeights, u.rows(), consumed);
        ClEvent.release(uploadedWeights);
        uploadedWeights = w;
      }
      transfer.flush();
    }

    /** The unit as the kernels see it, with host state written into this set's state buffers. */
    Unit bind(Unit u, State state) {
      if (uploadedWeights != null) {
        cl.waitFor(uploadedWeights);
      }
      Block b = u.block();
      int at = u.stateOffset();
      if (stateOnDevice) {
        return new Unit(b, u.firstRow(), u.rows(), data, weights, u.groupBase(), at, b.labels, b.dist, b.seedDist);
      }
      if (state == State.ASSIGN) {
        labels.write(0, b.hostLabels, at, u.rows());
      } else if (state == State.SEED_READ || state == State.SEED_WRITE) {
        seed.write(0, b.hostSeed, at, u.rows());
      }
      return new Unit(b, u.firstRow(), u.rows(), data, weights, u.groupBase(), 0, labels, dist, seed);
    }

    /** Reads host state back after the unit's kernels (blocking). */
    void release(Unit u, State state) {
      if (stateOnDevice) {
        return;
      }
      Block b = u.block();
      int at = (int) (u.firstRow() - b.firstRow);
      if (state == State.ASSIGN) {
        labels.read(0, b.hostLabels, at, u.rows());
        dist.read(0, b.hostDist, at, u.rows());
      } else if (state == State.SEED_WRITE) {
        seed.read(0, b.hostSeed, at, u.rows());
      }
    }

    /** Waits for this set's commands and releases its events. */
    void settle() {
      try {
        for (ClEvent e : new ClEvent[] {uploaded, uploadedWeights, consumed}) {
          if (e != null) {
            e.await();
          }
        }
      } finally {
        ClEvent.release(uploaded);
        ClEvent.release(uploadedWeights);
        ClEvent.release(consumed);
        uploaded = null;
        uploadedWeights = null;
        consumed = null;
      }
    }
  }
}
