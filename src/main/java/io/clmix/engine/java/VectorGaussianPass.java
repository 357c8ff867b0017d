package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.MixtureParams;
import io.clmix.engine.PointSink;
import io.clmix.engine.Responsibilities;
import io.clmix.engine.SufficientStats;
import io.clmix.engine.SufficientStats.Scatter;
import io.clmix.engine.java.Blocks.Block;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Gaussian-mixture passes as a float32 screen followed by double evaluation of what
 * matters.
 *
 * <p>Screen: rows are taken a window of {@link PrunedScreen#WINDOW_BLOCKS} blocks at a time,
 * grouped by their reference component when pruning (below), and cut into sub-blocks of
 * {@link GaussianKernels#ROWS} rows, each transposed once and taken through every component
 * (that the bounds do not rule out) by the float kernels while it sits in L1:
 * the O(n k d^2) part of the pass, at float32 vector speed. A component is relevant to a row
 * when its float log-density is within {@code MARGIN + |max| * MARGIN_REL} of the row's largest.
 * A component outside has a posterior below {@code e^-50 = 2e-22} of the leading one's, which
 * does not register in a double sum: dropping it is exact at double precision. The margin's
 * relative part covers the float error, a few ulp of the log-density's magnitude (at most 80 ulp
 * measured on the fixtures' ill-conditioned full covariances; the margin is 2^16 ulp, and
 * {@code GaussianKernelsTest} holds the error 16 times inside it on covariances of condition up
 * to 1e6, the most its fixtures reach).
 *
 * <p>Evaluation, all in double, so every number the pass returns is a double computation as in
 * {@link ReferenceGaussianPass}, up to summation order: at the end of each block,
 * {@link BlockPairs} takes the kept pairs a component at a time through register-tiled double
 * kernels for their log-densities, then each row's log-sum-exp and responsibilities (a row with
 * one kept component, the usual case with separated clusters, has responsibility 1 and needs no
 * exp or log), then the statistics. With diagonal factors such a row skips the lists:
 * {@link LoneRows} reads it once for its log-density and statistics, and so does a row of a soft
 * pass with two kept components. A block of a soft pass whose rows keep
 * many of the components ({@link #denseShare}: overlapping clusters, broad early components)
 * skips the lists: {@link DenseBlock} computes all its pairs, lanes over rows, and
 * uses the kept ones. {@link #pointwise} evaluates row by row
 * ({@link ExactDensities#logDensity}), as it needs each row's values anyway.
 *
 * <p>Pruning (as {@link Pruning} says; by default where it pays, unless the engine was made
 * without, {@link JavaEngine#pruning()}): the screen
 * skips components that {@link ScreenBounds} proves it would drop, from each row's distance to
 * the component it found most likely in the previous pass (kept per row,
 * {@link #references}) and the distances between the means; {@link PrunedScreen} does the
 * bookkeeping. Exactly the same components are kept, so every returned bit is the same as
 * without pruning; with separated clusters most of the screen's O(n k d^2) work goes.
 *
 * <p>Settled rows (when the engine prunes, in passes whose screen is not pruned): a row that kept
 * one or two components in the last pass keeps exactly those again when {@link SettledRows}
 * proves, from how far the parameters moved, what the screen would give; its screen is skipped
 * and those pairs evaluated as usual. The same components are kept, so again every bit is the same. On the
 * issue's workloads (separated blobs, random-row starts) half to four fifths of the rows settle
 * once the parameters stop jumping (docs/benchmarks.md, "Settled rows").
 *
 * <p>Same partition and order as every Java pass ({@link Blocks}), so results do not depend on
 * the thread count.
 */
final class VectorGaussianPass {
  private static final int ROWS = GaussianKernels.ROWS;
  /** Log-densities more than this (plus the relative part) below a row's largest are dropped. */
  static final float MARGIN = 50f;
  /** The relative part of the screen's margin, for the float error of large log-densities. */
  static final float MARGIN_REL = 1f / 256;

  private final JavaEngine engine;
  private final Dataset data;
  private final Blocks blocks;
  private final int d;
  private final Pruning pruning;
  /**
   * The kept share from which a block of a soft pass is evaluated densely ({@link DenseBlock})
   * instead of by {@link BlockPairs}: 0 for every such block, infinity for none, NaN for the
   * measured rule of {@link #denseShare(Scatter, int)}.
   */
  private final double denseShare;

  /** When the screen prunes. */
  enum Pruning {
    /** Never: every component is screened for every row. */
    OFF,
    /** In every pass the bounds vouch for (tests: the results must not change). */
    ALWAYS,
    /**
     * Where it was measured to pay ({@link #paysOff}): the bounds cost O(d) per row and O(k)
     * per group of rows, which a cheap screen (diagonal, spherical, small d) does not recover.
     */
    WHERE_IT_PAYS;

    /**
     * Full and tied covariances from 48 columns up: their screen costs O(d^2) per component.
     * Measured on the Java engine, 2 threads, random-row starts (docs/benchmarks.md): diag
     * d = 32, k = 32 ran 1.2x slower pruned; full d = 16 the same; full d = 32, k = 32 8% slower;
     * full d = 64, k = 16 1.2x faster.
     */
    static boolean paysOff(MixtureParams params) {
      Scatter shape = params.scatterShape();
      return (shape == Scatter.FULL || shape == Scatter.TIED) && params.d() >= 48;
    }

    boolean prunes(MixtureParams params) {
      return this == ALWAYS || this == WHERE_IT_PAYS && paysOff(params);
    }
  }

  /**
   * Per chunk and row: the component the last pass's screen found most likely, the reference
   * of the next pass's bounds (-1 before any pass); allocated by the first pass that prunes. A
   * cache: any value gives the same results (the bounds hold for every reference), so it needs
   * no replay after a fallback and no reset when k changes.
   */
  private int[][] references;
  /**
   * Rows whose screen the next pass may skip ({@link SettledRows}); null until the first pass
   * that settles, and always null when {@link #settles} is false.
   */
  private SettledRows settled;
  /**
   * Whether unpruned screens skip settled rows ({@link SettledRows}): with pruning, unless
   * {@link #SETTLE_PROPERTY} is false.
   */
  private final boolean settles;
  /** Whether rows of diagonal mixtures that kept one component (or two, in soft passes) go to {@link LoneRows}. */
  private final boolean loneRows;

  /** System property for measurements and tests: {@code false} screens every row of every pass. */
  static final String SETTLE_PROPERTY = "clmix.gmm.settle";
  /** Components the screens computed, and (sub-blocks x k) the most they could have, over all passes. */
  private final LongAdder screened = new LongAdder();
  private final LongAdder screenable = new LongAdder();
  /** (Row, component) pairs the screens kept, all pairs, and the rows evaluated densely, over all passes. */
  private final LongAdder keptPairs = new LongAdder();
  private final LongAdder allPairs = new LongAdder();
  private final LongAdder denseRows = new LongAdder();
  private final LongAdder allRows = new LongAdder();
  /** Rows whose screen {@link SettledRows} skipped, over all passes. */
  private final LongAdder settledRows = new LongAdder();
  /** Rows {@link LoneRows} evaluated, over all passes: that kept one component ({@link LoneRows#add}). */
  private final LongAdder loneCount = new LongAdder();
  /** Rows {@link LoneRows} evaluated, over all passes: that kept two ({@link LoneRows#addTwo}). */
  private final LongAdder twoCount = new LongAdder();
  /** Tests: screen settled rows anyway and fail unless the screen agrees ({@link #verifySettledRows}). */
  private boolean verifySettled;

  VectorGaussianPass(JavaEngine engine, Dataset data, Blocks blocks, Pruning pruning) {
    this(engine, data, blocks, pruning, configuredDenseShare());
  }

  /** System property for measurements: {@code always} or {@code never} evaluate dense blocks; anything else, by share. */
  static final String DENSE_PROPERTY = "clmix.gmm.dense";

  /** 0 or infinity where {@link #DENSE_PROPERTY} says always or never; otherwise NaN, {@link #denseShare(Scatter, int)}. */
  private static double configuredDenseShare() {
    String v = System.getProperty(DENSE_PROPERTY, "auto").trim();
    return v.equalsIgnoreCase("always") ? 0 : v.equalsIgnoreCase("never") ? Double.POSITIVE_INFINITY : Double.NaN;
  }

  /**
   * The kept share from which dense evaluation is the faster, measured on the Java engine
   * (docs/benchmarks.md, "Dense blocks for diagonal mixtures" and "Dense blocks for full and
   * tied covariances"). Dense evaluation costs every pair, kept or not; listing costs per kept
   * pair, and its register tiles gain on the dense tiles as d grows. So the break-even share
   * grows with d: for diagonal factors from about a third at d = 4 to 0.6 at d = 32, never
   * (infinity) from {@link #DENSE_MAX_COLUMNS} columns, where dense blocks were not faster even
   * with every pair kept; for triangular factors (full and tied) from 0.38 at d = 4 to 0.94 at
   * d = 32, and never from 35 columns, where the line reaches 1. No dense evaluation for
   * K-means' passes.
   */
  static double denseShare(Scatter shape, int d) {
    switch (shape) {
      case DIAG:
        return d >= DENSE_MAX_COLUMNS ? Double.POSITIVE_INFINITY : 0.3 + d / 100.0;
      case FULL:
      case TIED: {
        double share = 0.3 + d / 50.0;
        return share >= 1 ? Double.POSITIVE_INFINITY : share;
      }
      default:
        return Double.POSITIVE_INFINITY;
    }
  }

  /** See {@link #denseShare}. */
  static final int DENSE_MAX_COLUMNS = 64;

  /**
   * As {@link #VectorGaussianPass(JavaEngine, Dataset, Blocks, Pruning)}, with the kept share
   * from which a block of a soft pass is evaluated densely (0: every such block;
   * {@code Double.POSITIVE_INFINITY}: none; NaN: the measured rule), for tests and measurements.
   */
  VectorGaussianPass(JavaEngine engine, Dataset data, Blocks blocks, Pruning pruning, double denseShare) {
    this(engine, data, blocks, pruning, denseShare,
        pruning != Pruning.OFF && !"false".equalsIgnoreCase(System.getProperty(SETTLE_PROPERTY, "true").trim()));
  }

  /**
   * As {@link #VectorGaussianPass(JavaEngine, Dataset, Blocks, Pruning, double)}, saying whether
   * unpruned screens skip settled rows ({@link SettledRows}), for tests and measurements.
   */
  VectorGaussianPass(JavaEngine engine, Dataset data, Blocks blocks, Pruning pruning, double denseShare,
      boolean settles) {
    this(engine, data, blocks, pruning, denseShare, settles,
        !"false".equalsIgnoreCase(System.getProperty(LONE_PROPERTY, "true").trim()));
  }

  /** System property for measurements: {@code false} takes rows that kept one or two components through {@link BlockPairs} too. */
  static final String LONE_PROPERTY = "clmix.gmm.lone";

  /**
   * As {@link #VectorGaussianPass(JavaEngine, Dataset, Blocks, Pruning, double, boolean)}, saying
   * whether rows of diagonal mixtures that kept one component (or two) go to {@link LoneRows}, for tests
   * and measurements.
   */
  VectorGaussianPass(JavaEngine engine, Dataset data, Blocks blocks, Pruning pruning, double denseShare,
      boolean settles, boolean loneRows) {
    this.engine = engine;
    this.loneRows = loneRows;
    this.data = data;
    this.blocks = blocks;
    this.d = data.cols();
    this.pruning = pruning;
    this.denseShare = denseShare;
    this.settles = settles && SettledRows.affordable(data, Runtime.getRuntime().maxMemory());
  }

  /** The references, allocated (all -1) on first use; null when this pass does not prune. */
  private int[][] references(MixtureParams params) {
    if (!pruning.prunes(params)) {
      return null;
    }
    if (references == null) {
      int[][] refs = new int[data.chunkCount()][];
      for (int c = 0; c < refs.length; c++) {
        refs[c] = new int[data.rowsIn(c)];
        Arrays.fill(refs[c], -1);
      }
      references = refs;
    }
    return references;
  }

  /** One task's buffers for the per-row evaluation of {@link #pointwise}, allocated once per task. */
  private static final class Workspace {
    /** One row's relevant components, ascending, and their double log-densities. */
    final int[] relevant;
    final double[] exact;
    final double[] exactDiff;
    /** {@code exp(exact - max)} of the last {@link #logSumExp}, and their sum. */
    final double[] scaled;
    double sum;
    /** log p(x) of each lane of the current sub-block. */
    final double[] logp = new double[ROWS];

    Workspace(int k, ExactDensities dens) {
      relevant = new int[k];
      exact = new double[k];
      scaled = new double[k];
      exactDiff = new double[dens.scratchLength()];
    }

    /** The double log-densities of the n selected components of the row at {@code x[ro]} into {@link #exact}. */
    void evaluate(int n, ExactDensities dens, float[] x, int ro) {
      for (int t = 0; t < n; t++) {
        exact[t] = dens.logDensity(x, ro, relevant[t], exactDiff);
      }
    }

    /** Index (into {@link #relevant}) of the largest of the n evaluated log-densities; ties to the lower component. */
    int best(int n) {
      int best = 0;
      for (int t = 1; t < n; t++) {
        if (exact[t] > exact[best]) {
          best = t;
        }
      }
      return best;
    }

    /**
     * log-sum-exp of the n evaluated log-densities: log p(x). Leaves in {@link #scaled} the
     * terms {@code exp(lp - top)} and returns their sum in {@link #sum}, so the responsibilities
     * are {@code scaled[t] / sum} without a second exp.
     */
    double logSumExp(int n) {
      double top = exact[best(n)];
      if (top == Double.NEGATIVE_INFINITY) {
        // No component can hold the point: log p = -infinity and undefined (NaN)
        // responsibilities, as in the reference.
        Arrays.fill(scaled, 0, n, Double.NaN);
        sum = Double.NaN;
        return top;
      }
      if (n == 1) {
        scaled[0] = 1;
        sum = 1;
        return top;
      }
      double s = 0;
      for (int t = 0; t < n; t++) {
        scaled[t] = Math.exp(exact[t] - top);
        s += scaled[t];
      }
      sum = s;
      return top + Math.log(s);
    }
  }

  /**
   * The bounds for this pass, or null when nothing may be skipped: pruning off, or parameters
   * outside what {@link ScreenBounds} vouches for.
   */
  private ScreenBounds bounds(MixtureParams params, FloatMixture m) {
    if (!pruning.prunes(params)) {
      return null;
    }
    ScreenBounds b = new ScreenBounds(params, m);
    return b.usable ? b : null;
  }

  /**
   * The fraction of (sub-block, component) pairs the screens of {@link #expect} computed since
   * construction: 1 without pruning, less where the bounds skipped components (for tests and
   * profiles; NaN before the first pass).
   */
  double screenedFraction() {
    return screened.sum() / (double) screenable.sum();
  }

  /**
   * The share of (row, component) pairs the screens of {@link #expect} kept, and the share of
   * rows {@link DenseBlock} evaluated, since construction (for tests and profiles; NaN
   * before the first pass).
   */
  double keptFraction() {
    return keptPairs.sum() / (double) allPairs.sum();
  }

  /** See {@link #keptFraction()}. */
  double denseFraction() {
    return denseRows.sum() / (double) allRows.sum();
  }

  /**
   * For tests: from now on, screen the rows {@link SettledRows} settles as well, and throw an
   * {@link AssertionError} where the screen does not keep exactly their components or puts
   * another component above their bound.
   */
  void verifySettledRows() {
    verifySettled = true;
  }

  /** The share of rows of all passes of {@link #expect} that {@link LoneRows} evaluated as lone (NaN before the first pass). */
  double loneFraction() {
    return loneCount.sum() / (double) allRows.sum();
  }

  /** The share of rows of all passes of {@link #expect} that {@link LoneRows} evaluated as keeping two (NaN before the first pass). */
  double twoFraction() {
    return twoCount.sum() / (double) allRows.sum();
  }

  /**
   * The share of rows of all passes of {@link #expect} whose screen was skipped as settled (NaN
   * before the first pass).
   */
  double settledFraction() {
    return settledRows.sum() / (double) allRows.sum();
  }

  SufficientStats expect(MixtureParams params, Responsibilities mode) {
    boolean hard = mode == Responsibilities.HARD;
    FloatMixture m = new FloatMixture(params);
    ExactDensities dens = new ExactDensities(params);
    ScreenBounds bounds = bounds(params, m);
    int[][] references = references(params);
    int k = m.k;
    Scatter shape = params.scatterShape();
    double share = Double.isNaN(denseShare) ? denseShare(shape, d) : denseShare;
    // Settling needs every component's float value, which the pruned screen does not compute: a
    // pruned pass only invalidates the state. (track and drift: final copies for the tasks.)
    SettledRows tracking = null;
    SettledRows.Drift fromLast = null;
    if (settles && k > 1 && (bounds == null || settled != null)) {
      if (settled == null) {
        settled = new SettledRows(data);
      }
      SettledRows.Drift drift = settled.begin(params, m.logNormShift); // no state until finish
      if (bounds == null) {
        tracking = settled;
        fromLast = drift;
      }
    }
    SettledRows track = tracking;
    SettledRows.Drift drift = fromLast;
    boolean verify = verifySettled && track != null;
    double shift = m.logNormShift;
    boolean lonePass = shape == Scatter.DIAG && loneRows;
    int slabs = blocks.slabCount((long) k * d + k + shape.length(k, d) + (lonePass ? LoneRows.doubles(k, dens.dp) : 0));
    int windowRows = PrunedScreen.WINDOW_BLOCKS * Blocks.BLOCK_ROWS;
    List<SufficientStats> parts = engine.parallel(slabs, s -> {
      SufficientStats st = new SufficientStats(k, d, shape);
      BlockPairs pairs = new BlockPairs(dens, k, d, shape);
      boolean denseAllowed = !hard && DenseBlock.partialLength(k, d, shape) <= DenseBlock.MAX_PARTIAL;
      DenseBlock dense = null; // made on the task's first dense block
      LoneRows lone = null; // made on the task's first lone row
      double[] twoDensities = new double[2];
      PrunedScreen screen = new PrunedScreen(m, dens, bounds);
      ScreenWindow win = new ScreenWindow(data, blocks);
      // Each window row's relevant components: from relevantAt, relevantCount of them, in pool.
      int[] relevantAt = new int[windowRows];
      int[] relevantCount = new int[windowRows];
      int[] pool = new int[Math.max(2 * windowRows, k)];
      long taskSettled = 0;
      long taskKept = 0;
      long taskRows = 0;
      long taskDense = 0;
      double total = 0;
      int slabEnd = blocks.slabTo(s, slabs);
      for (int b0 = blocks.slabFrom(s, slabs); b0 < slabEnd; b0 += PrunedScreen.WINDOW_BLOCKS) {
        win.load(b0, Math.min(slabEnd, b0 + PrunedScreen.WINDOW_BLOCKS), references, track);
        int used = 0;
        if (track != null) {
          used = win.settle(drift, pool, used, relevantAt, relevantCount);
          taskSettled += win.settledCount;
        }
        int subBlocks = win.begin(screen, track != null && !verify);
        for (int sb = 0; sb < subBlocks; sb++) {
          screen.screen(sb);
          if (pool.length - used < ROWS * k) {
            pool = Arrays.copyOf(pool, Math.max(2 * pool.length, used + ROWS * k));
          }
          for (int lane = 0; lane < screen.lanes(); lane++) {
            int r = screen.row(lane);
            if (verify && win.skip[r]) {
              win.verify(r, screen, lane, pool, relevantAt[r], relevantCount[r], k);
              continue;
            }
            int n = screen.select(lane, pool, used);
            relevantAt[r] = used;
            relevantCount[r] = n;
            used += n;
            win.remember(r, screen.best[lane]);
            if (track != null) {
              win.track(r, screen, lane, pool, relevantAt[r], n, k);
            }
          }
        }
        // Each block's rows listed in row order, whatever order the screen visited them in.
        for (int i = 0; i < win.size; i++) {
          Block blk = win.blocks[i];
          float[] w = data.chunkWeights(blk.chunk());
          int first = i * Blocks.BLOCK_ROWS;
          long kept = kept(relevantCount, first, blk.rows());
          taskKept += kept;
          taskRows += blk.rows();
          float[] own = null;
          float[] ownPartner = null;
          if (track != null) {
            // The kept components' double log-densities, for the next pass: from LoneRows or BlockPairs, or none.
            own = win.settledOwn[i];
            ownPartner = win.settledOwnPartners[i];
            Arrays.fill(own, blk.fromRow(), blk.fromRow() + blk.rows(), Float.NaN);
            Arrays.fill(ownPartner, blk.fromRow(), blk.fromRow() + blk.rows(), Float.NaN);
          }
          if (denseAllowed && kept >= share * blk.rows() * k) {
            taskDense += blk.rows();
            if (dense == null) {
              dense = DenseBlock.of(dens, k, d, shape);
            }
            total += dense.evaluate(win.values[i], win.offsets[i], blk.rows(), w, blk.fromRow(), pool, relevantAt,
                relevantCount, first, st);
            continue;
          }
          for (int r = 0; r < blk.rows(); r++) {
            double wi = w == null ? 1.0 : w[blk.fromRow() + r];
            int row = i * Blocks.BLOCK_ROWS + r;
            int few = relevantCount[row];
            if (lonePass && (few == 1 || few == 2 && !hard) && wi != 0) {
              if (lone == null) {
                lone = new LoneRows(dens, k, d);
              }
              int at = relevantAt[row];
              int xo = win.offsets[i] + r * d;
              if (few == 1) {
                double lp = lone.add(win.values[i], xo, pool[at], wi);
                if (lp > Double.NEGATIVE_INFINITY) {
                  total += wi * lp;
                  if (own != null) {
                    own[blk.fromRow() + r] = FloatBounds.atMost(lp);
                  }
                  continue;
                }
              } else {
                double logp = lone.addTwo(win.values[i], xo, pool[at], pool[at + 1], wi, twoDensities);
                if (!Double.isNaN(logp)) {
                  total += wi * logp;
                  if (own != null) {
                    own[blk.fromRow() + r] = FloatBounds.atMost(twoDensities[0]);
                    ownPartner[blk.fromRow() + r] = FloatBounds.atMost(twoDensities[1]);
                  }
                  continue;
                }
              }
            }
            pairs.addRow(r, wi, pool, relevantAt[row], few);
          }
          total += pairs.finish(win.values[i], win.offsets[i], blk.rows(), hard, st, own, ownPartner, blk.fromRow());
        }
      }
      if (lone != null) {
        loneCount.add(lone.rows());
        twoCount.add(lone.twoRows());
        lone.flushInto(st);
      }
      st.setObjective(total);
      // The counters once per task: per block, the two threads' adds fought over one cache line.
      settledRows.add(taskSettled);
      keptPairs.add(taskKept);
      allPairs.add(taskRows * k);
      allRows.add(taskRows);
      denseRows.add(taskDense);
      screened.add(screen.componentsComputed);
      screenable.add(screen.subBlocks * k);
      return st;
    });
    if (track != null) {
      track.finish(params, shift); // every row's state now holds for these parameters
    }
    SufficientStats total = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      total.plus(parts.get(i));
    }
    GaussianPass.mirrorUpperTriangles(total);
    return total;
  }

  /** The (row, component) pairs of rows [first, first + rows) that the screen kept. */
  private static long kept(int[] keptCount, int first, int rows) {
    long kept = 0;
    for (int r = first; r < first + rows; r++) {
      kept += keptCount[r];
    }
    return kept;
  }

  void pointwise(MixtureParams params, PointSink sink) {
    FloatMixture m = new FloatMixture(params);
    ExactDensities dens = new ExactDensities(params);
    ScreenBounds bounds = bounds(params, m);
    int[][] references = references(params);
    int k = m.k;
    boolean all = sink.wantsComponents();
    int maxRows = (int) Math.min(data.chunkRows(), data.rows());
    int[] lab = new int[maxRows];
    float[] val = new float[maxRows];
    float[] comp = all ? new float[Math.multiplyExact(maxRows, k)] : null;
    for (int chunk = 0; chunk < data.chunkCount(); chunk++) {
      int first = blocks.chunkFrom(chunk);
      int last = blocks.chunkTo(chunk);
      int windows = (last - first + PrunedScreen.WINDOW_BLOCKS - 1) / PrunedScreen.WINDOW_BLOCKS;
      engine.parallel(windows, wi -> {
        ScreenWindow win = new ScreenWindow(data, blocks);
        int b0 = first + wi * PrunedScreen.WINDOW_BLOCKS;
        win.load(b0, Math.min(last, b0 + PrunedScreen.WINDOW_BLOCKS), references);
        PrunedScreen screen = new PrunedScreen(m, dens, bounds);
        Workspace ws = new Workspace(k, dens);
        int subBlocks = win.begin(screen, false);
        for (int sb = 0; sb < subBlocks; sb++) {
          screen.screen(sb);
          for (int lane = 0; lane < screen.lanes(); lane++) {
            int r = screen.row(lane);
            int i = r / Blocks.BLOCK_ROWS;
            int row = win.blocks[i].fromRow() + r % Blocks.BLOCK_ROWS;
            int cnt = screen.select(lane, ws.relevant, 0);
            ws.evaluate(cnt, dens, win.values[i], win.offsets[i] + (r % Blocks.BLOCK_ROWS) * d);
            double logp = ws.logSumExp(cnt);
            lab[row] = ws.relevant[ws.best(cnt)];
            val[row] = (float) logp;
            win.remember(r, screen.best[lane]);
            if (all) {
              ws.logp[lane] = logp;
              // Screened-out components: their posterior is below e^-50; the float estimate serves.
              for (int c = 0; c < k; c++) {
                if (screen.computed(c)) {
                  comp[row * k + c] = (float) Math.exp(m.logNormShift + screen.lp[c * ROWS + lane] - logp);
                }
              }
              for (int t = 0; t < cnt; t++) {
                comp[row * k + ws.relevant[t]] = (float) (ws.scaled[t] / ws.sum);
              }
            }
          }
          if (all && screen.computedCount() < k) {
            skippedComponents(screen, ws, win, m, k, comp);
          }
        }
        return null;
      });
      sink.accept(chunk, data.chunkStart(chunk), data.rowsIn(chunk), lab, val, comp);
    }
  }

  /**
   * The responsibilities of the components the pruned screen skipped in the current sub-block:
   * exactly the float estimate the unpruned pass writes, which is +0 wherever the bound proves
   * it ({@link PrunedScreen#negligible}); a component the bound cannot settle for some row is
   * computed after all.
   */
  private static void skippedComponents(PrunedScreen screen, Workspace ws, ScreenWindow win, FloatMixture m, int k,
      float[] comp) {
    for (int c = 0; c < k; c++) {
      if (screen.computed(c)) {
        continue;
      }
      boolean zero = true;
      for (int lane = 0; lane < screen.lanes() && zero; lane++) {
        zero = screen.negligible(c, lane, ws.logp[lane]);
      }
      if (!zero) {
        screen.compute(c);
      }
      for (int lane = 0; lane < screen.lanes(); lane++) {
        int r = screen.row(lane);
        int row = win.blocks[r / Blocks.BLOCK_ROWS].fromRow() + r % Blocks.BLOCK_ROWS;
        comp[row * k + c] = zero ? 0f : (float) Math.exp(m.logNormShift + screen.lp[c * ROWS + lane] - ws.logp[lane]);
      }
    }
  }
}
