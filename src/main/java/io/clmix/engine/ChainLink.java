package io.clmix.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.DoubleSupplier;

/**
 * One shard's place in a chain of shards that add their statistics in the single device's
 * order ({@link ShardedSession}). Each shard's pass computes its own part on its own device at
 * the same time as the others; only the last, small step of its reduction waits for the
 * shard before it, takes what that shard {@link #handOn handed on} ({@link #carry}), continues
 * the sums from there, and hands on its own state. So the last shard's result holds every
 * shard's statistics added in the one device's order: where the shard boundaries fall where
 * the one device's sums would restart, the same bits.
 *
 * <p>The carry is the engine's own (for OpenCL, the reduction's words, or k-means++ seeding's
 * running sums of potentials); a shard whose engine
 * cannot continue a carry, or gets none (the first shard, or one after a shard that could not
 * hand on), starts afresh and says so by not calling {@link #join}: its result then holds its own
 * rows only, and {@link ShardedSession} adds the results of the chain's pieces.
 *
 * <p>Thread-safe: links of one chain are used by different threads.
 */
public final class ChainLink {
  private final CompletableFuture<Object> previous;
  private final CompletableFuture<Object> next;
  private final DoubleSupplier wholeWeight;
  private volatile boolean joined;

  private ChainLink(CompletableFuture<Object> previous, CompletableFuture<Object> next, DoubleSupplier wholeWeight) {
    this.previous = previous;
    this.next = next;
    this.wholeWeight = wholeWeight;
  }

  /**
   * The links of a chain of {@code shards} shards. {@code wholeWeight} is the total sample weight
   * of all the shards' rows, as one device over them would compute it (asked for only by a last
   * shard whose chain is unbroken and whose objective depends on it).
   */
  static List<ChainLink> of(int shards, DoubleSupplier wholeWeight) {
    List<ChainLink> out = new ArrayList<>();
    CompletableFuture<Object> before = null;
    for (int s = 0; s < shards; s++) {
      CompletableFuture<Object> after = s == shards - 1 ? null : new CompletableFuture<>();
      out.add(new ChainLink(before, after, wholeWeight));
      before = after;
    }
    return out;
  }

  /** Whether this is the first shard (nothing to continue). */
  public boolean first() {
    return previous == null;
  }

  /** Whether a shard follows this one, so this shard must {@link #handOn} its state. */
  public boolean handsOn() {
    return next != null;
  }

  /**
   * What the shard before this one handed on: waits for it; null for the first shard and after
   * a shard that handed on nothing.
   */
  public Object carry() {
    if (previous == null) {
      return null;
    }
    try {
      return previous.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the previous shard's statistics", e);
    } catch (ExecutionException e) {
      return null;
    }
  }

  /** Hands {@code carry} to the next shard (once; later calls are ignored). */
  public void handOn(Object carry) {
    if (next != null) {
      next.complete(carry);
    }
  }

  /** Marks this shard's result as holding the previous shards' statistics too (it continued the carry). */
  public void join() {
    joined = true;
  }

  /** Whether this shard's result holds the previous shards' statistics too. */
  public boolean joined() {
    return joined;
  }

  /** The total sample weight of all shards' rows, as one device over them computes it. */
  public double wholeWeight() {
    return wholeWeight.getAsDouble();
  }

  /** After the shard's pass, failed or not: a link that handed nothing on hands on null. */
  void finish() {
    handOn(null);
  }
}
