package io.clmix.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole benchmark: what ran, where, what it cost, and one row per device.
 *
 * @param spec the workload
 * @param cost flops and bytes of one iteration
 * @param host the machine
 * @param generateSeconds seconds to generate the data
 * @param loadBefore the 1-minute system load average before the first device (-1 when unknown):
 *     other work on the machine slows every figure
 * @param loadAfter the same after the last device
 * @param rows one per device, in the order measured
 */
public record BenchReport(BenchSpec spec, CostModel.Cost cost, HostInfo host, double generateSeconds,
    double loadBefore, double loadAfter, List<BenchRow> rows) {

  public BenchReport {
    rows = List.copyOf(rows);
  }

  /** How peak memory was measured, for the report's readers. */
  public static final String MEMORY_METHOD = "rssPeakMiB: VmHWM of /proc/self/status, reset before each device by "
      + "writing 5 to /proc/self/clear_refs (rssSinceReset=false: the whole process's peak); heapPeakMiB: sum of the "
      + "JVM heap pools' peak usage, reset before each device. Both include the generated data.";

  /** The workload's columns followed by the row's, as the CSV file writes every row. */
  public Map<String, Object> rowFields(BenchRow row) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("algo", spec.algo().id());
    f.put("covariance", spec.covariance() == null ? null : spec.covariance().id());
    f.put("n", spec.n());
    f.put("d", spec.d());
    f.put("k", spec.k());
    f.put("iterations", spec.iterations());
    f.put("repeats", spec.repeats());
    f.put("seed", spec.seed());
    f.putAll(row.fields());
    return f;
  }
}
