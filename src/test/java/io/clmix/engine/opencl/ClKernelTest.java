package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link ClKernel} skips setting an argument to the value it already holds; a launch still sees
 * every value last given, whichever argument changed, including a buffer swapped for another.
 */
class ClKernelTest {
  private static final String SOURCE = "__kernel void put(__global float* out, const int i, const float f,"
      + " const double unused, __local float* scratch) {"
      + "  scratch[0] = f; out[0] = (float) i + scratch[0]; }";

  @Test
  void eachLaunchSeesTheArgumentsLastGivenWhetherOrNotTheyChanged() {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    try (ClContext cl = ClContext.create(device)) {
      ClProgram p = cl.program("clkernel-test", SOURCE, device.fp64() ? "" : "-Ddouble=float");
      ClKernel k = cl.kernel(p, "put");
      ClBuffer a = cl.buffer("a", 4);
      ClBuffer b = cl.buffer("b", 4);
      float[] out = new float[1];
      k.arg(0, a).arg(1, 1).arg(2, 0.5f).arg(3, 0.0).local(4, 4).launch(1, 1);
      a.read(0, out, 0, 1);
      assertArrayEquals(new float[] {1.5f}, out);
      k.arg(0, a).arg(1, 1).arg(2, 0.25f).arg(3, 0.0).local(4, 4).launch(1, 1); // only f changed
      a.read(0, out, 0, 1);
      assertArrayEquals(new float[] {1.25f}, out);
      k.arg(0, a).arg(1, 7).arg(2, 0.25f).local(4, 8).launch(1, 1); // i and the local size changed
      a.read(0, out, 0, 1);
      assertArrayEquals(new float[] {7.25f}, out);
      k.arg(0, b).arg(1, 7).launch(1, 1); // another buffer, the same i
      b.read(0, out, 0, 1);
      assertArrayEquals(new float[] {7.25f}, out);
      k.arg(0, a).arg(2, -0.0f).arg(1, 0).launch(1, 1); // back to a; -0.0 is not 0.0's bits
      a.read(0, out, 0, 1);
      assertArrayEquals(new float[] {0.0f}, out);
      a.close();
      b.close();
    }
  }
}
