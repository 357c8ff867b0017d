package io.clmix.fit;

import io.clmix.data.Labels;
import io.clmix.model.KMeansModel;

/**
 * What a K-means fit produces.
 *
 * @param model the fitted centres, inertia, iterations and convergence
 * @param labels the nearest centre of every training row (consistent with {@code model.predict});
 *     null when the estimator kept none ({@link KMeans#keepLabels}), and then {@link #labels()}
 *     throws
 * @param report where the fit ran and how each iteration went
 */
public record KMeansResult(KMeansModel model, Labels labels, FitReport report) {

  /**
   * The labels of the training rows: the result's own, not a copy (they can be as large as the
   * data), so read them, or take {@code copy()} or {@code toArray()} to change them.
   *
   * @throws IllegalStateException when the fit kept none ({@link KMeans#keepLabels}(false)):
   *     {@code model().transform} streams them chunk by chunk ({@code model().predict} returns
   *     them all at once)
   */
  @Override
  public Labels labels() {
    if (labels == null) {
      throw new IllegalStateException("this fit kept no labels (KMeans.keepLabels(false)); model().transform "
          + "streams them chunk by chunk, model().predict returns them all");
    }
    return labels;
  }

  /** Whether the fit kept its labels. */
  public boolean hasLabels() {
    return labels != null;
  }

  /** The same result with another report. */
  public KMeansResult withReport(FitReport r) {
    return new KMeansResult(model, labels, r);
  }
}
