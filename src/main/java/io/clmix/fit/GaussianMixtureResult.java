package io.clmix.fit;

import io.clmix.data.Labels;
import io.clmix.model.GaussianMixtureModel;

/**
 * What a Gaussian-mixture fit produces.
 *
 * @param model the fitted mixture
 * @param labels the most likely component of every training row (consistent with {@code model.predict});
 *     null when the estimator kept none ({@link GaussianMixture#keepLabels}), and then
 *     {@link #labels()} throws
 * @param totalLogLikelihood {@code sum_i w_i log p(x_i)} under the final model, from the final E-step
 * @param report where the fit ran and how each iteration went
 */
public record GaussianMixtureResult(GaussianMixtureModel model, Labels labels, double totalLogLikelihood,
    FitReport report) {

  /**
   * The labels of the training rows: the result's own, not a copy (they can be as large as the
   * data), so read them, or take {@code copy()} or {@code toArray()} to change them.
   *
   * @throws IllegalStateException when the fit kept none ({@link GaussianMixture#keepLabels}(false)):
   *     {@code model().pointwise} streams them chunk by chunk ({@code model().predict} returns
   *     them all at once)
   */
  @Override
  public Labels labels() {
    if (labels == null) {
      throw new IllegalStateException("this fit kept no labels (GaussianMixture.keepLabels(false)); "
          + "model().pointwise streams them chunk by chunk, model().predict returns them all");
    }
    return labels;
  }

  /** Whether the fit kept its labels. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** The same result with another report. */
  public GaussianMixtureResult withReport(FitReport r) {
    return new GaussianMixtureResult(model, labels, totalLogLikelihood, r);
  }
}
