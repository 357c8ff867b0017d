package io.clmix.engine.opencl;

/**
 * Decodes the 64-bit words in which kernels return {@code acc_t} sums (see
 * {@code kernels/common.cl}): a double on devices with fp64, otherwise a float pair (sum in the
 * low word, compensation in the high word) whose exact sum is taken in double.
 */
final class Accumulators {
  private Accumulators() {}

  static double decode(long bits, boolean fp64) {
    if (fp64) {
      return Double.longBitsToDouble(bits);
    }
    return (double) Float.intBitsToFloat((int) bits) + (double) Float.intBitsToFloat((int) (bits >>> 32));
  }
}
