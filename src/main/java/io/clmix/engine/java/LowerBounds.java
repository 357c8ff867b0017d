package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.pruning.BoundTest;
import io.clmix.engine.pruning.CentreMotion;
import io.clmix.engine.pruning.ScoreMargin;

/**
 * The Java session's pruning cache: per point a lower bound (float, Euclidean) on its distance
 * to every centre but its label, valid for the centres of the last completed pass, which are
 * kept beside it. Labels and distances stay in {@link JavaSession}; the upper bound is not
 * stored, because every pass recomputes the distance to the label exactly anyway.
 *
 * <p>The cache only ever makes a pass skip work: it is invalidated at the start of each pass
 * and becomes valid again only when that pass completes, so a pass that fails half-way leaves
 * a session that searches every point next time.
 */
final class LowerBounds {
  private final ScoreMargin margin;
  private final float[][] lower;
  /** Centres of the last completed pass, or null when the bounds are not valid. */
  private float[] previous;
  private int previousK;

  LowerBounds(Dataset data) {
    this.margin = new ScoreMargin(data.cols());
    this.lower = new float[data.chunkCount()][];
    for (int c = 0; c < lower.length; c++) {
      lower[c] = new float[data.rowsIn(c)];
    }
  }

  /** Whether pruning can work at all for this width. */
  static boolean usable(Dataset data) {
    return new ScoreMargin(data.cols()).usable();
  }

  /**
   * The test for a pass to {@code next}, and the bounds invalidated until {@link #commit}: with
   * drift when the last pass completed with the same k, else without (every point searched).
   */
  BoundTest begin(Centroids next) {
    float[] prev = previous != null && previousK == next.k() ? previous : null;
    previous = null;
    return new BoundTest(margin, CentreMotion.of(prev, next.values(), next.k(), next.d()));
  }

  /** The pass to {@code centres} completed: the bounds now refer to them. */
  void commit(Centroids centres) {
    previous = centres.values().clone();
    previousK = centres.k();
  }

  /** The bounds of chunk {@code c}. */
  float[] chunk(int c) {
    return lower[c];
  }
}
