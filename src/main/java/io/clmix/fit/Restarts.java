package io.clmix.fit;

/**
 * Which of several restarts ({@code nInit}) a fit keeps: a later restart replaces the best so
 * far only when its objective is better by more than {@link #MARGIN}, so the earliest of equal
 * restarts is kept.
 *
 * <p>scikit-learn keeps any strictly better restart. But restarts that reach the same optimum
 * differ only in rounding, and engines round differently (float32 on a device, double on the
 * Java engine): with a strict comparison one engine kept restart 0 and another restart 1 of the
 * same fit, the same partition with its clusters numbered otherwise and a different iteration
 * count. Objectives within the margin are one optimum for any purpose, and taking the earliest
 * makes every engine keep the same restart.
 */
final class Restarts {
  /**
   * Relative margin (per-sample log-likelihood: absolute, below a magnitude of 1). Far above
   * the engines' disagreement on one fit's objective (about 1e-8 relative), far below any
   * difference between distinct optima that matters.
   */
  static final double MARGIN = 1e-6;

  private Restarts() {}

  /** Whether K-means inertia {@code candidate} (>= 0) beats {@code best}. */
  static boolean lowerInertia(double candidate, double best) {
    return candidate < best - MARGIN * best;
  }

  /** Whether mixture lower bound {@code candidate} beats {@code best} (which may be -infinity). */
  static boolean higherLowerBound(double candidate, double best) {
    if (!Double.isFinite(best)) {
      return candidate > best;
    }
    return candidate > best + MARGIN * Math.max(1, Math.abs(best));
  }
}
