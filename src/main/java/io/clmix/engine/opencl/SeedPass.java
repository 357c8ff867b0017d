package io.clmix.engine.opencl;

import io.clmix.engine.ChainLink;
import io.clmix.engine.SeedDraws;

/**
 * k-means++ seeding on the device. D(x), each point's squared distance to the closest chosen
 * centre, stays on the device beside the data; each pass returns one acc_t sum of
 * {@code w D} per work-group, which the host adds in group order in double.
 *
 * <p>{@link #sample} finds the group holding each target from the prefix sums of the group
 * sums, then reads that group's D (and weights) and scans its rows in order in double: the
 * first row whose running sum exceeds the target, continuing into later groups if rounding
 * left the target just past the group. Past the last row one device clips to it (as
 * scikit-learn does), and a shard hands the scan on to the next ({@link SeedDraws}).
 *
 * <p>As one shard of several ({@link ChainLink}), every sum starts from the running sum the
 * shard before handed on instead of 0, and {@link #sample} from the running sum at the shard's
 * first row: the shards' groups are one device's groups ({@code ShardedEngine} cuts them where
 * groups end), so each sum is one device's, to the bit.
 */
final class SeedPass {
  private final ClContext cl;
  private final RowBlocks blocks;
  private final KernelConfig config;
  private final ClKernel update;
  private final ClKernel trial;
  private final ClBuffer noWeights;
  private final int d;
  private final int rpg;
  private final int groups;
  private ClBuffer centre;
  private ClBuffer candidates;
  private ClBuffer groupSums;
  private ClBuffer trialSums;
  /** Host copy of the group sums of w D; null when D changed since they were read. */
  private double[] sums;
  private boolean started;

  SeedPass(ClContext cl, RowBlocks blocks, KernelConfig config, ClKernel update, ClKernel trial, ClBuffer noWeights) {
    this.cl = cl;
    this.blocks = blocks;
    this.config = config;
    this.update = update;
    this.trial = trial;
    this.noWeights = noWeights;
    this.d = blocks.data().cols();
    this.rpg = config.rowsPerGroup();
    this.groups = blocks.totalGroups(rpg);
  }

  /** The potential after starting from centre {@code c}; continues {@code link}'s sum (null: none). */
  double start(float[] c, ChainLink link) {
    checkLength(c.length);
    if (!started) {
      // Each made once, so a start that failed half-way neither leaks nor lacks one next time.
      blocks.ensureSeedState();
      if (centre == null) {
        centre = cl.buffer("seed centre", 4L * d);
      }
      if (groupSums == null) {
        groupSums = cl.buffer("seed group sums", 8L * groups);
      }
      started = true;
    }
    runUpdate(c, false);
    return potential(link);
  }

  /** Adds centre {@code c}. */
  void commit(float[] c) {
    checkStarted();
    checkLength(c.length);
    runUpdate(c, true);
  }

  /** Adds centre {@code c}; returns the potential it leaves, continuing {@code link}'s sum (null: none). */
  double commit(float[] c, ChainLink link) {
    commit(c);
    return potential(link);
  }

  /** The group sums added in group order, from the running sum {@code link} carries (else 0). */
  private double potential(ChainLink link) {
    double[] s = groupSums();
    Object carry = link == null ? null : link.carry();
    boolean continued = carry instanceof Double;
    double total = continued ? (Double) carry : 0;
    for (double g : s) {
      total += g;
    }
    handOn(link, continued, total);
    return total;
  }

  /** Marks {@code link} joined when a carry was continued, and hands {@code value} on. */
  private static void handOn(ChainLink link, boolean continued, Object value) {
    if (link == null) {
      return;
    }
    if (continued) {
      link.join();
    }
    link.handOn(value);
  }

  private void runUpdate(float[] c, boolean keepMin) {
    centre.write(0, c, 0, d);
    int wg = config.workGroupSize();
    update.arg(4, rpg).arg(5, centre).arg(7, keepMin ? 1 : 0).arg(8, groupSums).local(10, 8L * wg);
    blocks.forEachUnit(rpg, RowBlocks.State.SEED_WRITE, u -> {
      update.arg(0, u.data()).arg(1, u.weights() != null ? u.weights() : noWeights)
          .arg(2, u.weights() != null ? 1 : 0).arg(3, u.rows()).arg(6, u.seedDist()).arg(9, u.groupBase())
          .arg(11, u.stateOffset());
      update.launch((long) RowBlocks.groups(u, rpg) * wg, wg);
    });
    sums = null;
  }

  private double[] groupSums() {
    if (sums == null) {
      long[] words = new long[groups];
      groupSums.read(0, words, 0, groups);
      boolean fp64 = cl.device().fp64();
      double[] s = new double[groups];
      for (int g = 0; g < groups; g++) {
        s[g] = Accumulators.decode(words[g], fp64);
      }
      sums = s;
    }
    return sums;
  }

