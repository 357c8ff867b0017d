package io.clmix.engine;

import io.clmix.data.InputException;

/**
 * Receives per-point results of a {@link DataSession#pointwise} pass, one chunk at a time, in
 * chunk order, never concurrently. The arrays may be reused by the engine once
 * {@link #accept} returns, so copy what you keep.
 *
 * <p>A sink runs inside the pass: it must not run passes on the session, nor open, close or
 * otherwise use the engine (an OpenCL engine's close waits for the pass, which would then wait
 * for the close). Collect the results and act on them after {@code pointwise} returns.
 */
public interface PointSink {

  /**
   * Whether the sink wants a value per point and component (squared distances to every centre
   * for K-means, responsibilities for a mixture). Engines skip producing them otherwise, so the
   * common predict path never holds an n x k matrix.
   */
  default boolean wantsComponents() {
    return false;
  }

  /**
   * Results for rows {@code [firstRow, firstRow + rows)}, which form chunk {@code chunk}.
   *
   * @param labels the nearest centre or most likely component of each row
   * @param values the squared distance to the nearest centre (K-means) or log p(x) (mixture)
   * @param components {@code rows * k} values, row-major, when {@link #wantsComponents()}; else null
   */
  void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components);

  /** {@code sink}, the sink argument of a library call; refused, naming it, when null. */
  static PointSink required(PointSink sink) {
    return InputException.required(sink, "sink", "a PointSink for the rows' results");
  }
}
