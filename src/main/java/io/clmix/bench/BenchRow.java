package io.clmix.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One device's line of the report. Rates are per iteration: the median seconds of all timed
 * iterations, the {@link CostModel}'s flops and bytes divided by it, and those rates as
 * fractions of the device's {@link PeakTable.Peak}. Unknown values are NaN (or -1 for
 * memory), printed as "n/a" and written as empty (CSV) or null (JSON).
 *
 * @param device the device as asked for ({@code java}, {@code opencl:0:0})
 * @param name the engine's description, or "" when it could not be created
 * @param kind {@code java}, {@code gpu}, {@code cpu}, {@code accelerator}, or "" when unknown
 * @param kernels where an OpenCL device's kernel configuration came from
 *     ({@link io.clmix.engine.EngineInfo#kernels}: defaults, or the tuning {@code clmix tune}
 *     measured); null for the Java engine and devices that did not start
 * @param error why the device failed, or null when it ran
 * @param engineSeconds wall seconds to create the engine in this process ({@link Measurement})
 * @param uploadSeconds seconds to open the session: the data's upload (and, on OpenCL, the
 *     kernel build for this dimension); NaN on the Java engine, which uploads nothing
 * @param secondsPerIteration median seconds per iteration over all timed iterations
 * @param minSecondsPerIteration the fastest iteration
 * @param timedIterations how many iterations the median is over (repeats x iterations)
 * @param gflops achieved GFLOP/s at the median
 * @param gbs achieved GB/s at the median
 * @param peakGflops the device's peak GFLOP/s, NaN when unknown
 * @param peakGbs the device's peak GB/s, NaN when unknown
 * @param peakSource where the peaks come from
 * @param flopFraction gflops / peakGflops
 * @param bandwidthFraction gbs / peakGbs
 * @param rssPeakMiB peak resident memory of the process while the device ran (MiB), -1 when unknown
 * @param rssSinceReset whether the RSS peak was reset before this device (else: process lifetime)
 * @param heapPeakMiB sum of the JVM heap pools' peaks while the device ran (MiB)
 * @param cpuPerWall process CPU seconds per wall-clock second during the timed runs: the cores
 *     the run kept busy (well below the engine's thread count on a busy machine); NaN when
 *     unknown or when the timed runs took under half a second, too short for the CPU clock
 * @param objective final inertia (K-means) or lower bound (mixture)
 * @param objectiveRelDiff |objective - java's| / |java's|; NaN without a Java row
 */
public record BenchRow(String device, String name, String kind, String kernels, String error, double engineSeconds,
    double uploadSeconds, double secondsPerIteration, double minSecondsPerIteration, int timedIterations,
    double gflops, double gbs, double peakGflops, double peakGbs, String peakSource, double flopFraction,
    double bandwidthFraction, double rssPeakMiB, boolean rssSinceReset, double heapPeakMiB, double cpuPerWall,
    double objective, double objectiveRelDiff) {

  private static final double MIB = 1 << 20;

  /** Whether the device ran to the end. */
  public boolean ok() {
    return error == null;
  }

  /** Sets a measurement against the cost model, the device's peak and the reference objective. */
  static BenchRow of(Measurement m, CostModel.Cost cost, PeakTable.Peak peak, double referenceObjective) {
    double median = Timings.median(m.iterationSeconds());
    double gflops = cost.flops() / median / 1e9;
    double gbs = cost.bytes() / median / 1e9;
    // Equal objectives differ by 0, also where both are 0 (K-means with a centre on every row),
    // which the division would make 0/0: NaN, "n/a", as if there were no Java row.
    double rel = m.objective() == referenceObjective ? 0
        : Math.abs(m.objective() - referenceObjective) / Math.abs(referenceObjective);
    HostMemory.Sample mem = m.memory();
    return new BenchRow(m.device(), m.engine() == null ? "" : m.engine().name(),
        m.engine() == null ? "" : m.engine().kind(), m.engine() == null ? null : m.engine().kernels(), m.error(),
        m.engineSeconds(), m.uploadSeconds(), median,
        Timings.min(m.iterationSeconds()), m.iterationSeconds().length, gflops, gbs, peak.gflops(), peak.gbs(),
        peak.source(), gflops / peak.gflops(), gbs / peak.gbs(),
        mem.rssPeakBytes() < 0 ? -1 : mem.rssPeakBytes() / MIB, mem.rssSinceReset(), mem.heapPeakBytes() / MIB,
        m.cpuPerWall(), m.objective(), rel);
  }

  /**
   * The row's values by column name, in column order: the one definition of the columns that
   * the JSON and CSV files share.
   */
  public Map<String, Object> fields() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("device", device);
    f.put("name", name);
    f.put("kind", kind);
    f.put("status", ok() ? "ok" : "failed");
    f.put("error", error);
    f.put("engineSeconds", engineSeconds);
    f.put("uploadSeconds", uploadSeconds);
    f.put("secondsPerIteration", secondsPerIteration);
    f.put("minSecondsPerIteration", minSecondsPerIteration);
    f.put("timedIterations", timedIterations);
    f.put("gflops", gflops);
    f.put("gbs", gbs);
    f.put("peakGflops", peakGflops);
    f.put("peakGbs", peakGbs);
    f.put("peakSource", peakSource);
    f.put("flopFraction", flopFraction);
    f.put("bandwidthFraction", bandwidthFraction);
    f.put("rssPeakMiB", rssPeakMiB < 0 ? Double.NaN : rssPeakMiB);
    f.put("rssSinceReset", rssSinceReset);
    f.put("heapPeakMiB", heapPeakMiB);
    f.put("cpuPerWall", cpuPerWall);
    f.put("objective", objective);
    f.put("objectiveRelDiff", objectiveRelDiff);
    f.put("kernels", kernels); // last, so that readers of earlier files by position are not shifted
    return f;
  }
}
