package io.clmix.bench;

import io.clmix.data.InputException;
import io.clmix.engine.EngineInfo;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The peak fp32 arithmetic rate and memory bandwidth of the devices we know, so a measured rate
 * can be read as a fraction of what the device could do. Unknown devices get no peak ("n/a"),
 * never a guess; {@code --peak-gflops} and {@code --peak-gbs} supply or override one.
 *
 * <p>Known devices, by name (GPUs) or by host (the Java engine and OpenCL CPU devices):
 * <ul>
 *   <li>NVIDIA H200: 67 TFLOP/s fp32 (non-tensor), 4.8 TB/s (NVIDIA's datasheet);
 *   <li>NVIDIA H100 PCIe: 51 TFLOP/s, 2.0 TB/s (datasheet);
 *   <li>NVIDIA H100 (SXM): 67 TFLOP/s, 3.35 TB/s (datasheet);
 *   <li>the project's development VM (2 vCPUs of an AMD EPYC, Zen 3): 191 GFLOP/s, the best
 *       OpenBLAS SGEMM rate measured on it with 2 threads ({@code bench/peers/sgemm_probe.py --n
 *       4096 --reps 10}); at times the host gives both vCPUs one core's FMA units and the same
 *       probe reads about 95, so fractions of this peak are at most about 50% then. Bandwidth
 *       unknown.
 * </ul>
 *
 * <p>Several devices working as one ({@code opencl:all}) have the sum of their GPUs' peaks, and
 * the host's once for the engines on its cores ({@link #peakOf(EngineInfo, List, HostInfo)}).
 */
public final class PeakTable {
  /** Where every device id falls back to when no override names it. */
  private static final String ALL = "*";

  /**
   * A device's peaks; NaN where unknown.
   *
   * @param gflops peak fp32 GFLOP/s
   * @param gbs peak memory bandwidth in GB/s (10^9 bytes per second)
   * @param source where the figures come from
   */
  public record Peak(double gflops, double gbs, String source) {
    /** No known peak. */
    public static final Peak UNKNOWN = new Peak(Double.NaN, Double.NaN, "unknown");
  }

  private record Known(BiPredicate<EngineInfo, HostInfo> matches, Peak peak) {}

  private static final List<Known> KNOWN = List.of(
      new Known((e, h) -> gpuNamed(e, "H200"), new Peak(67_000, 4_800, "NVIDIA H200 datasheet")),
      new Known((e, h) -> gpuNamed(e, "H100") && gpuNamed(e, "PCIE"), new Peak(51_000, 2_000, "NVIDIA H100 PCIe datasheet")),
      new Known((e, h) -> gpuNamed(e, "H100"), new Peak(67_000, 3_350, "NVIDIA H100 SXM datasheet")),
      new Known((e, h) -> onHost(e) && h.cpuModel().equals("AMD EPYC") && h.logicalCpus() == 2,
          new Peak(191, Double.NaN, "development VM: best measured OpenBLAS SGEMM, 2 threads")));

  private final Map<String, Double> gflops;
  private final Map<String, Double> gbs;

  private PeakTable(Map<String, Double> gflops, Map<String, Double> gbs) {
    this.gflops = gflops;
    this.gbs = gbs;
  }

  /** The known peaks alone. */
  public static PeakTable known() {
    return new PeakTable(Map.of(), Map.of());
  }

  /**
   * The known peaks with overrides, each null or either one number for every device
   * ({@code 85}) or comma-separated {@code DEVICE=NUMBER} pairs ({@code java=85,opencl:0:0=85}).
   *
   * @throws InputException naming the option and the value it cannot read
   */
  public static PeakTable withOverrides(String peakGflops, String peakGbs) {
    return new PeakTable(parse("--peak-gflops", peakGflops), parse("--peak-gbs", peakGbs));
  }

  /**
   * Refuses a per-device override for a device not in {@code ids}, the engines a run measures:
   * it would be silently unused, most likely a typo of a device's id.
   *
   * @throws InputException naming the option, the device and the devices it may name
   */
  public void checkDevices(Collection<String> ids) {
    checkDevices("--peak-gflops", gflops, ids);
    checkDevices("--peak-gbs", gbs, ids);
  }

  private static void checkDevices(String option, Map<String, Double> overrides, Collection<String> ids) {
    for (String device : overrides.keySet()) {
      if (!device.equals(ALL) && !ids.contains(device)) {
        throw new InputException(option + ": '" + device + "' is not a device this run measures; expected a number "
            + "for every device" + (ids.isEmpty() ? " (it measures none)"
                : ", or DEVICE=NUMBER pairs for " + String.join(", ", new LinkedHashSet<>(ids))));
      }
    }
  }

  /** The peaks of {@code engine} on {@code host}: an override where given, else the table, else unknown. */
  public Peak peakOf(EngineInfo engine, HostInfo host) {
    Peak base = Peak.UNKNOWN;
    for (Known k : KNOWN) {
      if (k.matches().test(engine, host)) {
        base = k.peak();
        break;
      }
    }
    Double f = gflops.getOrDefault(engine.id(), gflops.get(ALL));
    Double b = gbs.getOrDefault(engine.id(), gbs.get(ALL));
    if (f == null && b == null) {
      return base;
    }
    return new Peak(f != null ? f : base.gflops(), b != null ? b : base.gbs(),
        base == Peak.UNKNOWN ? "given on the command line" : base.source() + ", overridden on the command line");
  }

  /**
   * The peaks of {@code parts} working as one engine, {@code whole} (several devices): GPUs add
   * theirs; the Java engine and OpenCL CPU devices share the host's cores, so the host's peak
   * counts once. Unknown (NaN) where any part's is. An override for every device applies to each
   * part; one for {@code whole}'s id replaces the sum. A single part is
   * {@link #peakOf(EngineInfo, HostInfo)}.
   */
  public Peak peakOf(EngineInfo whole, List<EngineInfo> parts, HostInfo host) {
    if (parts.size() <= 1) {
      return peakOf(parts.isEmpty() ? whole : parts.get(0), host);
    }
    double f = 0;
    double b = 0;
    boolean hostCounted = false;
    Set<String> sources = new LinkedHashSet<>();
    for (EngineInfo part : parts) {
      if (onHost(part)) {
        if (hostCounted) {
          continue; // the same cores as a part already counted
        }
        hostCounted = true;
      }
      Peak p = peakOf(part, host);
      f += p.gflops();
      b += p.gbs();
      sources.add(p.source());
    }
    String source = parts.size() + " devices: " + String.join(" + ", sources) + (hostCounted ? ", the host once" : "");
    // A number for every device applies to each part (above); only one for this row's id replaces the sum.
    Double gf = gflops.get(whole.id());
    Double gb = gbs.get(whole.id());
    if (gf == null && gb == null) {
      return new Peak(f, b, source);
    }
    return new Peak(gf != null ? gf : f, gb != null ? gb : b, source + ", overridden on the command line");
  }

  private static boolean gpuNamed(EngineInfo e, String part) {
    return e.kind().equals("gpu") && e.name().toUpperCase(Locale.ROOT).contains(part);
  }

  /** The Java engine and OpenCL CPU devices run on the host's cores. */
  private static boolean onHost(EngineInfo e) {
    return e.kind().equals("java") || e.kind().equals("cpu");
  }

  private static Map<String, Double> parse(String option, String value) {
    Map<String, Double> out = new LinkedHashMap<>(); // in the order given, so errors name the first bad one
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String part : value.split(",")) {
      String p = part.trim();
      int eq = p.lastIndexOf('=');
      String device = eq < 0 ? ALL : p.substring(0, eq).trim();
      String number = eq < 0 ? p : p.substring(eq + 1).trim();
      double v;
      try {
        v = io.clmix.data.Decimal.parse(number); // as the data files write numbers: no 0x1p3, no 10d
      } catch (NumberFormatException e) {
        v = Double.NaN;
      }
      if (!(v > 0) || Double.isInfinite(v) || device.isEmpty()) {
        throw InputException.parameter(option, "'" + value + "'", "a number > 0, or DEVICE=NUMBER pairs separated by commas");
      }
      if (out.put(device.toLowerCase(Locale.ROOT), v) != null) {
        throw InputException.parameter(option, "'" + value + "'", "one number for each device; "
            + (device.equals(ALL) ? "a plain number (for every device)" : device) + " is given twice");
      }
    }
    return out;
  }
}
