package io.clmix.engine;

/**
 * Where and how a device failed during a fit, worded for the report's {@code fallback} field
 * and for error messages: which device, in which pass (the n-th call on the session, or while
 * receiving the data), what kind of failure and the device's own message.
 *
 * @param device the engine that failed
 * @param pass the 1-based number of the call on the session that failed; 0 while opening it
 * @param call the name of that call ({@code assign}, {@code expect}, ...; {@code open} for 0)
 * @param kind what kind of failure
 * @param message the device's message, first line only (a build log is left to --verbose)
 */
public record DeviceFailure(EngineInfo device, long pass, String call, EngineException.Kind kind, String message) {

  /** The failure {@code e} of {@code device} in pass {@code pass}, a call to {@code call}. */
  static DeviceFailure of(EngineInfo device, long pass, String call, EngineException e) {
    return new DeviceFailure(device, pass, call, e.kind(), firstLine(e.getMessage()));
  }

  /** E.g. {@code "opencl:0:0 (GeForce RTX 4090) ran out of memory in pass 12 (assign): <message>"}. */
  public String describe() {
    String where = pass == 0 ? "while receiving the data" : "in pass " + pass + " (" + call + ")";
    return device + " " + verb() + " " + where + ": " + message;
  }

  private String verb() {
    switch (kind) {
      case ALLOCATION:
        return "ran out of memory";
      case LOCAL_MEMORY:
        return "cannot run data this wide";
      case BUILD:
        return "could not build a kernel";
      case UNAVAILABLE:
        return "became unavailable";
      default:
        return "failed";
    }
  }

  private static String firstLine(String s) {
    if (s == null || s.isBlank()) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
