package io.clmix.model;

import io.clmix.engine.PointSink;

/**
 * A {@link PointSink} that passes chunks on until one holds a row whose value came back
 * infinite or NaN, and remembers that row: a row so far from the model that float32 distances overflow, whose
 * label, distances or responsibilities would otherwise come out as whatever the engine's
 * arithmetic made of infinities (engine-dependent labels, probabilities of 0 that do not sum to
 * 1). Fits check the data's spread up front; a model applied to other data cannot, so
 * {@link #check} refuses them after the pass, naming the row. It throws after the pass rather
 * than inside it, where an exception would abandon a device's pass midway.
 */
final class FiniteRows implements PointSink {
  private final PointSink inner;
  private final String what;
  private long firstBad = -1;
  private float badValue;

  /** @param what the value per row, for the message ("its squared distance to the nearest centre") */
  FiniteRows(PointSink inner, String what) {
    this.inner = inner;
    this.what = what;
  }

  @Override
  public boolean wantsComponents() {
    return inner.wantsComponents();
  }

  @Override
  public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
    if (firstBad >= 0) {
      return; // the pass is refused: nothing more goes out (labels printed as they stream, say)
    }
    for (int i = 0; i < rows; i++) {
      if (!Float.isFinite(values[i])) {
        firstBad = firstRow + i;
        badValue = values[i];
        return; // not even this chunk: its rows' results are made of infinities
      }
    }
    inner.accept(chunk, firstRow, rows, labels, values, components);
  }

  /**
   * Refuses the pass's results when a row's value was not finite.
   *
   * @throws RowOutOfRange naming the first such row (counted from 1)
   */
  void check() {
    if (firstBad >= 0) {
      throw new RowOutOfRange("row " + (firstBad + 1) + ": " + what + " is " + badValue + " in float32: the row lies"
          + " too far from the model; check the data's units, or scale the data and the model alike");
    }
  }
}
