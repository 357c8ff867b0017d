package io.clmix.engine.opencl;

import static org.jocl.CL.CL_DEVICE_DOUBLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_CLOCK_FREQUENCY;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DRIVER_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_NOT_FOUND_KHR;
import static org.jocl.CL.CL_SUCCESS;

import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Entry points to OpenCL: device discovery and the one way every OpenCL call's status becomes
 * an {@link EngineException}.
 *
 * <p>Status codes are checked explicitly after every call. JOCL's global
 * {@code CL.setExceptionsEnabled} switch is never touched (it is process-wide state that other
 * code may set); should someone enable it, {@link #guard} maps JOCL's exceptions the same way.
 *
 * <p>The only static state is a counter of live OpenCL objects, which lets tests show that
 * everything a {@link ClContext} created was released.
 */
public final class OpenCl {
  /** CL objects created and not yet released, over all contexts (for tests and leak checks). */
  private static final AtomicLong LIVE = new AtomicLong();

  /** What to install when the loader is missing: JOCL opens the unversioned libOpenCL.so, which the -dev package provides. */
  private static final String LOADER_HINT =
      "install ocl-icd-opencl-dev and a driver such as pocl-opencl-icd or your GPU vendor's";
  /** What to install when the loader works but finds no driver. */
  private static final String DRIVER_HINT =
      "install a driver such as pocl-opencl-icd (any CPU) or your GPU vendor's, which registers itself in /etc/OpenCL/vendors";

  private OpenCl() {}

  // ------------------------------------------------------------------ discovery

  /**
   * Every device of every platform, in platform order then device order. Discovers afresh on
   * each call (devices can appear, and nothing native is cached).
   *
   * @throws EngineException of kind {@link Kind#UNAVAILABLE} when the OpenCL library cannot be
   *     loaded, no platform is installed, or no platform has a device
   */
  public static List<ClDeviceInfo> devices() {
    try {
      cl_platform_id[] platforms = platforms();
      List<ClDeviceInfo> out = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      boolean pocl = false;
      for (int p = 0; p < platforms.length; p++) {
        try {
          String platformName = platformString(platforms[p], CL_PLATFORM_NAME);
          pocl |= platformName.contains("Portable Computing Language");
          cl_device_id[] ids = deviceIds(platforms[p]);
          for (int d = 0; d < ids.length; d++) {
            out.add(describe(p, d, platformName, ids[d]));
          }
        } catch (EngineException e) {
          // A broken platform (a stale ICD file, say) must not hide the working ones.
          skipped.add("platform " + p + ": " + e.getMessage());
        }
      }
      if (out.isEmpty()) {
        throw new EngineException(Kind.UNAVAILABLE, "OpenCL is not available: " + platforms.length
            + " platform(s) but no usable device" + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")")
            // PoCL hides its devices when it cannot create its kernel cache, and says nothing.
            + (pocl ? "; PoCL lists no device when it cannot create its kernel cache ($XDG_CACHE_HOME/pocl or"
                + " ~/.cache/pocl): POCL_CACHE_DIR=<a writable folder> gives it one" : ""));
      }
      return List.copyOf(out);
    } catch (LinkageError e) {
      throw unavailable(e);
    }
  }

  /**
   * The device named by {@code id} ({@code opencl:P:D}).
   *
   * @throws EngineException of kind {@link Kind#UNAVAILABLE} when there is no such device
   */
  public static ClDeviceInfo device(String id) {
    List<ClDeviceInfo> all = devices();
    for (ClDeviceInfo d : all) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    List<String> ids = new ArrayList<>();
    for (ClDeviceInfo d : all) {
      ids.add(d.id());
    }
    throw new EngineException(Kind.UNAVAILABLE, "no OpenCL device " + id + "; available: " + String.join(", ", ids));
  }

  /** The native handle of {@code info}'s device, found again by its indices and checked by name. */
  static cl_device_id handle(ClDeviceInfo info) {
    try {
      cl_platform_id[] platforms = platforms();
      if (info.platformIndex() < platforms.length) {
        cl_device_id[] ids = deviceIds(platforms[info.platformIndex()]);
        if (info.deviceIndex() < ids.length
            && deviceString(ids[info.deviceIndex()], CL_DEVICE_NAME).equals(info.name())) {
          return ids[info.deviceIndex()];
        }
      }
      throw new EngineException(Kind.UNAVAILABLE, "OpenCL device " + info.id() + " (" + info.name() + ") is gone");
    } catch (LinkageError e) {
      throw unavailable(e);
    }
  }

  private static cl_platform_id[] platforms() {
    int[] count = new int[1];
    int code = guardInt("clGetPlatformIDs", () -> CL.clGetPlatformIDs(0, null, count));
    if (code == CL_PLATFORM_NOT_FOUND_KHR || (code == CL_SUCCESS && count[0] == 0)) {
      throw new EngineException(Kind.UNAVAILABLE, "OpenCL is not available: libOpenCL.so loaded but found no platform ("
          + DRIVER_HINT + ")");
    }
    check(code, "clGetPlatformIDs");
    cl_platform_id[] platforms = new cl_platform_id[count[0]];
    check(guardInt("clGetPlatformIDs", () -> CL.clGetPlatformIDs(platforms.length, platforms, null)), "clGetPlatformIDs");
    return platforms;
  }

  private static cl_device_id[] deviceIds(cl_platform_id platform) {
    int[] count = new int[1];
    int code = guardInt("clGetDeviceIDs", () -> CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, count));
    if (code == CL_DEVICE_NOT_FOUND) {
      return new cl_device_id[0];
    }
    check(code, "clGetDeviceIDs");
    cl_device_id[] ids = new cl_device_id[count[0]];
    check(guardInt("clGetDeviceIDs", () -> CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null)),
        "clGetDeviceIDs");
    return ids;
  }

  private static ClDeviceInfo describe(int p, int d, String platformName, cl_device_id id) {
    long typeBits = deviceLong(id, CL_DEVICE_TYPE);
    String type = (typeBits & CL_DEVICE_TYPE_GPU) != 0 ? "gpu"
        : (typeBits & CL_DEVICE_TYPE_CPU) != 0 ? "cpu"
        : (typeBits & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator"
        : "other";
    boolean fp64 = (" " + deviceString(id, CL_DEVICE_EXTENSIONS) + " ").contains(" cl_khr_fp64 ")
        || deviceLong(id, CL_DEVICE_DOUBLE_FP_CONFIG) != 0;
    return new ClDeviceInfo(p, d, platformName,
        deviceString(id, CL_DEVICE_NAME).trim(),
        deviceString(id, CL_DEVICE_VENDOR).trim(),
        type,
        (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
        deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE),
        deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
        deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE),
        fp64,
        deviceSizeT(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
        (int) deviceInt(id, CL_DEVICE_MAX_CLOCK_FREQUENCY),
        deviceString(id, CL_DEVICE_VERSION).trim(),
        deviceString(id, CL_DRIVER_VERSION).trim());
  }

  private static String platformString(cl_platform_id p, int param) {
    long[] size = new long[1];
    check(guardInt("clGetPlatformInfo", () -> CL.clGetPlatformInfo(p, param, 0, null, size)), "clGetPlatformInfo");
    byte[] bytes = new byte[(int) size[0]];
    check(guardInt("clGetPlatformInfo", () -> CL.clGetPlatformInfo(p, param, bytes.length, Pointer.to(bytes), null)),
        "clGetPlatformInfo");
    return cString(bytes).trim();
  }

  static String deviceString(cl_device_id id, int param) {
    long[] size = new long[1];
    check(guardInt("clGetDeviceInfo", () -> CL.clGetDeviceInfo(id, param, 0, null, size)), "clGetDeviceInfo");
    byte[] bytes = new byte[(int) size[0]];
    check(guardInt("clGetDeviceInfo", () -> CL.clGetDeviceInfo(id, param, bytes.length, Pointer.to(bytes), null)),
        "clGetDeviceInfo");
    return cString(bytes);
  }

  /** A cl_ulong or cl_bitfield parameter. */
  private static long deviceLong(cl_device_id id, int param) {
    long[] v = new long[1];
    check(guardInt("clGetDeviceInfo", () -> CL.clGetDeviceInfo(id, param, Sizeof.cl_ulong, Pointer.to(v), null)),
        "clGetDeviceInfo");
    return v[0];
  }

  /** A cl_uint parameter, as an unsigned value. */
  private static long deviceInt(cl_device_id id, int param) {
    int[] v = new int[1];
    check(guardInt("clGetDeviceInfo", () -> CL.clGetDeviceInfo(id, param, Sizeof.cl_uint, Pointer.to(v), null)),
        "clGetDeviceInfo");
    return Integer.toUnsignedLong(v[0]);
  }

  /** A size_t parameter. */
  private static long deviceSizeT(cl_device_id id, int param) {
    long[] v = new long[1];
    check(guardInt("clGetDeviceInfo", () -> CL.clGetDeviceInfo(id, param, Sizeof.size_t, Pointer.to(v), null)),
        "clGetDeviceInfo");
    return Sizeof.size_t == 4 ? v[0] & 0xffffffffL : v[0];
  }

  static String cString(byte[] bytes) {
    int n = 0;
    while (n < bytes.length && bytes[n] != 0) {
      n++;
    }
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  /** The exception for a library that would not load (JOCL's own, or the libOpenCL.so it opens). */
  static EngineException unavailable(LinkageError e) {
    String unpack = unpackFailure(e.getMessage());
    if (unpack != null) {
      // Not a missing libOpenCL.so: JOCL copies its own native library out of the jar into
      // java.io.tmpdir before loading it, and a read-only or full /tmp (a container's read-only
      // root, say) stops it there. Installing OpenCL would not help; another folder does.
      return new EngineException(Kind.UNAVAILABLE, "OpenCL is not available: JOCL could not write its native library"
          + " into java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + "): " + unpack
          + "; give it a writable folder (CLMIX_JAVA_OPTS=-Djava.io.tmpdir=<folder> for ./clmix)", e);
    }
    return new EngineException(Kind.UNAVAILABLE, "OpenCL is not available: libOpenCL.so could not be loaded ("
        + LOADER_HINT + "); JOCL said: " + e.getMessage(), e);
  }

  /**
   * Why JOCL could not write its native library out of the jar, from the message of the error it
   * throws when loading fails ({@code "... Stack trace from the attempt to load the library as a
   * resource:\njava.io.FileNotFoundException: /tmp/libJOCL_...so (Read-only file system)..."}),
   * or null when that is not what failed (the copy was written and would not load, because
   * libOpenCL.so is missing).
   */
  static String unpackFailure(String joclMessage) {
    String marker = "attempt to load the library as a resource:";
    int at = joclMessage == null ? -1 : joclMessage.indexOf(marker);
    if (at < 0) {
      return null;
    }
    String cause = joclMessage.substring(at + marker.length()).strip().lines().findFirst().orElse("").strip();
    // An I/O exception writing the file; a link error means the copy was written and did not load.
    // "No resource found" is a jar without a library for this CPU (JOCL ships x86_64 and
    // arm64), which no folder fixes.
    if (!cause.startsWith("java.io.") || cause.indexOf(':') < 0 || cause.contains("No resource found")) {
      return null;
    }
    return cause.substring(cause.indexOf(':') + 1).strip();
  }

  // ------------------------------------------------------------------ status codes

  /** Throws the {@link EngineException} for {@code code} unless it is {@code CL_SUCCESS}. */
  static void check(int code, String call) {
    if (code != CL_SUCCESS) {
      throw error(code, call);
    }
  }

  /**
   * The exception for a failed call: ALLOCATION for the out-of-memory codes, UNAVAILABLE for a
   * missing platform or device, EXECUTION otherwise (builds map their failures to BUILD
   * themselves, with the log). The message names the call and the code, such as
   * {@code clEnqueueNDRangeKernel(km_assign) failed: CL_INVALID_WORK_GROUP_SIZE}.
   */
  static EngineException error(int code, String call) {
    return new EngineException(kindOf(code), call + " failed: " + errorName(code));
  }

  /** The kind of failure a status code reports. */
  static Kind kindOf(int code) {
    switch (code) {
      case CL.CL_MEM_OBJECT_ALLOCATION_FAILURE:
      case CL.CL_OUT_OF_RESOURCES:
      case CL.CL_OUT_OF_HOST_MEMORY:
      case CL.CL_INVALID_BUFFER_SIZE:
        return Kind.ALLOCATION;
      case CL.CL_PLATFORM_NOT_FOUND_KHR:
      case CL.CL_DEVICE_NOT_FOUND:
      case CL.CL_DEVICE_NOT_AVAILABLE:
        return Kind.UNAVAILABLE;
      case CL.CL_BUILD_PROGRAM_FAILURE:
      case CL.CL_COMPILER_NOT_AVAILABLE:
      case CL.CL_INVALID_BUILD_OPTIONS:
      case CL.CL_LINK_PROGRAM_FAILURE:
      case CL.CL_LINKER_NOT_AVAILABLE:
        return Kind.BUILD;
      default:
        return Kind.EXECUTION;
    }
  }

  /** The symbolic name of a status code, such as {@code CL_OUT_OF_RESOURCES}. */
  static String errorName(int code) {
    try {
      String s = CL.stringFor_errorCode(code);
      return s.startsWith("CL_") ? s : s + " (" + code + ")";
    } catch (LinkageError e) {
      return "error " + code;
    }
  }

  /** Runs a call that returns a status, mapping JOCL's exception (if someone enabled them) to the status. */
  static int guardInt(String call, IntSupplier op) {
    try {
      return op.getAsInt();
    } catch (CLException e) {
      return e.getStatus() != CL_SUCCESS ? e.getStatus() : CL.CL_INVALID_VALUE;
    }
  }

  /**
   * Runs a call that creates an object and reports its status through {@code err[0]}; returns
   * the object or throws the mapped exception.
   */
  static <T> T create(String call, int[] err, Supplier<T> op) {
    T out;
    try {
      out = op.get();
    } catch (CLException e) {
      throw error(e.getStatus(), call);
    }
    check(err[0], call);
    if (out == null) {
      throw new EngineException(Kind.EXECUTION, call + " failed: returned no object");
    }
    return out;
  }

  // ------------------------------------------------------------------ live objects

  /** OpenCL objects created by clmix and not yet released, over all contexts. */
  public static long liveObjects() {
    return LIVE.get();
  }

  static void countCreated() {
    LIVE.incrementAndGet();
  }

  static void countReleased() {
    LIVE.decrementAndGet();
  }
}
