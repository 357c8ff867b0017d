package io.clmix.data;

/** The floating-point type in which the writers store values. */
public enum Precision {
  /** IEEE single precision: NumPy {@code float32}, {@code '<f4'}; text as {@link Float#toString(float)}. */
  FLOAT32,
  /** IEEE double precision: NumPy {@code float64}, {@code '<f8'}; text as {@link Double#toString(double)}. */
  FLOAT64
}
