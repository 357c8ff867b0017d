package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link ClKernel} skips setting an argument to the value it already holds; a launch still sees
 * every value last given, whichever argument changed, including a buffer swapped for another.
 */
class ClKernelTest {
  // out[1] = 1 / f tells -0.0 (-infinity) from 0.0 (+infinity), which compare equal as floats.
  private static final String SOURCE = "__kernel void put(__global float* out, const int i, const float f,"
      + " const double unused, __local float* scratch) {"
      + "  scratch[0] = f; out[0] = (float) i + scratch[0]; out[1] = 1.0f / f; }";

  @Test
  void eachLaunchSeesTheArgumentsLastGivenWhetherOrNotTheyChanged() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    try (ClContext cl = ClContext.create(device)) {
      // (Without fp64, a long of the same 8 bytes stands in for the double.)
      ClProgram p = cl.program("clkernel-test", SOURCE, device.fp64() ? "" : "-Ddouble=long");
      ClKernel k = cl.kernel(p, "put");
      ClBuffer a = cl.buffer("a", 8);
      ClBuffer b = cl.buffer("b", 8);
      float[] out = new float[2];
      k.arg(0, a).arg(1, 1).arg(2, 0.5f).arg(3, 0.0).local(4, 4).launch(1, 1);
      assertEquals(5, k.argumentCalls(), "every argument set once");
      a.read(0, out, 0, 2);
      assertArrayEquals(new float[] {1.5f, 2f}, out);
      k.arg(0, a).arg(1, 1).arg(2, 0.25f).arg(3, 0.0).local(4, 4).launch(1, 1); // only f changed
      assertEquals(6, k.argumentCalls(), "the four unchanged arguments skipped");
      a.read(0, out, 0, 2);
      assertArrayEquals(new float[] {1.25f, 4f}, out);
      k.arg(0, a).arg(1, 7).arg(2, 0.25f).local(4, 8).launch(1, 1); // i and the local size changed
      assertEquals(8, k.argumentCalls());
      a.read(0, out, 0, 2);
      assertArrayEquals(new float[] {7.25f, 4f}, out);
      k.arg(0, b).arg(1, 7).launch(1, 1); // another buffer, the same i
      assertEquals(9, k.argumentCalls());
      b.read(0, out, 0, 2);
      assertArrayEquals(new float[] {7.25f, 4f}, out);
      k.arg(0, a).arg(2, 0.0f).arg(1, 0).launch(1, 1); // back to a
      a.read(0, out, 0, 2);
      assertArrayEquals(new float[] {0f, Float.POSITIVE_INFINITY}, out);
      k.arg(2, -0.0f).launch(1, 1); // equal to 0.0 as a float, not in its bits
      a.read(0, out, 0, 2);
      assertArrayEquals(new float[] {0f, Float.NEGATIVE_INFINITY}, out);
      assertEquals(13, k.argumentCalls());
      a.close();
      b.close();
    }
  }
}
