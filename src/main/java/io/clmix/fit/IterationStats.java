package io.clmix.fit;

/**
 * One iteration of one run, as the fit's report and progress bar show it (Faiss's
 * per-iteration statistics).
 *
 * @param run index of the restart (0-based)
 * @param iteration iteration within the run (1-based)
 * @param objective K-means: inertia of the assignment made in this iteration; mixtures: the
 *     per-sample lower bound (mean log-likelihood) of this iteration's E-step
 * @param change K-means: squared shift of the centres; mixtures: change of the lower bound
 * @param changedLabels K-means: points whose label changed; mixtures: 0
 * @param emptyRepairs K-means: empty clusters re-seeded in this iteration
 * @param seconds wall-clock seconds of the iteration (pass and update)
 */
public record IterationStats(int run, int iteration, double objective, double change, long changedLabels,
    int emptyRepairs, double seconds) {}
