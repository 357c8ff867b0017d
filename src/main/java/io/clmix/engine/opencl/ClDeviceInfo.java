package io.clmix.engine.opencl;

import java.util.Locale;

/**
 * What one OpenCL device is, as discovered by {@link OpenCl#devices()}: plain values, no native
 * handles, so a record can be kept, printed and compared after the discovery is over.
 *
 * @param platformIndex index of the platform in {@code clGetPlatformIDs} order
 * @param deviceIndex index of the device within its platform ({@code CL_DEVICE_TYPE_ALL} order)
 * @param platformName the platform's name, such as "NVIDIA CUDA" or "Portable Computing Language"
 * @param name the device's name
 * @param vendor the device's vendor
 * @param type {@code gpu}, {@code cpu}, {@code accelerator} or {@code other}
 * @param computeUnits {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 * @param globalMemBytes {@code CL_DEVICE_GLOBAL_MEM_SIZE}
 * @param maxAllocBytes {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}: the largest single buffer
 * @param localMemBytes {@code CL_DEVICE_LOCAL_MEM_SIZE}: local (shared) memory per work-group
 * @param fp64 whether the device supports double precision ({@code cl_khr_fp64})
 * @param maxWorkGroupSize {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param clockMHz {@code CL_DEVICE_MAX_CLOCK_FREQUENCY}
 * @param version {@code CL_DEVICE_VERSION}, such as "OpenCL 3.0 CUDA"
 * @param driverVersion {@code CL_DRIVER_VERSION}
 */
public record ClDeviceInfo(
    int platformIndex,
    int deviceIndex,
    String platformName,
    String name,
    String vendor,
    String type,
    int computeUnits,
    long globalMemBytes,
    long maxAllocBytes,
    long localMemBytes,
    boolean fp64,
    long maxWorkGroupSize,
    int clockMHz,
    String version,
    String driverVersion) {

  /** The identifier accepted by {@code --device}: {@code opencl:P:D}. */
  public String id() {
    return "opencl:" + platformIndex + ":" + deviceIndex;
  }

  /** Whether this is a GPU. */
  public boolean isGpu() {
    return "gpu".equals(type);
  }

  /** One line for {@code clmix devices}: id, name, type, memory, compute units. */
  public String describe() {
    return String.format(Locale.ROOT, "%s  %s [%s, %s], %d compute units, %.1f GiB, %s%s",
        id(), name, type, platformName, computeUnits, globalMemBytes / (double) (1L << 30), version,
        fp64 ? ", fp64" : "");
  }
}
