package io.clmix.engine.opencl;

/**
 * The centres of one pass in the three forms kmeans.cl reads: row-major (k x d) for direct
 * differences, transposed and padded (d x kPad, kPad a multiple of the kernels' centre step,
 * zero padding) so eight centres load as one vector, and squared norms (kPad,
 * {@code +Infinity} padding so a padded centre never wins). The buffers grow with k and are
 * reused across passes.
 */
final class CentreBuffers {
  private final ClContext cl;
  private final int d;
  private final int step;
  private ClBuffer rowMajor;
  private ClBuffer transposed;
  private ClBuffer norms;
  private int capacity;
  private int k;

  /** Buffers for centres of {@code d} columns, padded to multiples of {@code step} centres. */
  CentreBuffers(ClContext cl, int d, int step) {
    this.cl = cl;
    this.d = d;
    this.step = step;
  }

  /** {@code k} rounded up to a multiple of {@code step}. */
  static int padded(int k, int step) {
    return (k + step - 1) / step * step;
  }

  /**
   * {@code |c|^2} per centre in float32, summed j = 0..d-1 with fused multiply-adds: the Java
   * engine's definition, so both engines rank centres identically.
   */
  static float[] squaredNorms(float[] centres, int k, int d, int length) {
    float[] out = new float[length];
    for (int c = 0; c < k; c++) {
      float s = 0f;
      int o = c * d;
      for (int j = 0; j < d; j++) {
        s = Math.fma(centres[o + j], centres[o + j], s);
      }
      out[c] = s;
    }
    for (int c = k; c < length; c++) {
      out[c] = Float.POSITIVE_INFINITY;
    }
    return out;
  }

  /** Uploads {@code k} centres ({@code k * d} values, row-major). */
  void upload(float[] values, int k) {
    int kPad = padded(k, step);
    if (kPad > capacity) {
      release();
      // No capacity until all three exist: if one fails to allocate, the next upload makes
      // them again instead of writing into the released ones.
      capacity = 0;
      rowMajor = cl.buffer("centres", 4L * kPad * d);
      transposed = cl.buffer("centres transposed", 4L * kPad * d);
      norms = cl.buffer("centre norms", 4L * kPad);
      capacity = kPad;
    }
    float[] t = new float[kPad * d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        t[j * kPad + c] = values[c * d + j];
      }
    }
    rowMajor.write(0, values, 0, k * d);
    transposed.write(0, t, 0, t.length);
    norms.write(0, squaredNorms(values, k, d, kPad), 0, kPad);
    this.k = k;
  }

  private void release() {
    if (rowMajor != null) {
      rowMajor.close();
      transposed.close();
      norms.close();
    }
  }

  int k() {
    return k;
  }

  int kPad() {
    return padded(k, step);
  }

  ClBuffer rowMajor() {
    return rowMajor;
  }

  ClBuffer transposed() {
    return transposed;
  }

  ClBuffer norms() {
    return norms;
  }
}
