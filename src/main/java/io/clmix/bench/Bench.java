package io.clmix.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The device-comparison benchmark: the same workload, from the same start, for the same number
 * of iterations, on every device asked for; one {@link BenchRow} per device.
 *
 * <pre>{@code
 * BenchSpec spec = new BenchSpec(BenchSpec.Algo.KMEANS, null, 500_000, 32, 64, 20, 3, 0);
 * BenchReport r = Bench.run(Workload.generate(spec), "java,opencl:0:0", PeakTable.known(), BenchListener.NONE);
 * }</pre>
 *
 * <p>Devices run one after the other, never concurrently, so they do not compete for the host.
 * The objective of every device is compared with the first Java engine row's: engines that do
 * the same arithmetic in a different order agree to a few float32 roundings.
 */
public final class Bench {
  private Bench() {}

  /**
   * Checks what {@link #run} checks before it measures anything, so that a caller can do so
   * before generating the workload: that {@code devices} can be read, that the devices it names
   * exist, and that {@code peaks} gives per-device figures only for devices it measures.
   *
   * @throws io.clmix.data.InputException naming the option and the entry at fault
   */
  public static void check(String devices, PeakTable peaks) {
    plan(devices, peaks);
  }

  /**
   * Measures {@code devices} ({@code all}, {@code gpus}, {@code none}, or a comma-separated list
   * of {@code --device} specifications) on {@code workload}. A device that exists but fails is
   * reported in its row.
   *
   * @param generateSeconds how long generating the workload took, for the report
   * @throws io.clmix.data.InputException as {@link #check} does, before anything runs
   */
  public static BenchReport run(Workload workload, String devices, PeakTable peaks, BenchListener listener,
      double generateSeconds) {
    List<DeviceList.Choice> choices = plan(devices, peaks);
    HostInfo host = HostInfo.current();
    double loadBefore = loadAverage();
    List<Measurement> measured = new ArrayList<>();
    for (int i = 0; i < choices.size(); i++) {
      DeviceList.Choice c = choices.get(i);
      listener.deviceStarted(c.spec(), i, choices.size());
      Measurement m = DeviceBench.measure(c, workload, listener);
      measured.add(m);
      listener.deviceDone(c.spec(), Timings.median(m.iterationSeconds()), m.error());
    }
    double reference = Double.NaN;
    for (Measurement m : measured) {
      if (m.error() == null && m.engine() != null && m.engine().kind().equals("java")) {
        reference = m.objective();
        break;
      }
    }
    CostModel.Cost cost = CostModel.perIteration(workload.spec());
    List<BenchRow> rows = new ArrayList<>();
    for (Measurement m : measured) {
      PeakTable.Peak peak = m.engine() == null ? PeakTable.Peak.UNKNOWN : peaks.peakOf(m.engine(), m.parts(), host);
      rows.add(BenchRow.of(m, cost, peak, reference));
    }
    return new BenchReport(workload.spec(), cost, host, generateSeconds, loadBefore, loadAverage(), rows);
  }

  /** The devices to measure, after checking them and the peaks against them. */
  private static List<DeviceList.Choice> plan(String devices, PeakTable peaks) {
    List<DeviceList.Choice> choices = DeviceList.resolve(devices);
    Set<String> ids = new LinkedHashSet<>();
    for (DeviceList.Choice c : choices) {
      if (c.id() != null) {
        ids.add(c.id());
      }
    }
    peaks.checkDevices(ids);
    return choices;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
