package io.clmix.fit;

import io.clmix.data.Labels;
import io.clmix.model.GaussianMixtureModel;

/**
 * What a Gaussian-mixture fit produces.
 *
 * @param model the fitted mixture
 * @param labels the most likely component of every training row (consistent with {@code model.predict})
 * @param totalLogLikelihood {@code sum_i w_i log p(x_i)} under the final model, from the final E-step
 * @param report where the fit ran and how each iteration went
 */
public record GaussianMixtureResult(GaussianMixtureModel model, Labels labels, double totalLogLikelihood,
    FitReport report) {}
