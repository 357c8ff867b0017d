package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A data set split into shards on several devices (see {@link ShardedEngine}). Passes run on
 * all shards at once; statistics passes chain the shards' sums ({@link ChainLink}), row indices
 * are shifted to the whole data set's, and per-point output is delivered chunk by chunk in
 * order, in the caller's chunks (the shards may hold pieces of them, {@link Dataset#inPiecesOf}).
 */
final class ShardedSession implements DataSession {
  private final Dataset data;
  /** The chunks the shards were cut from: {@link #data} itself, or its pieces. */
  private final Dataset parts;
  private final EngineInfo info;
  private final List<DataSession> shards;
  private final long[] offsets;
  private final int[] firstChunks;
  private final ExecutorService pool;
  /**
   * k-means++: per shard, the running potential at its last row (one device's prefix sum there
   * when the chain is unbroken), so a target can be routed to its shard.
   */
  private double[] reach;
  /** The centres of the last assign, to rank the farthest points of different shards. */
  private Centroids lastCentres;

  ShardedSession(Dataset data, Dataset parts, EngineInfo info, List<DataSession> shards, List<Long> offsets,
      List<Integer> firstChunks) {
    this.data = data;
    this.parts = parts;
    this.info = info;
    this.shards = List.copyOf(shards);
    this.offsets = offsets.stream().mapToLong(Long::longValue).toArray();
    this.firstChunks = firstChunks.stream().mapToInt(Integer::intValue).toArray();
    this.pool = Executors.newFixedThreadPool(shards.size(), r -> {
      Thread t = new Thread(r, "clmix-shard");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Dataset data() {
    return data;
  }

  @Override
  public EngineInfo engine() {
    return info;
  }

  /** The first shard's note on how it recovered from a device failure, if any did. */
  @Override
  public String fallbackReason() {
    for (DataSession s : shards) {
      if (s.fallbackReason() != null) {
        return s.fallbackReason();
      }
    }
    return null;
  }

  /** Runs {@code call} on every shard at once; results in shard order; the first failure is rethrown. */
  private <T> List<T> all(Function<DataSession, T> call) {
    return all((s, i) -> call.apply(s));
  }

  /** As {@link #all(Function)}, the call given each shard's index too. */
  private <T> List<T> all(BiFunction<DataSession, Integer, T> call) {
    if (shards.size() == 1) {
      return List.of(call.apply(shards.get(0), 0));
    }
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      DataSession s = shards.get(i);
      int index = i;
      futures.add(pool.submit(() -> call.apply(s, index)));
    }
    List<T> out = new ArrayList<>();
    RuntimeException failure = null;
    for (Future<T> f : futures) {
      try {
        out.add(f.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during a sharded pass", e);
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return out;
  }

  @Override
  public SufficientStats assign(Centroids centres) {
    lastCentres = centres;
    return chained((s, link) -> s.assign(centres, link));
  }

  /**
   * Runs a statistics pass on every shard at once, each continuing the sums of the shard before
   * it where its engine can ({@link ChainLink}): the last shard's result then holds all of them,
   * added in one device's order. Where a shard could not continue (another engine, or one that
   * fell back), the results of the chain's pieces are added in shard order.
   */
  private SufficientStats chained(BiFunction<DataSession, ChainLink, SufficientStats> pass) {
    List<Linked<SufficientStats>> results = chain(pass);
    // A result holds the rows back to the last shard that did not join; add the pieces' ends.
    SufficientStats total = null;
    for (int i = 0; i < results.size(); i++) {
      boolean end = i == results.size() - 1 || !results.get(i + 1).joined();
      if (end) {
        total = total == null ? results.get(i).result().copy() : total.plus(results.get(i).result());
      }
    }
    return total;
  }

  /** One shard's result of a chained pass, and whether it holds the shards' before it too. */
  private record Linked<T>(T result, boolean joined) {}

  /** Runs {@code pass} on every shard at once, linked in a chain; results in shard order. */
  private <T> List<Linked<T>> chain(BiFunction<DataSession, ChainLink, T> pass) {
    if (shards.size() == 1) {
      return List.of(new Linked<>(pass.apply(shards.get(0), null), false));
    }
    List<ChainLink> links = ChainLink.of(shards.size(), data::totalWeight);
    List<T> results = all((s, i) -> {
      try {
        return pass.apply(s, links.get(i));
      } finally {
        links.get(i).finish();
      }
    });
    List<Linked<T>> out = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      out.add(new Linked<>(results.get(i), links.get(i).joined()));
    }
    return out;
  }

  /**
   * Per shard, the running sums at its last row from a chained seeding pass's results: a joined
   * result already holds its chain piece's earlier shards, so it is added to the sums before
   * that piece; the others to the sums before them. Unbroken, these are the shards' own results.
   */
  private static double[][] running(List<Linked<double[]>> results) {
    double[][] out = new double[results.size()][];
    double[] base = null;
    for (int i = 0; i < results.size(); i++) {
      if (!results.get(i).joined()) {
        base = i == 0 ? null : out[i - 1];
      }
      double[] r = results.get(i).result();
      out[i] = new double[r.length];
      for (int t = 0; t < r.length; t++) {
        out[i][t] = base == null ? r[t] : base[t] + r[t];
      }
    }
    return out;
  }

  /** {@link #running} of a pass that yields one potential per shard: the shards' reach. */
  private double[] reachOf(BiFunction<DataSession, ChainLink, Double> pass) {
    List<Linked<double[]>> results = new ArrayList<>();
    for (Linked<Double> r : chain(pass)) {
      results.add(new Linked<>(new double[] {r.result()}, r.joined()));
    }
    double[][] sums = running(results);
    double[] out = new double[sums.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = sums[i][0];
    }
    return out;
  }

  @Override
  public Labels labels() {
    List<Labels> shardLabels = all(DataSession::labels);
    int[][] chunks = new int[data.chunkCount()][];
    if (parts == data) {
      for (int s = 0; s < shardLabels.size(); s++) {
        for (int c = 0; c < shardLabels.get(s).chunkCount(); c++) {
          chunks[firstChunks[s] + c] = shardLabels.get(s).chunk(c);
        }
      }
      return new Labels(chunks, data.chunkRows());
    }
    // Pieces: copy each piece's labels to its rows in the caller's chunks.
    for (int c = 0; c < chunks.length; c++) {
      chunks[c] = new int[data.rowsIn(c)];
    }
    for (int s = 0; s < shardLabels.size(); s++) {
      Labels l = shardLabels.get(s);
      long row = offsets[s];
      for (int c = 0; c < l.chunkCount(); c++) {
        int[] piece = l.chunk(c);
        data.forEachRun(row, piece.length, (dc, in, at, m) -> System.arraycopy(piece, at, chunks[dc], in, m));
        row += piece.length;
      }
    }
    return new Labels(chunks, data.chunkRows());
  }

  @Override
  public long[] farthest(int m) {
    // Each shard's m farthest, as global rows; the overall m farthest are among them.
    List<long[]> parts = all(s -> s.farthest(m));
    float[] distances = distancesOf(parts);
    FarthestRows top = new FarthestRows(m);
    int at = 0;
    for (int s = 0; s < parts.size(); s++) {
      for (long row : parts.get(s)) {
        top.offer(row + offsets[s], distances[at++]);
      }
    }
    return top.rows();
  }

  /**
   * The squared distance of each candidate to its centre at the last assignment, recomputed
   * from the row, its label and the centres, so candidates of different shards can be ranked.
   */
  private float[] distancesOf(List<long[]> parts) {
    int total = 0;
    for (long[] p : parts) {
      total += p.length;
    }
    float[] out = new float[total];
    int at = 0;
    for (int s = 0; s < parts.size(); s++) {
      float[] d = lastDistances(s, parts.get(s));
      System.arraycopy(d, 0, out, at, d.length);
      at += d.length;
    }
    return out;
  }

  private float[] lastDistances(int shard, long[] rows) {
    float[] out = new float[rows.length];
    if (lastCentres == null) {
      Arrays.fill(out, 0f);
      return out;
    }
    int d = data.cols();
    Labels labels = shards.get(shard).labels();
    for (int i = 0; i < rows.length; i++) {
      float[] x = data.localRow(rows[i] + offsets[shard]);
      int c = labels.get(rows[i]);
      float sum = 0f;
      for (int j = 0; j < d; j++) {
        float e = x[j] - lastCentres.values()[c * d + j];
        sum = Math.fma(e, e, sum);
      }
      out[i] = sum;
    }
    return out;
  }

  @Override
  public double seedStart(float[] centre) {
    reach = reachOf((s, link) -> s.seedStart(centre, link));
    return reach[reach.length - 1];
  }

  @Override
  public long[] seedSample(double[] targets) {
    long[] out = new long[targets.length];
    int s = 0;
    int t = 0;
    int last = shards.size() - 1;
    // Scans that ran past a shard's last row, which the next shard goes on with: their targets'
    // indices, and the running sums they reached.
    int[] carried = new int[0];
    double[] runs = new double[0];
    while (s <= last) {
      // Route each ascending target to the shard whose stretch of the running sum holds it: the
      // shard holding the first group whose prefix sum exceeds it, as on one device.
      int from = t;
      while (t < targets.length && (s == last || targets[t] < reach[s])) {
        t++;
      }
      List<Integer> pastIndex = new ArrayList<>();
      List<Double> pastRun = new ArrayList<>();
      if (carried.length > 0) {
        SeedDraws on = shards.get(s).seedDrawOn(pick(targets, carried), runs);
        collect(on, carried, s, out, pastIndex, pastRun);
      }
      if (t > from) {
        SeedDraws drawn = shards.get(s).seedDraw(Arrays.copyOfRange(targets, from, t), s == 0 ? 0 : reach[s - 1]);
        collect(drawn, IntStream.range(from, t).toArray(), s, out, pastIndex, pastRun);
      }
      carried = pastIndex.stream().mapToInt(Integer::intValue).toArray();
      runs = pastRun.stream().mapToDouble(Double::doubleValue).toArray();
      s++;
    }
    // Past the last row of all: one device clips to it, as scikit-learn does.
    for (int i : carried) {
      out[i] = data.rows() - 1;
    }
    return out;
  }

  /** Shard {@code s}'s draws for targets {@code index} into {@code out}; the ones it ran past go on. */
  private void collect(SeedDraws draws, int[] index, int s, long[] out, List<Integer> pastIndex, List<Double> pastRun) {
    for (int i = 0; i < index.length; i++) {
      if (draws.pastEnd(i)) {
        pastIndex.add(index[i]);
        pastRun.add(draws.ends()[i]);
      } else {
        out[index[i]] = draws.rows()[i] + offsets[s];
      }
    }
  }

  private static double[] pick(double[] values, int[] index) {
    double[] out = new double[index.length];
    for (int i = 0; i < index.length; i++) {
      out[i] = values[index[i]];
    }
    return out;
  }

  @Override
  public double[] seedTrial(float[] candidates, int m) {
    double[][] sums = running(chain((s, link) -> s.seedTrial(candidates, m, link)));
    return sums[sums.length - 1];
  }

  @Override
  public void seedCommit(float[] centre) {
    // Commit, and learn each shard's reach, which seedSample needs to route targets.
    reach = reachOf((s, link) -> s.seedCommit(centre, link));
  }

  /** Commits, and returns the potential the shards' reach already holds (no second pass). */
  @Override
  public double seedCommit(float[] centre, ChainLink link) {
    seedCommit(centre);
    return reach[reach.length - 1];
  }

  @Override
  public SufficientStats expect(MixtureParams params, Responsibilities mode) {
    return chained((s, link) -> s.expect(params, mode, link));
  }

  @Override
  public void pointwise(Centroids centres, PointSink sink) {
    pointwise(centres.k(), sink, (s, out) -> s.pointwise(centres, out));
  }

  @Override
  public void pointwise(MixtureParams params, PointSink sink) {
    pointwise(params.k(), sink, (s, out) -> s.pointwise(params, out));
  }

  /**
   * Runs {@code pass} on each shard in turn, its rows renumbered, gathered into whole chunks
   * when the shards hold pieces.
   */
  private void pointwise(int k, PointSink sink, BiConsumer<DataSession, PointSink> pass) {
    WholeChunks whole = parts == data ? null : new WholeChunks(data, sink, k);
    for (int s = 0; s < shards.size(); s++) {
      pass.accept(shards.get(s), shifted(whole == null ? sink : whole, s));
    }
    if (whole != null) {
      whole.finish();
    }
  }

  /** A sink that renumbers a shard's chunks and rows as the whole data set's. */
  private PointSink shifted(PointSink sink, int shard) {
    return new PointSink() {
      @Override
      public boolean wantsComponents() {
        return sink.wantsComponents();
      }

      @Override
      public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
        sink.accept(chunk + firstChunks[shard], firstRow + offsets[shard], rows, labels, values, components);
      }
    };
  }

  /**
   * Gathers per-point results that arrive in pieces of the caller's chunks, in row order, and
   * hands each chunk to the sink once it is whole: a sink gets one call per chunk. Holds one
   * chunk's results, on top of the shards' own buffers for their pieces.
   */
  private static final class WholeChunks implements PointSink {
    private final Dataset data;
    private final PointSink sink;
    private final int k;
    private int chunk = -1;
    private int filled;
    private int[] labels = new int[0];
    private float[] values = new float[0];
    private float[] components;

    WholeChunks(Dataset data, PointSink sink, int k) {
      this.data = data;
      this.sink = sink;
      this.k = k;
      // A piece's values may fit one array where the whole chunk's do not: refuse as one device does.
      if (sink.wantsComponents() && (long) data.rowsIn(0) * k > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("values of " + k + " components for chunks of " + data.rowsIn(0)
            + " rows do not fit one Java array; use smaller chunks");
      }
    }

    @Override
    public boolean wantsComponents() {
      return sink.wantsComponents();
    }

    @Override
    public void accept(int piece, long firstRow, int rows, int[] lab, float[] val, float[] comp) {
      for (int done = 0; done < rows; ) {
        long g = firstRow + done;
        int c = data.chunkOf(g);
        int in = (int) (g - data.chunkStart(c));
        if (c != chunk) {
          start(c, comp != null);
        }
        if (in != filled) {
          throw new IllegalStateException("rows of chunk " + c + " out of order: row " + in + " after " + filled);
        }
        int m = Math.min(rows - done, data.rowsIn(c) - in);
        System.arraycopy(lab, done, labels, in, m);
        System.arraycopy(val, done, values, in, m);
        if (comp != null) {
          System.arraycopy(comp, done * k, components, in * k, m * k);
        }
        filled += m;
        done += m;
        if (filled == data.rowsIn(c)) {
          sink.accept(c, data.chunkStart(c), filled, labels, values, comp != null ? components : null);
        }
      }
    }

    /** Checks that every chunk was handed on whole (a shard that delivered fewer rows is a bug, not a result). */
    void finish() {
      if (chunk != data.chunkCount() - 1 || filled != data.rowsIn(chunk)) {
        throw new IllegalStateException("the shards delivered rows up to chunk " + chunk + ", row " + filled + " of "
            + data.chunkCount() + " chunks");
      }
    }

    private void start(int c, boolean withComponents) {
      if (chunk >= 0 && filled != data.rowsIn(chunk)) {
        throw new IllegalStateException("chunk " + chunk + " ended after " + filled + " of " + data.rowsIn(chunk) + " rows");
      }
      if (c != chunk + 1) {
        throw new IllegalStateException("chunk " + c + " after chunk " + chunk);
      }
      chunk = c;
      filled = 0;
      int n = data.rowsIn(c);
      if (labels.length < n) {
        labels = new int[n];
        values = new float[n];
      }
      if (withComponents && (components == null || components.length < (long) n * k)) {
        components = new float[n * k];
      }
    }
  }

  /**
   * Closes every shard, once no pass runs on any. A pass whose caller was interrupted leaves
   * its shards' tasks running on the pool (a device pass cannot be stopped half-way); closing a
   * shard under its task would free the native objects that task is handing to the driver, so
   * the tasks are interrupted (a Java shard stops at once) and awaited first.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    awaitShardTasks();
    RuntimeException first = null;
    for (DataSession s : shards) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Waits for the pool's tasks to end, even when interrupted (the interrupt is kept for the caller). */
  private void awaitShardTasks() {
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
