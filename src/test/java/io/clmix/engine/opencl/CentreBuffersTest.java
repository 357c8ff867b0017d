package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link CentreBuffers} copies the row-major centres and km_centre_forms makes the other two
 * forms on the device: the transposed form with zero padding and the squared norms with
 * +infinity padding, the norms the same bits as the Java engine's fused loop, whatever k the
 * buffers last held (smaller k after larger, and growth).
 */
class CentreBuffersTest {
  /** The Java engine's norms (DistanceKernels.squaredNorms): fma from 0, j = 0..d-1, in float. */
  private static float norm(float[] values, int c, int d) {
    float s = 0f;
    for (int j = 0; j < d; j++) {
      s = Math.fma(values[c * d + j], values[c * d + j], s);
    }
    return s;
  }

  @Test
  void theDeviceMakesTheTransposedFormAndTheJavaEnginesNorms() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    int d = 7;
    KernelConfig config = KernelConfig.defaultsFor(device).forData(d, device);
    int step = config.paddingStep();
    try (OpenClEngine engine = OpenClEngine.create(device, config);
        ClContext cl = engine.context().share()) {
      CentreBuffers buffers = new CentreBuffers(cl, d, step, cl.kernel(engine.programsFor(d).kmeans(),
          "km_centre_forms"));
      SplittableRandom r = new SplittableRandom(5);
      for (int k : new int[] {3 * step + 1, 2, 5 * step + 3}) { // then fewer (stale columns), then growth
        float[] values = new float[k * d];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (r.nextGaussian() * 1e3 + 0.1);
        }
        buffers.upload(values, k);
        int kPad = buffers.kPad();
        assertEquals(CentreBuffers.padded(k, step), kPad);
        float[] t = new float[kPad * d];
        float[] norms = new float[kPad];
        float[] rows = new float[k * d];
        buffers.transposed().read(0, t, 0, t.length);
        buffers.norms().read(0, norms, 0, kPad);
        buffers.rowMajor().read(0, rows, 0, rows.length);
        float[] expectT = new float[kPad * d];
        float[] expectNorms = new float[kPad];
        for (int c = 0; c < kPad; c++) {
          for (int j = 0; j < d; j++) {
            expectT[j * kPad + c] = c < k ? values[c * d + j] : 0f;
          }
          expectNorms[c] = c < k ? norm(values, c, d) : Float.POSITIVE_INFINITY;
        }
        assertArrayEquals(values, rows, "k=" + k + ": the row-major copy");
        assertArrayEquals(expectT, t, "k=" + k + ": transposed, zero padding");
        for (int c = 0; c < kPad; c++) {
          assertEquals(Float.floatToRawIntBits(expectNorms[c]), Float.floatToRawIntBits(norms[c]),
              "k=" + k + ": the norm of centre " + c + ", bit for bit");
        }
      }
    }
  }
}
