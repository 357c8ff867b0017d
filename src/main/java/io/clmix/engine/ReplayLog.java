package io.clmix.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The small inputs that define a {@link DataSession}'s state, recorded as the calls succeed, so
 * that a session on another engine can be brought to the same state by calling them again: the
 * centres of the last {@link DataSession#assign} (labels and distances) and the k-means++
 * seeding calls since the last {@link DataSession#seedStart} (closest-centre distances).
 *
 * <p>Everything else a session does ({@code expect}, {@code pointwise}, {@code seedSample},
 * {@code seedTrial}, {@code farthest}, {@code labels}) reads state without changing it.
 * Values are copied: callers may reuse their arrays.
 */
final class ReplayLog {
  private Centroids lastAssign;
  private float[] seedStart;
  private final List<float[]> seedCommits = new ArrayList<>();

  /** An {@code assign(centres)} succeeded. */
  void assigned(Centroids centres) {
    lastAssign = new Centroids(centres.k(), centres.d(), centres.values().clone());
  }

  /** A {@code seedStart(centre)} succeeded: earlier seeding no longer matters. */
  void seedStarted(float[] centre) {
    seedStart = centre.clone();
    seedCommits.clear();
  }

  /** A {@code seedCommit(centre)} succeeded. */
  void seedCommitted(float[] centre) {
    seedCommits.add(centre.clone());
  }

  /** Replays the recorded calls on {@code session}, leaving it in the recorded state. */
  void replay(DataSession session) {
    if (lastAssign != null) {
      session.assign(lastAssign);
    }
    if (seedStart != null) {
      session.seedStart(seedStart);
      for (float[] c : seedCommits) {
        session.seedCommit(c);
      }
    }
  }
}