  /** The potential each candidate would leave; continues {@code link}'s sums (null: none). */
  double[] trial(float[] cands, int m, ChainLink link) {
    checkStarted();
    if (m < 0 || cands.length != (long) m * d) {
      throw new IllegalArgumentException(m + " candidates need " + ((long) m * d) + " values, got " + cands.length);
    }
    double[] out = new double[m];
    if (m == 0) {
      handOn(link, false, null);
      return out;
    }
    int batch = config.maxTrials();
    if (candidates == null) {
      candidates = cl.buffer("seed candidates", 4L * batch * d);
    }
    if (trialSums == null) {
      trialSums = cl.buffer("seed trial sums", 8L * groups * batch);
    }
    int wg = config.workGroupSize();
    boolean fp64 = cl.device().fp64();
    long[] words = new long[groups * batch];
    // Every batch's group sums first, so that a shard waits for the one before it only to add them.
    double[][] sums = new double[m][groups];
    for (int t0 = 0; t0 < m; t0 += batch) {
      int mb = Math.min(batch, m - t0);
      candidates.write(0, cands, t0 * d, mb * d);
      trial.arg(4, rpg).arg(5, candidates).arg(6, mb).arg(8, trialSums).local(10, 8L * wg);
      blocks.forEachUnit(rpg, RowBlocks.State.SEED_READ, u -> {
        trial.arg(0, u.data()).arg(1, u.weights() != null ? u.weights() : noWeights)
            .arg(2, u.weights() != null ? 1 : 0).arg(3, u.rows()).arg(7, u.seedDist()).arg(9, u.groupBase())
            .arg(11, u.stateOffset());
        trial.launch((long) RowBlocks.groups(u, rpg) * wg, wg);
      });
      trialSums.read(0, words, 0, groups * mb);
      for (int t = 0; t < mb; t++) {
        for (int g = 0; g < groups; g++) {
          sums[t0 + t][g] = Accumulators.decode(words[g * mb + t], fp64);
        }
      }
    }
    Object carry = link == null ? null : link.carry();
    boolean continued = carry instanceof double[] before && before.length == m;
    for (int t = 0; t < m; t++) {
      double s = continued ? ((double[]) carry)[t] : 0;
      for (int g = 0; g < groups; g++) {
        s += sums[t][g];
      }
      out[t] = s;
    }
    handOn(link, continued, out.clone());
    return out;
  }

  /**
   * Per ascending target, the row whose running sum of {@code w D} first exceeds it, the sum
   * standing at {@code start} before the first row (0 on one device; on a shard, the potential
   * of the shards before it). Where the scan runs past the last row the row is
   * {@link SeedDraws#PAST_END}: one device then takes its last row, a shard hands the scan on.
   */
  SeedDraws sample(double[] targets, double start) {
    checkStarted();
    double[] s = groupSums();
    double[] prefix = new double[groups]; // prefix[g] = start + sum of groups 0..g
    double run = start;
    for (int g = 0; g < groups; g++) {
      run += s[g];
      prefix[g] = run;
    }
    Scan scan = new Scan(targets.length);
    for (int t = 0; t < targets.length; t++) {
      if (t > 0 && targets[t] < targets[t - 1]) {
        throw new IllegalArgumentException("seedSample targets must be ascending");
      }
      int g = firstGroupExceeding(prefix, targets[t]);
      if (g == groups) {
        // Past every group's sum: the scan would end at the last row without reaching it (as
        // scikit-learn clips a target at the total).
        scan.pastEnd(t, prefix.length == 0 ? start : prefix[groups - 1]);
      } else {
        scan.from(t, g, g == 0 ? start : prefix[g - 1], targets[t]);
      }
    }
    return scan.draws();
  }

  /**
   * Goes on with scans that ran past the end of the shard before: per target, the first row at
   * which the running sum, standing at {@code runs[t]} before the first row, exceeds it.
   */
  SeedDraws sampleOn(double[] targets, double[] runs) {
    checkStarted();
    Scan scan = new Scan(targets.length);
    for (int t = 0; t < targets.length; t++) {
      scan.from(t, 0, runs[t], targets[t]);
    }
    return scan.draws();
  }

  /** First group whose inclusive prefix exceeds the target; {@code groups} where none does. */
  private int firstGroupExceeding(double[] prefix, double target) {
    int lo = 0;
    int hi = groups;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (prefix[mid] > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The rows' running sum scanned group by group, the draws it finds, and where it ran out. */
  private final class Scan {
    private final long[] rows;
    private double[] ends;
    private final float[] dist = new float[rpg];
    private final float[] w = new float[rpg];

    Scan(int targets) {
      rows = new long[targets];
    }

    /** Target {@code t}'s row: the rows from group {@code g} on, the sum at {@code run} before it. */
    void from(int t, int g, double run, double target) {
      boolean weighted = blocks.data().weighted();
      for (; g < groups; g++) {
        long[] range = groupRange(g);
        int count = (int) range[1];
        blocks.readFloats(b -> b.seedDist, b -> b.hostSeed, range[0], count, dist, 0);
        if (weighted) {
          blocks.readWeights(range[0], count, w, 0);
        }
        for (int i = 0; i < count; i++) {
          run += (weighted ? (double) w[i] : 1.0) * dist[i];
          if (run > target) {
            rows[t] = range[0] + i;
            return;
          }
        }
      }
      pastEnd(t, run);
    }

    void pastEnd(int t, double run) {
      if (ends == null) {
        ends = new double[rows.length];
      }
      rows[t] = SeedDraws.PAST_END;
      ends[t] = run;
    }

    SeedDraws draws() {
      return new SeedDraws(rows, ends);
    }
  }

  /** {first row, row count} of global group {@code g}. */
  private long[] groupRange(int g) {
    int left = g;
    for (RowBlocks.Block b : blocks.all()) {
      int gb = blocks.groups(b.index, rpg);
      if (left < gb) {
        long first = (long) left * rpg;
        return new long[] {b.firstRow + first, Math.min(rpg, b.rows - first)};
      }
      left -= gb;
    }
    throw new IndexOutOfBoundsException("group " + g + " of " + groups);
  }

  private void checkStarted() {
    if (!started) {
      throw new IllegalStateException("seeding needs seedStart() first");
    }
  }

  private void checkLength(int length) {
    if (length != d) {
      throw new IllegalArgumentException("a centre of " + length + " values for data of " + d + " columns");
    }
  }
}
