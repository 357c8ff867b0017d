package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.fail;

import io.clmix.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the OpenCL device tests run on. Without a device the OpenCL tests are skipped, except
 * when the environment sets {@value #REQUIRE} to 1 (CI does, with PoCL installed): then a
 * missing device fails the test, so the kernels cannot silently stop being tested.
 *
 * <p>A CPU device is preferred (on a developer machine with PoCL and a GPU, the CPU gives the
 * reproducible reference); {@value #DEVICE}={@code opencl:P:D} picks a device explicitly.
 */
public final class OpenClTestSupport {
  /** Environment variable that turns a missing OpenCL device into a test failure. */
  public static final String REQUIRE = "CLMIX_REQUIRE_OPENCL";
  /** Environment variable naming the device to test on, such as {@code opencl:0:0}. */
  public static final String DEVICE = "CLMIX_TEST_DEVICE";

  private OpenClTestSupport() {}

  /** Whether this run must have an OpenCL device. */
  public static boolean required() {
    return "1".equals(System.getenv(REQUIRE));
  }

  /**
   * The device to test on; skips the calling test (or fails it, when required) if there is none.
   */
  public static ClDeviceInfo requireDevice() {
    List<ClDeviceInfo> devices;
    try {
      devices = OpenCl.devices();
    } catch (EngineException e) {
      return unavailable(e.getMessage());
    }
    String wanted = System.getenv(DEVICE);
    if (wanted != null && !wanted.isBlank()) {
      for (ClDeviceInfo d : devices) {
        if (d.id().equals(wanted.trim())) {
          return d;
        }
      }
      return unavailable(DEVICE + "=" + wanted + " names no device; found " + devices);
    }
    for (ClDeviceInfo d : devices) {
      if ("cpu".equals(d.type())) {
        return d;
      }
    }
    return devices.get(0);
  }

  /** An engine on {@link #requireDevice()} with the default tuning. */
  public static OpenClEngine requireEngine() {
    return OpenClEngine.create(requireDevice());
  }

  /**
   * {@code device} described as a GPU with {@code localBytes} of local memory: the engine then
   * takes its GPU defaults and local-memory plans (staged tiles, parameter tiles, points read
   * from global memory when the tile does not fit), which PoCL runs like any other kernel. The
   * device handle is found by index, so the record may differ from what the driver reports.
   */
  public static ClDeviceInfo pretendGpu(ClDeviceInfo device, long localBytes) {
    return new ClDeviceInfo(device.platformIndex(), device.deviceIndex(), device.platformName(), device.name(),
        device.vendor(), "gpu", device.computeUnits(), device.globalMemBytes(), device.maxAllocBytes(), localBytes,
        device.fp64(), device.maxWorkGroupSize(), device.clockMHz(), device.version(), device.driverVersion());
  }

  /**
   * {@code device} described as a CPU with {@code localBytes} of local memory: the engine then
   * takes its CPU defaults (the mixture's vectors of points, whose tile must be local), whatever
   * the device is. Found by index, as {@link #pretendGpu}.
   */
  public static ClDeviceInfo pretendCpu(ClDeviceInfo device, long localBytes) {
    return new ClDeviceInfo(device.platformIndex(), device.deviceIndex(), device.platformName(), device.name(),
        device.vendor(), "cpu", device.computeUnits(), device.globalMemBytes(), device.maxAllocBytes(), localBytes,
        device.fp64(), device.maxWorkGroupSize(), device.clockMHz(), device.version(), device.driverVersion());
  }

  /**
   * {@code device} described as having no {@code cl_khr_fp64}, as integrated and mobile GPUs:
   * the kernels then take their compensated-float accumulators. Found by index, as
   * {@link #pretendGpu}.
   */
  public static ClDeviceInfo withoutFp64(ClDeviceInfo d) {
    return new ClDeviceInfo(d.platformIndex(), d.deviceIndex(), d.platformName(), d.name(), d.vendor(), d.type(),
        d.computeUnits(), d.globalMemBytes(), d.maxAllocBytes(), d.localMemBytes(), false, d.maxWorkGroupSize(),
        d.clockMHz(), d.version(), d.driverVersion());
  }

  private static ClDeviceInfo unavailable(String why) {
    if (required()) {
      fail(REQUIRE + "=1 but no OpenCL device is usable: " + why);
    }
    Assumptions.assumeTrue(false, "skipped, no OpenCL device: " + why);
    throw new AssertionError("unreachable");
  }
}
