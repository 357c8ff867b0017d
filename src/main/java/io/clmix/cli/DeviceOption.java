package io.clmix.cli;

import io.clmix.engine.Engine;
import io.clmix.engine.EngineSelector;
import io.clmix.engine.FallbackEngine;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Option;

/** The {@code --device} option and the one-time fallback warning. */
final class DeviceOption {
  @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
      description = "auto (an OpenCL GPU, else Java), java, java:THREADS, opencl, opencl:P:D as 'clmix devices' "
          + "lists them, opencl:all, or a comma-separated list (the data are sharded across the devices). "
          + "Default: ${DEFAULT-VALUE}.")
  String device;

  /** Opens the engine; in auto mode a fallback is reported once on stderr. */
  EngineSelector.Selection open(PrintWriter err) {
    EngineSelector.Selection sel = EngineSelector.select(device);
    if (sel.fallback() != null) {
      err.println("clmix: warning: using the Java engine: " + ErrorHandler.firstLine(sel.fallback()));
      err.flush();
    }
    warnOnFallback(sel.engine(), err);
    return sel;
  }

  /** When {@code engine} guards a device, its first fallback during the command is one warning line. */
  static void warnOnFallback(Engine engine, PrintWriter err) {
    if (engine instanceof FallbackEngine guarded) {
      // A device that fails mid-fit is reported once, however many sessions notice it.
      AtomicBoolean warned = new AtomicBoolean();
      guarded.onFallback(reason -> {
        if (warned.compareAndSet(false, true)) {
          err.println("clmix: warning: " + ErrorHandler.firstLine(reason));
          err.flush();
        }
      });
    }
  }
}
