package io.clmix.engine.opencl;

import io.clmix.engine.Centroids;
import io.clmix.engine.pruning.BoundTest;
import io.clmix.engine.pruning.CentreMotion;
import io.clmix.engine.pruning.ScoreMargin;

/**
 * The host half of a session's pruning cache ({@code kmeans_pruned.cl}): the centres of the last
 * completed pruned pass, against which the per-row lower bounds on the device
 * ({@link RowBlocks#ensureLowerState}) are valid, and the per-centre separations and drifts each
 * pass uploads ({@link #upload}: k separations, then k drifts, as doubles).
 *
 * <p>A pass {@link #begin begins} by forgetting the previous centres and {@link #commit commits}
 * them again only when it completes: a pass that fails half-way, or any other Lloyd kernel
 * (the register-tiled one writes labels without bounds), leaves the next pruned pass scanning
 * every row.
 */
final class DeviceBounds {
  private final ClContext cl;
  private final ScoreMargin margin;
  private float[] previous;
  private int previousK;
  private ClBuffer moves;

  DeviceBounds(ClContext cl, int d) {
    this.cl = cl;
    this.margin = new ScoreMargin(d);
  }

  /** Whether the bound test means anything for this width. */
  boolean usable() {
    return margin.usable();
  }

  /** The test for a pass to {@code next}; the bounds carry over when the last pass completed with the same k. */
  BoundTest begin(Centroids next) {
    float[] prev = previous != null && previousK == next.k() ? previous : null;
    previous = null;
    return new BoundTest(margin, CentreMotion.of(prev, next.values(), next.k(), next.d()));
  }

  /** Uploads the pass's separations and drifts (zero drifts when no bounds carry over); returns the buffer. */
  ClBuffer upload(BoundTest test) {
    CentreMotion m = test.motion();
    int k = m.k();
    double[] v = new double[2 * k];
    for (int a = 0; a < k; a++) {
      v[a] = m.separation(a);
      v[k + a] = m.hasDrift() ? m.drift(a) : 0;
    }
    if (moves == null || !moves.alive() || moves.sizeBytes() < 8L * v.length) {
      if (moves != null) {
        moves.close();
      }
      moves = cl.buffer("centre moves", 8L * v.length);
    }
    moves.write(0, v, 0, v.length);
    return moves;
  }

  /** The pass to {@code centres} completed: the device bounds refer to them. */
  void commit(Centroids centres) {
    previous = centres.values().clone();
    previousK = centres.k();
  }

  /** Another kind of pass rewrote the labels: the bounds no longer apply. */
  void forget() {
    previous = null;
  }
}
