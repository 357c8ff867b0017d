package io.clmix.engine;

/**
 * The rows one shard of several drew for k-means++ targets ({@link DataSession#seedDraw},
 * {@link DataSession#seedDrawOn}).
 *
 * <p>One device routes a target to a work-group by the groups' sums, then scans that group's
 * rows, adding their distances in double. The group sums were added on the device in float, so
 * rounding can leave a target just past the rows' own running sum at the group's end; the scan
 * then goes on into the next group's rows. When that group belongs to the next shard, a shard
 * cannot finish the scan alone: it answers {@link #PAST_END} for that target, and
 * {@code ends[i]} holds the running sum its scan reached after its last row, from which the next
 * shard goes on. So several devices draw the rows one device draws, even there.
 *
 * @param rows the row drawn for each target, in the session's rows, or {@link #PAST_END}
 * @param ends per target, the running sum after the session's last row where {@code rows[i]}
 *     is {@link #PAST_END}; null when no row is
 */
public record SeedDraws(long[] rows, double[] ends) {
  /** The row of a target the scan did not reach by this session's last row. */
  public static final long PAST_END = -1;

  /** Rows drawn where no scan ran past the end. */
  public static SeedDraws of(long[] rows) {
    return new SeedDraws(rows, null);
  }

  /** Whether target {@code i}'s scan ran past this session's last row. */
  public boolean pastEnd(int i) {
    return rows[i] == PAST_END;
  }
}
