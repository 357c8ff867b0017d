package io.clmix.engine.opencl;

import io.clmix.engine.ChainLink;
import java.util.function.DoubleSupplier;

/**
 * The second half of every pass that returns statistics ({@code kernels/reduce.cl}): the
 * work-groups' partial statistics added in segments of {@link #GROUPS_PER_SEGMENT} groups, then
 * the segments merged, both in a fixed order, in double (compensated float without fp64); only
 * the merged words come back to the host.
 *
 * <p>On several devices ({@link ChainLink}) a shard continues the sums of the shard before it:
 * its first segment starts from the open segment that shard handed on and takes the groups that
 * segment lacks, its merge starts from the segments that shard merged, and it hands on its own
 * merged segments and its last segment while that is not full. So the shards' segments are the
 * one device's, added in its order; where shard boundaries fall on work-group boundaries
 * ({@code OpenClEngine#shardRows}), the last shard's words are the one device's bits.
 */
final class SegmentReduction {
  /** Work-group slots one first-level reduction work-item adds. */
  static final int GROUPS_PER_SEGMENT = 64;

  /**
   * What a shard hands on: the words of its merged segments and of its open segment
   * ({@code 2 * width}), how many groups that open segment holds (0: none), the rows per group of
   * the pass (a carry of another layout is not continued), whether the chain is unbroken from
   * the first shard, and the sample weight of the rows the carry covers (computed when asked:
   * only a mixture's objective needs it).
   */
  record Carry(int rowsPerGroup, int width, int openGroups, long[] words, boolean fromStart, DoubleSupplier weight) {}

  /** The merged words of a pass, and the sample weight of the rows they cover (computed when asked). */
  record Result(long[] words, DoubleSupplier weight) {}

  private final ClContext cl;
  private final ClKernel segments;
  private final ClKernel merge;
  /** Whether the partials come with per-group counts ({@code reduce_segments}: one more word). */
  private final boolean counted;
  private final String what;
  private ClBuffer mid;
  private ClBuffer out;
  private ClBuffer carry;

  /**
   * @param counted true for {@code reduce_segments}/{@code reduce_merge} (float partials and
   *     counts), false for {@code reduce_acc_segments}/{@code reduce_acc_merge}
   */
  SegmentReduction(ClContext cl, ClKernel segments, ClKernel merge, boolean counted, String what) {
    this.cl = cl;
    this.segments = segments;
    this.merge = merge;
    this.counted = counted;
    this.what = what;
  }

  /**
   * Adds {@code groups} slots of {@code len} values in {@code partials} (and their
   * {@code counts}, when counted) and returns the {@code len} (+1 count) merged words.
   *
   * @param link this shard's link, or null for a pass over all the data
   * @param ownWeight the sample weight of this session's rows
   */
  Result reduce(ClBuffer partials, ClBuffer counts, int groups, int len, int rowsPerGroup, ChainLink link,
      DoubleSupplier ownWeight) {
    int width = counted ? len + 1 : len;
    int g = GROUPS_PER_SEGMENT;
    Carry in = link == null ? null : accepted(link.carry(), rowsPerGroup, width);
    int first = in != null && in.openGroups() > 0 ? g - in.openGroups() : g;
    int segs = groups <= first ? 1 : 1 + (groups - first + g - 1) / g;
    // Groups in the last segment, counting those the carried open segment already holds.
    int lastFill = segs == 1 ? g - first + groups : groups - first - (segs - 2) * g;
    boolean handOn = link != null && link.handsOn();
    int openOut = handOn && lastFill < g ? lastFill : 0;
    int closed = openOut > 0 ? segs - 1 : segs;

    mid = cl.ensure(mid, what + " segment statistics", 8L * segs * width);
    out = cl.ensure(out, what + " statistics", 16L * width);
    carry = cl.ensure(carry, what + " carried statistics", 16L * width);
    if (in != null) {
      carry.write(0, in.words(), 0, 2 * width);
    }
    int hasOpen = in != null && in.openGroups() > 0 ? 1 : 0;
    segments.arg(0, partials).arg(1, groups).arg(2, len).arg(3, g).arg(4, segs);
    int at = 5;
    if (counted) {
      segments.arg(at++, counts);
    }
    segments.arg(at, mid).arg(at + 1, first).arg(at + 2, carry).arg(at + 3, hasOpen);
    segments.launch(AssignPass.roundUp((long) segs * width, 64), 0);
    merge.arg(0, mid).arg(1, segs).arg(2, len).arg(3, out).arg(4, closed).arg(5, carry).arg(6, in != null ? 1 : 0);
    merge.launch(AssignPass.roundUp(width, 64), 0);

    long[] words = new long[width];
    out.read(0, words, 0, width);
    DoubleSupplier covered = in == null ? ownWeight
        : () -> in.weight().getAsDouble() + ownWeight.getAsDouble();
    boolean fromStart = in != null ? in.fromStart() : link != null && link.first();
    if (handOn) {
      long[] next = new long[2 * width];
      out.read(width, next, 0, width);
      if (openOut > 0) {
        mid.read((long) (segs - 1) * width, next, width, width);
      }
      link.handOn(new Carry(rowsPerGroup, width, openOut, next, fromStart, covered));
    }
    if (in != null) {
      link.join();
    }
    // The last shard of an unbroken chain covers all rows: their weight as one device sums it.
    DoubleSupplier weight = link != null && !handOn && fromStart && in != null ? link::wholeWeight : covered;
    return new Result(words, weight);
  }

  /** {@code carry} when it continues a pass of this shape, else null (start afresh). */
  private static Carry accepted(Object carry, int rowsPerGroup, int width) {
    return carry instanceof Carry c && c.rowsPerGroup() == rowsPerGroup && c.width() == width ? c : null;
  }
}
