package io.clmix.engine;

import io.clmix.data.InputException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.OpenCl;
import io.clmix.engine.opencl.OpenClEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Turns a device specification into an engine, the way {@code --device} reads it:
 *
 * <ul>
 *   <li>{@code auto} (default): the fastest OpenCL GPU, else the Java engine. When OpenCL cannot
 *       load, has no platform, or its kernels fail to build, the Java engine takes over and
 *       {@link Selection#fallback()} says why; when the GPU fails during a fit, the fit continues
 *       on the Java engine ({@link FallbackEngine}) and its report says why;
 *   <li>{@code java} or {@code java:T}: the Java engine (with T threads);
 *   <li>{@code opencl}: the best OpenCL device of any type (a GPU if there is one);
 *   <li>{@code opencl:P:D}: OpenCL device D of platform P, as {@code clmix devices} numbers them;
 *   <li>{@code opencl:all}: every OpenCL device at once, the data sharded across them;
 *   <li>a comma-separated list of the above ({@code opencl:0:0,opencl:0:1}, {@code java,opencl:0:0}):
 *       those devices at once, sharded ({@link ShardedEngine}); a device may appear twice.
 * </ul>
 *
 * <p>A device named explicitly that is missing or fails is the user's error: an
 * {@link InputException} naming the device and the reason, never a silent fallback.
 */
public final class EngineSelector {
  private EngineSelector() {}

  /**
   * The chosen engine, owned by the selection: closing the selection closes the engine.
   *
   * @param engine the engine to fit on
   * @param fallback why a preferred device was not used (auto mode only), or null
   */
  public record Selection(Engine engine, String fallback) implements AutoCloseable {
    @Override
    public void close() {
      engine.close();
    }
  }

  /** What {@code auto} would pick and why, without building anything (for {@code clmix devices}). */
  public record AutoChoice(String id, String reason) {}

  /**
   * Creates the engine for {@code spec}.
   *
   * @throws InputException when the spec is malformed or names a device that is missing or fails
   */
  public static Selection select(String spec) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.contains(",")) {
      // -1 keeps trailing empty entries, so "java," is refused like ",java".
      return new Selection(sharded(spec, List.of(s.split(",", -1))), null);
    }
    if (s.equals("opencl:all")) {
      List<String> ids = allOpenClIds(spec);
      return new Selection(ids.size() == 1 ? namedOpenCl(spec, ids.get(0)) : sharded(spec, ids), null);
    }
    if (s.equals("auto")) {
      return auto();
    }
    if (s.equals("java")) {
      return new Selection(JavaEngine.create(), null);
    }
    if (s.startsWith("java:")) {
      return new Selection(new JavaEngine(parseInt(spec, s.substring(5), "a thread count >= 1")), null);
    }
    if (s.equals("opencl") || s.startsWith("opencl:")) {
      return new Selection(namedOpenCl(spec, s), null);
    }
    throw unknown(spec);
  }

  /** The ids of every OpenCL device, for {@code opencl:all}; none is an error naming the spec. */
  private static List<String> allOpenClIds(String spec) {
    List<String> ids = new ArrayList<>();
    for (ClDeviceInfo d : openClDevices(spec)) {
      ids.add(d.id());
    }
    if (ids.isEmpty()) {
      throw new InputException("--device " + spec + ": no OpenCL device found");
    }
    return ids;
  }

  /**
   * The id of the engine {@link #select} would create for {@code spec} ({@code java},
   * {@code opencl:0:0}, or the ids of a list joined by commas, as {@link ShardedEngine} names
   * them), found without creating an engine: the spec is parsed and the OpenCL devices it names
   * are looked up, so a malformed spec or a device that does not exist fails here with select's
   * message, before any work starts. A device that exists may still fail when its engine is
   * built or runs; {@code auto} answers what it would prefer.
   *
   * @throws InputException where select would refuse the spec before creating an engine
   */
  public static String engineId(String spec) {
    String s = spec == null ? "auto" : spec.trim().toLowerCase(Locale.ROOT);
    if (s.contains(",")) {
      List<String> ids = new ArrayList<>();
      for (String part : s.split(",", -1)) {
        ids.add(engineId(listEntry(spec, part)));
      }
      return String.join(",", ids);
    }
    if (s.equals("opencl:all")) {
      return String.join(",", allOpenClIds(spec));
    }
    if (s.equals("auto")) {
      try {
        return autoChoice(OpenCl.devices()).id();
      } catch (EngineException e) {
        return "java"; // as auto() falls back
      }
    }
    if (s.equals("java")) {
      return "java";
    }
    if (s.startsWith("java:")) {
      parseInt(spec, s.substring(5), "a thread count >= 1");
      return "java";
    }
    if (s.equals("opencl") || s.startsWith("opencl:")) {
      return chooseOpenCl(spec, s).id();
    }
    throw unknown(spec);
  }

  private static InputException unknown(String spec) {
    return InputException.parameter("--device", "'" + spec + "'",
        "auto, java, java:THREADS, opencl, opencl:P:D, opencl:all, or a comma-separated list of devices");
  }

  /** One entry of a device list, trimmed; an empty one, {@code auto} or an {@code all} has no place there. */
  private static String listEntry(String spec, String part) {
    String p = part.trim();
    if (p.isEmpty() || p.equals("auto") || p.contains("all")) {
      throw InputException.parameter("--device", "'" + spec + "'",
          "a comma-separated list of java, java:THREADS, opencl or opencl:P:D");
    }
    return p;
  }

  private static Selection auto() {
    List<ClDeviceInfo> devices;
    try {
      devices = OpenCl.devices();
    } catch (EngineException e) {
      return new Selection(JavaEngine.create(), e.getMessage());
    }
    List<ClDeviceInfo> gpus = gpusFastestFirst(devices);
    if (gpus.isEmpty()) {
      return new Selection(JavaEngine.create(), null);
    }
    ClDeviceInfo gpu = gpus.get(0);
    return preferring(gpu.id() + " (" + gpu.name() + ")", () -> OpenClEngine.create(gpu));
  }

  /**
   * Auto mode's policy for a preferred device: the engine {@code device} creates, guarded by a
   * {@link FallbackEngine} that continues on the Java engine if the device fails during a fit;
   * or, when creating it fails (no runtime, a kernel that does not build), the Java engine with
   * {@link Selection#fallback()} saying why.
   *
   * @param name the device, for the reason ({@code "opencl:0:0 (GeForce RTX 4090)"})
   * @param device creates the device's engine; may throw {@link EngineException}
   */
  public static Selection preferring(String name, Supplier<? extends Engine> device) {
    InputException.required(device, "device", "a supplier of the preferred device's engine");
    Engine engine;
    try {
      engine = InputException.required(device.get(), "device.get()",
          "the preferred device's engine, or an EngineException saying why there is none");
    } catch (EngineException e) {
      return new Selection(JavaEngine.create(), name + " failed: " + e.getMessage());
    } catch (LinkageError e) {
      return new Selection(JavaEngine.create(), "OpenCL could not be used: " + e);
    }
    return new Selection(FallbackEngine.withBackup(engine, JavaEngine::create), null);
  }

  /** What {@code auto} picks among {@code devices} (without creating an engine). */
  public static AutoChoice autoChoice(List<ClDeviceInfo> devices) {
    List<ClDeviceInfo> gpus = gpusFastestFirst(devices);
    if (gpus.isEmpty()) {
      return new AutoChoice("java", "no OpenCL GPU");
    }
    return new AutoChoice(gpus.get(0).id(), "fastest OpenCL GPU");
  }

  /** GPUs ordered by a rough throughput estimate (compute units x clock), fastest first. */
  static List<ClDeviceInfo> gpusFastestFirst(List<ClDeviceInfo> devices) {
    List<ClDeviceInfo> gpus = new ArrayList<>();
    for (ClDeviceInfo d : devices) {
      if (d.type().equals("gpu")) {
        gpus.add(d);
      }
    }
    gpus.sort(Comparator.comparingLong((ClDeviceInfo d) -> (long) d.computeUnits() * Math.max(1, d.clockMHz()))
        .reversed());
    return gpus;
  }

  /** Several named devices as one sharded engine; the engines opened so far are closed on failure. */
  private static Engine sharded(String spec, List<String> parts) {
    List<Engine> engines = new ArrayList<>();
    try {
      for (String part : parts) {
        engines.add(select(listEntry(spec, part)).engine());
      }
    } catch (RuntimeException e) {
      for (Engine opened : engines) {
        opened.close();
      }
      throw e;
    }
    return new ShardedEngine(engines);
  }

  private static List<ClDeviceInfo> openClDevices(String spec) {
    try {
      return OpenCl.devices();
    } catch (EngineException e) {
      throw new InputException("--device " + spec + ": " + e.getMessage(), e);
    }
  }

  private static Engine namedOpenCl(String spec, String s) {
    ClDeviceInfo chosen = chooseOpenCl(spec, s);
    try {
      // A named device never falls back: its failures become errors naming it.
      return FallbackEngine.strict(OpenClEngine.create(chosen), "--device " + spec);
    } catch (EngineException e) {
      throw new InputException("--device " + spec + " (" + chosen.name() + ") failed: " + e.getMessage(), e);
    }
  }

  /** The device {@code opencl} or {@code opencl:P:D} names; an error if there is none. */
  private static ClDeviceInfo chooseOpenCl(String spec, String s) {
    List<ClDeviceInfo> devices = openClDevices(spec);
    ClDeviceInfo chosen;
    if (s.equals("opencl")) {
      if (devices.isEmpty()) {
        throw new InputException("--device " + spec + ": no OpenCL device found");
      }
      List<ClDeviceInfo> gpus = gpusFastestFirst(devices);
      chosen = gpus.isEmpty() ? devices.get(0) : gpus.get(0);
    } else {
      String[] parts = s.split(":", -1);
      if (parts.length != 3) {
        throw InputException.parameter("--device", "'" + spec + "'", "opencl:P:D with P and D as clmix devices prints them");
      }
      int p = parseInt(spec, parts[1], "opencl:P:D with integer indices");
      int d = parseInt(spec, parts[2], "opencl:P:D with integer indices");
      chosen = devices.stream().filter(x -> x.platformIndex() == p && x.deviceIndex() == d).findFirst()
          .orElseThrow(() -> new InputException("--device " + spec + ": no such OpenCL device; available: "
              + describe(devices)));
    }
    return chosen;
  }

  private static String describe(List<ClDeviceInfo> devices) {
    if (devices.isEmpty()) {
      return "none";
    }
    List<String> out = new ArrayList<>();
    for (ClDeviceInfo d : devices) {
      out.add(d.id() + " (" + d.name() + ")");
    }
    return String.join(", ", out);
  }

  private static int parseInt(String spec, String s, String accepts) {
    try {
      int v = Integer.parseInt(s);
      if (v < 0 || (accepts.startsWith("a thread") && v < 1)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw InputException.parameter("--device", "'" + spec + "'", accepts);
    }
  }
}
