package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several engines acting as one: the data's chunks are split into contiguous shards, one per
 * engine, each shard is uploaded to its own device, and every pass runs on all devices at once.
 * Shards end where the engines' work-groups end ({@link Engine#shardRows}; data whose chunks do
 * not are first cut into pieces that do, {@link #parts}), and each shard's statistics continue
 * the sums of the shard before it ({@link ChainLink}), so OpenCL devices of one kind give one
 * device's bits.
 *
 * <p>Because statistics are additive, the algorithms see no difference. Data too small to give
 * each device a work-group's worth of rows go to fewer devices, so the groups stay whole. Where
 * the chain cannot hold (Java engines, a shard that fell back to one) the pieces' statistics
 * are added in shard order, and results differ from one
 * device's only by that grouping: labels and iteration counts are the same but for points
 * within rounding of a tie, sums agree to double rounding on the Java engine and to a few
 * float32 roundings on OpenCL (docs/reproducibility.md). The same scheme scales to a cluster,
 * where partitions run an engine each and a driver adds their statistics.
 *
 * <p>The sharded engine owns the engines it was given and closes them.
 */
public final class ShardedEngine implements Engine {
  private final List<Engine> engines;
  private final EngineInfo info;

  /**
   * @param engines at least one engine; the data are split among them in this order
   * @throws InputException when the list is null, empty or holds a null
   */
  public ShardedEngine(List<Engine> engines) {
    if (engines == null) {
      throw new InputException("engines: null is not allowed; expected a list of at least one engine");
    }
    if (engines.isEmpty()) {
      // An InputException, as a null list is: the same mistake a caller makes with a list built empty.
      throw new InputException("engines: an empty list is not allowed; expected a list of at least one engine");
    }
    for (int i = 0; i < engines.size(); i++) {
      if (engines.get(i) == null) {
        throw new InputException("engines: entry " + (i + 1) + " is null; expected an engine");
      }
    }
    this.engines = List.copyOf(engines);
    List<String> ids = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Engine e : engines) {
      ids.add(e.info().id());
      names.add(e.info().name());
    }
    this.info = new EngineInfo(String.join(",", ids), engines.size() + " devices: " + String.join(" + ", names),
        engines.get(0).info().kind());
  }

  /** The engines, in shard order. */
  public List<Engine> engines() {
    return engines;
  }

  @Override
  public EngineInfo info() {
    return info;
  }

  @Override
  public DataSession open(Dataset data) {
    Engine.requiredData(data);
    Dataset parts = parts(data);
    List<int[]> ranges = split(parts, engines.size());
    List<DataSession> shards = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    List<Integer> firstChunks = new ArrayList<>();
    try {
      for (int s = 0; s < ranges.size(); s++) {
        int[] r = ranges.get(s);
        shards.add(engines.get(s).open(parts.slice(r[0], r[1])));
        offsets.add(parts.chunkStart(r[0]));
        firstChunks.add(r[0]);
      }
    } catch (RuntimeException e) {
      for (DataSession open : shards) {
        try {
          open.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return new ShardedSession(data, parts, info, shards, offsets, firstChunks);
  }

  /**
   * The chunks to cut shards from. Shards are whole chunks, and their boundaries should fall on
   * multiples of the engines' {@link Engine#shardRows} (the rows their work-groups sum), so that
   * the shards' chained sums are one device's bits: data whose chunks are not such multiples
   * are cut into pieces that are, a power-of-two multiple as large as leaves each device four
   * pieces or more (so groups doubled for large k fall on boundaries too), the shards balanced
   * to a piece. Data of fewer rows than that per device are cut into pieces of one group's
   * worth: fewer devices than given then get rows (one, for data of at most that many rows).
   * Where the engines need no alignment, data of fewer chunks than engines (by default, all data
   * under 2^24 values) are cut into pieces, at least one per engine, so that every device gets
   * rows.
   */
  Dataset parts(Dataset data) {
    int devices = engines.size();
    long align = 1;
    for (Engine e : engines) {
      align = lcm(align, e.shardRows(data));
    }
    long largest = (Integer.MAX_VALUE - 8) / data.cols();
    if (devices > 1 && align > 1 && align <= largest) {
      if (align > data.rows() / devices) {
        // Too few rows for a group's worth per device: whole groups' worth still, so the first
        // devices get one each and the last the rest (one device, for at most one group's worth),
        // and the bits stay one device's. Balance does not matter at this size.
        return data.chunkRows() % align == 0 && data.rows() > align ? data : data.inPiecesOf((int) align);
      }
      long piece = align;
      while (2 * piece <= data.rows() / (4L * devices) && 2 * piece <= largest) {
        piece *= 2;
      }
      boolean aligned = data.chunkCount() >= devices && data.chunkRows() % piece == 0;
      return aligned ? data : data.inPiecesOf((int) piece);
    }
    return data.chunkCount() < devices ? data.inPieces(devices) : data;
  }

  /** The least common multiple of two positive row counts (of {@link Engine#shardRows} values). */
  public static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  /**
   * Contiguous chunk ranges {@code [from, to)}, one per shard, balanced by rows; never more
   * shards than chunks (extra engines then stay idle: {@link #parts} cuts data of fewer chunks
   * into at least one piece per engine first, so that only happens with fewer rows than
   * engines, or fewer than a work-group's worth per engine).
   */
  static List<int[]> split(Dataset data, int shards) {
    int chunks = data.chunkCount();
    int used = Math.min(shards, chunks);
    List<int[]> out = new ArrayList<>();
    int from = 0;
    for (int s = 0; s < used; s++) {
      // End each shard at the chunk boundary nearest an equal share of the rows, leaving a
      // chunk for each later shard.
      double target = (double) data.rows() * (s + 1) / used;
      int to = from + 1;
      int last = chunks - (used - s - 1);
      while (to < last && Math.abs(end(data, to + 1) - target) < Math.abs(end(data, to) - target)) {
        to++;
      }
      if (s == used - 1) {
        to = chunks;
      }
      out.add(new int[] {from, to});
      from = to;
    }
    return out;
  }

  /** Where a shard of chunks up to {@code c} (exclusive) ends: chunk c's first row, or the row count. */
  private static long end(Dataset data, int c) {
    return c >= data.chunkCount() ? data.rows() : data.chunkStart(c);
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (Engine e : engines) {
      try {
        e.close();
      } catch (RuntimeException ex) {
        if (first == null) {
          first = ex;
        } else {
          first.addSuppressed(ex);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
