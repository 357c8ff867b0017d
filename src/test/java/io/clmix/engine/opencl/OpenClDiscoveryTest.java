package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenClDiscoveryTest {

  @Test
  void devicesAreDescribed() {
    ClDeviceInfo chosen = OpenClTestSupport.requireDevice();
    List<ClDeviceInfo> all = OpenCl.devices();
    assertFalse(all.isEmpty());
    assertTrue(all.contains(chosen));
    for (ClDeviceInfo d : all) {
      assertEquals("opencl:" + d.platformIndex() + ":" + d.deviceIndex(), d.id());
      assertTrue(List.of("gpu", "cpu", "accelerator", "other").contains(d.type()), d.type());
      assertFalse(d.name().isBlank());
      assertTrue(d.computeUnits() > 0);
      assertTrue(d.globalMemBytes() >= d.maxAllocBytes() && d.maxAllocBytes() > 0);
      assertTrue(d.localMemBytes() > 0);
      assertTrue(d.maxWorkGroupSize() > 0);
      assertTrue(d.version().startsWith("OpenCL"), d.version());
      assertTrue(d.describe().startsWith(d.id()));
    }
  }

  @Test
  void discoveryCanBeRepeated() {
    OpenClTestSupport.requireDevice();
    assertEquals(OpenCl.devices(), OpenCl.devices());
  }

  @Test
  void devicesAreFoundById() {
    ClDeviceInfo d = OpenClTestSupport.requireDevice();
    assertEquals(d, OpenCl.device(d.id()));
    EngineException e = assertThrows(EngineException.class, () -> OpenCl.device("opencl:99:0"));
    assertEquals(EngineException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().contains(d.id()), "the message lists the devices there are: " + e.getMessage());
  }

  @Test
  void aMissingLibraryIsReportedAsUnavailableWithWhatToInstall() {
    EngineException e = OpenCl.unavailable(new UnsatisfiedLinkError(
        "Could not initialize native OpenCL library. Implementation library could not be loaded"));
    assertEquals(EngineException.Kind.UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("OpenCL is not available: libOpenCL.so could not be loaded"), e.getMessage());
    assertTrue(e.getMessage().contains("ocl-icd-opencl-dev") && e.getMessage().contains("pocl-opencl-icd"), e.getMessage());
  }

  @Test
  void statusCodesMapToKindsAndNames() {
    assertEquals(EngineException.Kind.ALLOCATION, OpenCl.kindOf(-4));
    assertEquals(EngineException.Kind.ALLOCATION, OpenCl.kindOf(-5));
    assertEquals(EngineException.Kind.ALLOCATION, OpenCl.kindOf(-6));
    assertEquals(EngineException.Kind.BUILD, OpenCl.kindOf(-11));
    assertEquals(EngineException.Kind.UNAVAILABLE, OpenCl.kindOf(-1001));
    assertEquals(EngineException.Kind.EXECUTION, OpenCl.kindOf(-54));
    EngineException e = OpenCl.error(-54, "clEnqueueNDRangeKernel(km_assign_resident)");
    // JOCL names the code through its native library; where that cannot load, the number stands.
    String name = openClLoads() ? "CL_INVALID_WORK_GROUP_SIZE" : "error -54";
    assertEquals("clEnqueueNDRangeKernel(km_assign_resident) failed: " + name, e.getMessage());
  }

  private static boolean openClLoads() {
    try {
      org.jocl.CL.stringFor_errorCode(-54);
      return true;
    } catch (LinkageError e) {
      return false;
    }
  }
}
