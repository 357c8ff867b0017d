package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClContextTest {
  private ClDeviceInfo device;

  @BeforeEach
  void device() {
    device = OpenClTestSupport.requireDevice();
  }

  @Test
  void buffersRoundTripRanges() {
    try (ClContext cl = ClContext.create(device)) {
      ClBuffer f = cl.buffer("floats", 4 * 10);
      f.write(0, new float[] {9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 10);
      f.write(3, new float[] {-1, -2}, 0, 2);
      float[] back = new float[12];
      f.read(2, back, 1, 5);
      assertArrayEquals(new float[] {0, 3, -1, -2, 6, 7, 0, 0, 0, 0, 0, 0}, back);
      assertEquals(40, f.sizeBytes());

      ClBuffer i = cl.buffer("ints", 4 * 6);
      i.fill(0, 6, -1);
      i.write(1, new int[] {5, 6}, 0, 2);
      int[] ib = new int[6];
      i.read(0, ib, 0, 6);
      assertArrayEquals(new int[] {-1, 5, 6, -1, -1, -1}, ib);

      ClBuffer d = cl.buffer("doubles", 8 * 3);
      d.write(0, new double[] {Math.PI, -0.0, 1e300}, 0, 3);
      double[] db = new double[3];
      d.read(0, db, 0, 3);
      assertArrayEquals(new double[] {Math.PI, -0.0, 1e300}, db);
      long[] bits = new long[3];
      d.read(0, bits, 0, 3);
      assertEquals(Double.doubleToRawLongBits(Math.PI), bits[0], "64-bit words read back raw");

      ClBuffer z = cl.buffer("zeros", 4 * 4);
      z.fill(0, 4, 2.5f);
      float[] zb = new float[4];
      z.read(0, zb, 0, 4);
      assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, zb);
    }
  }

  @Test
  void transfersOutsideTheBufferAreRejectedBeforeTheyReachTheDevice() {
    try (ClContext cl = ClContext.create(device)) {
      ClBuffer f = cl.buffer("floats", 16);
      assertThrows(IndexOutOfBoundsException.class, () -> f.write(2, new float[4], 0, 4));
      assertThrows(IndexOutOfBoundsException.class, () -> f.read(0, new float[2], 0, 4));
      assertThrows(IndexOutOfBoundsException.class, () -> f.read(-1, new float[4], 0, 1));
    }
  }

  @Test
  void aBufferLargerThanTheDeviceAllowsIsAnAllocationError() {
    try (ClContext cl = ClContext.create(device)) {
      long before = cl.liveObjects();
      EngineException e = assertThrows(EngineException.class, () -> cl.buffer("huge", device.maxAllocBytes() + 1));
      assertEquals(Kind.ALLOCATION, e.kind());
      assertTrue(e.getMessage().contains("huge"), e.getMessage());
      assertEquals(before, cl.liveObjects());
    }
  }

  @Test
  void closeReleasesEverythingOnceAndIsIdempotent() {
    long before = OpenCl.liveObjects();
    ClContext cl = ClContext.create(device);
    ClContext shared = cl.share();
    ClBuffer a = cl.buffer("a", 64);
    cl.buffer("b", 64);
    shared.buffer("c", 64);
    assertEquals(4, cl.liveObjects(), "context, queue and two buffers");
    assertEquals(3, shared.liveObjects(), "a context reference, a queue and one buffer");
    assertEquals(before + 7, OpenCl.liveObjects());

    a.close();
    a.close();
    assertEquals(3, cl.liveObjects(), "an early release is counted once");

    cl.close();
    float[] v = new float[4];
    ClBuffer c2 = shared.buffer("after the first owner closed", 16);
    c2.write(0, new float[] {1, 2, 3, 4}, 0, 4);
    c2.read(0, v, 0, 4);
    assertArrayEquals(new float[] {1, 2, 3, 4}, v, "the shared context outlives the first owner");

    shared.close();
    shared.close();
    cl.close();
    assertEquals(0, cl.liveObjects());
    assertEquals(before, OpenCl.liveObjects());
    assertThrows(IllegalStateException.class, () -> cl.buffer("late", 4));
    // Released handles never reach OpenCL again (that would crash the JVM, not throw).
    assertThrows(IllegalStateException.class, () -> c2.read(0, v, 0, 4));
    assertThrows(IllegalStateException.class, () -> a.write(0, v, 0, 1));
    assertThrows(IllegalStateException.class, shared::finish);
  }

  @Test
  void objectsAreReleasedInReverseOrderAndEveryOneIsReleasedDespiteFailures() {
    List<String> order = new ArrayList<>();
    ClContext cl = ClContext.create(device);
    cl.own("first", () -> {
      order.add("first");
      return 0;
    });
    cl.own("failing", () -> {
      order.add("failing");
      return -38; // CL_INVALID_MEM_OBJECT
    });
    cl.own("throwing", () -> {
      order.add("throwing");
      throw new IllegalStateException("release exploded");
    });
    cl.own("last", () -> {
      order.add("last");
      return 0;
    });
    RuntimeException e = assertThrows(RuntimeException.class, cl::close);
    assertEquals(List.of("last", "throwing", "failing", "first"), order);
    assertEquals("release exploded", e.getMessage(), "the first failure is thrown");
    assertEquals(1, e.getSuppressed().length, "later ones are suppressed in it");
    assertTrue(e.getSuppressed()[0].getMessage().contains("CL_INVALID_MEM_OBJECT"), e.getSuppressed()[0].getMessage());
    assertEquals(0, cl.liveObjects());
  }

  /**
   * An object is created before it is registered; when the context was closed in between (a
   * close on another thread), registering it must release it rather than refuse it and let it
   * leak on the device.
   */
  @Test
  void anObjectMadeWhileTheContextClosedIsReleasedNotLeaked() {
    long before = OpenCl.liveObjects();
    ClContext cl = ClContext.create(device);
    cl.close();
    List<String> released = new ArrayList<>();
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> cl.own("late buffer", () -> {
      released.add("late buffer");
      return 0;
    }));
    assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    assertEquals(List.of("late buffer"), released);
    assertEquals(before, OpenCl.liveObjects());
  }

  @Test
  void aReleaseErrorNeverHidesTheOriginalError() {
    long before = OpenCl.liveObjects();
    IllegalStateException original = new IllegalStateException("the pass failed");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
      try (ClContext cl = ClContext.create(device)) {
        cl.buffer("data", 64);
        cl.own("broken", () -> -5);
        throw original;
      }
    });
    assertSame(original, thrown);
    assertEquals(1, thrown.getSuppressed().length);
    EngineException release = (EngineException) thrown.getSuppressed()[0];
    assertEquals(Kind.ALLOCATION, release.kind());
    assertTrue(release.getMessage().contains("broken") && release.getMessage().contains("CL_OUT_OF_RESOURCES"),
        release.getMessage());
    assertEquals(before, OpenCl.liveObjects());

    // The explicit helper used on failure paths does the same.
    ClContext cl = ClContext.create(device);
    cl.own("broken", () -> -5);
    RuntimeException failure = new RuntimeException("upload failed");
    assertSame(failure, ClContext.closeAfterFailure(cl, failure));
    assertEquals(1, failure.getSuppressed().length);
    assertEquals(before, OpenCl.liveObjects());
  }
}
