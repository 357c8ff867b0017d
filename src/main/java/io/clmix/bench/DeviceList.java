package io.clmix.bench;

import io.clmix.data.InputException;
import io.clmix.engine.EngineException;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.OpenCl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@code --devices} into the devices to measure: {@code all} is every OpenCL device
 * {@link OpenCl#devices()} finds, then the Java engine; {@code gpus} is every OpenCL GPU (for
 * sizes the Java engine would take minutes over); otherwise a comma-separated list of
 * {@code --device} specifications ({@code java,opencl:0:0}); {@code none} measures nothing
 * (to export the data and the start only).
 */
final class DeviceList {
  private DeviceList() {}

  /**
   * One device to measure.
   *
   * @param spec the specification {@link io.clmix.engine.EngineSelector} takes
   * @param unavailable why it cannot run at all (OpenCL missing under {@code all}), or null
   */
  record Choice(String spec, String unavailable) {}

  static List<Choice> resolve(String arg) {
    String a = arg == null ? "all" : arg.trim().toLowerCase(Locale.ROOT);
    List<Choice> out = new ArrayList<>();
    if (a.equals("none")) {
      return out;
    }
    if (a.equals("all") || a.equals("gpus")) {
      boolean gpusOnly = a.equals("gpus");
      try {
        for (ClDeviceInfo d : OpenCl.devices()) {
          if (!gpusOnly || d.isGpu()) {
            out.add(new Choice(d.id(), null));
          }
        }
        if (gpusOnly && out.isEmpty()) {
          out.add(new Choice("opencl", "no OpenCL GPU found"));
        }
      } catch (EngineException | LinkageError e) {
        // A missing OpenCL is a row of its own, so the report says why no device was measured.
        out.add(new Choice("opencl", firstLine(e.getMessage())));
      }
      if (!gpusOnly) {
        out.add(new Choice("java", null));
      }
      return out;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String part : a.split(",")) {
      if (!part.isBlank()) {
        seen.add(part.trim());
      }
    }
    if (seen.isEmpty()) {
      throw InputException.parameter("--devices", "'" + arg + "'", "all, gpus, none, or a comma-separated list such as java,opencl:0:0");
    }
    for (String s : seen) {
      out.add(new Choice(s, null));
    }
    return out;
  }

  /** The first line of a message (build logs follow on later lines). */
  static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " ...";
  }
}
