package io.clmix.fit;

import io.clmix.data.Labels;
import io.clmix.model.KMeansModel;

/**
 * What a K-means fit produces.
 *
 * @param model the fitted centres, inertia, iterations and convergence
 * @param labels the nearest centre of every training row (consistent with {@code model.predict})
 * @param report where the fit ran and how each iteration went
 */
public record KMeansResult(KMeansModel model, Labels labels, FitReport report) {}
