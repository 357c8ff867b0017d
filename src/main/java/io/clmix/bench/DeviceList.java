package io.clmix.bench;

import io.clmix.data.InputException;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineSelector;
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
 *
 * <p>A list is checked before anything runs: an entry that is not a device specification, or
 * names a device that does not exist, is the user's error, not a row of the report (a typo
 * would otherwise cost a whole benchmark to notice). Under {@code all} and {@code gpus}, and
 * for a named device that exists but fails, the failure is the device's row.
 */
final class DeviceList {
  private DeviceList() {}

  private static final String ACCEPTS = "all, gpus, none, or a comma-separated list of auto, java, java:THREADS, "
      + "opencl, opencl:P:D or opencl:all";

  /**
   * One device to measure.
   *
   * @param spec the specification {@link EngineSelector} takes
   * @param id the id of the engine it creates ({@link EngineSelector#engineId}), or null when unavailable
   * @param unavailable why it cannot run at all (OpenCL missing under {@code all}), or null
   */
  record Choice(String spec, String id, String unavailable) {}

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
            out.add(new Choice(d.id(), d.id(), null));
          }
        }
        if (gpusOnly && out.isEmpty()) {
          out.add(new Choice("opencl", null, "no OpenCL GPU found"));
        }
      } catch (EngineException | LinkageError e) {
        // A missing OpenCL is a row of its own, so the report says why no device was measured.
        out.add(new Choice("opencl", null, firstLine(e.getMessage())));
      }
      if (!gpusOnly) {
        out.add(new Choice("java", "java", null));
      }
      return out;
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String part : a.split(",", -1)) {
      String s = part.trim();
      if (s.isEmpty()) {
        throw InputException.parameter("--devices", "'" + arg + "'", ACCEPTS + ", with no empty entry");
      }
      if (!(s.equals("auto") || s.equals("java") || s.startsWith("java:") || s.equals("opencl")
          || s.startsWith("opencl:"))) {
        String where = a.contains(",") ? "'" + s + "' in '" + arg + "'" : "'" + s + "'";
        throw InputException.parameter("--devices", where, ACCEPTS);
      }
      seen.add(s);
    }
    for (String s : seen) {
      String id;
      try {
        id = EngineSelector.engineId(s);
      } catch (InputException e) {
        throw renamed(e);
      }
      out.add(new Choice(s, id, null));
    }
    return out;
  }

  /** EngineSelector's message about one device, naming the option it came from here. */
  private static InputException renamed(InputException e) {
    String m = e.getMessage();
    if (m == null || !m.startsWith("--device") || m.startsWith("--devices")) {
      return e;
    }
    return new InputException("--devices" + m.substring("--device".length()), e);
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
