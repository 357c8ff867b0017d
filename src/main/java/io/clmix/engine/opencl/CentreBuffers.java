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
  private final ClKernel forms;
  private ClBuffer rowMajor;
  private ClBuffer transposed;
  private ClBuffer norms;
  private int capacity;
  private int k;

  /**
   * Buffers for centres of {@code d} columns, padded to multiples of {@code step} centres;
   * {@code forms} is kmeans.cl's {@code km_centre_forms} for d columns, on {@code cl}.
   */
  CentreBuffers(ClContext cl, int d, int step, ClKernel forms) {
    this.cl = cl;
    this.d = d;
    this.step = step;
    this.forms = forms;
  }

  /** Work-items per group of km_centre_forms (one per padded centre). */
  private static final int FORMS_GROUP = 64;

  /** {@code k} rounded up to a multiple of {@code step}. */
  static int padded(int k, int step) {
    return (k + step - 1) / step * step;
  }

  /** Uploads {@code k} centres ({@code k * d} values, row-major) and makes their other two forms. */
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
    // One copy; the kernel makes the other two forms on the device (km_centre_forms: the same
    // values, the norms the same bits as the Java engine's DistanceKernels.squaredNorms), ahead
    // of the pass's kernels in the queue.
    rowMajor.write(0, values, 0, k * d);
    forms.arg(0, rowMajor).arg(1, k).arg(2, kPad).arg(3, transposed).arg(4, norms)
        .launch((kPad + FORMS_GROUP - 1) / FORMS_GROUP * FORMS_GROUP, FORMS_GROUP);
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
