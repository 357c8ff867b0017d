package io.clmix.engine;

/**
 * How an E-step shares a point among the components.
 *
 * <p>{@link #SOFT} is EM: each component gets its posterior probability. {@link #HARD} is
 * classification EM: the most likely component gets the whole point (ties to the lower index).
 * With equal weights and one shared spherical covariance the most likely component is the
 * nearest mean, so a HARD E-step is exactly K-means' assignment step.
 */
public enum Responsibilities {
  /** Posterior probabilities (EM). */
  SOFT,
  /** All of a point to its most likely component (classification EM). */
  HARD
}
