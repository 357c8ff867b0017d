package io.clmix.model;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import io.clmix.engine.Engine;

/**
 * A fitted clustering model, whichever the algorithm: what {@code clmix predict} and
 * {@code clmix score} need without knowing the kind.
 */
public interface Model {

  /** {@code "kmeans"} or {@code "gmm"}, as in model files and {@code --algo}. */
  String algo();

  /** Number of clusters or components. */
  int k();

  /** Number of features the model was fitted on. */
  int d();

  /**
   * The cluster (nearest centre, or most likely component) of every row.
   *
   * @throws io.clmix.data.InputException for null arguments or data of another number of columns
   *     than {@link #d()}; a {@link RowOutOfRange} for a row too far from the model for float32
   * @throws IllegalStateException when the engine is closed
   */
  Labels predict(Dataset data, Engine engine);
}
