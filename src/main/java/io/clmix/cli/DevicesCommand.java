package io.clmix.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clmix.engine.EngineException;
import io.clmix.engine.EngineSelector;
import io.clmix.engine.opencl.ClDeviceInfo;
import io.clmix.engine.opencl.OpenCl;
import io.clmix.engine.opencl.TuningCache;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clmix devices}: every engine clmix can run on, and which one {@code auto} picks. */
@Command(name = "devices", sortOptions = false, mixinStandardHelpOptions = true,
    description = "List the OpenCL platforms and devices and the Java engine, marking what --device auto picks.")
final class DevicesCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<ClDeviceInfo> devices = List.of();
    String openClProblem = null;
    try {
      devices = OpenCl.devices();
    } catch (EngineException e) {
      openClProblem = e.getMessage();
    }
    EngineSelector.AutoChoice auto = EngineSelector.autoChoice(devices);
    int threads = Runtime.getRuntime().availableProcessors();
    TuningCache tuning = TuningCache.fromEnvironment();
    if (json) {
      ObjectNode root = Printing.JSON.createObjectNode();
      root.put("auto", auto.id());
      root.put("autoReason", openClProblem != null ? openClProblem : auto.reason());
      ArrayNode list = root.putArray("devices");
      for (ClDeviceInfo d : devices) {
        ObjectNode o = list.addObject();
        o.put("id", d.id());
        o.put("platform", d.platformName());
        o.put("name", d.name());
        o.put("vendor", d.vendor());
        o.put("type", d.type());
        o.put("computeUnits", d.computeUnits());
        o.put("globalMemBytes", d.globalMemBytes());
        o.put("maxAllocBytes", d.maxAllocBytes());
        o.put("localMemBytes", d.localMemBytes());
        o.put("fp64", d.fp64());
        o.put("clockMHz", d.clockMHz());
        o.put("version", d.version());
        o.put("driverVersion", d.driverVersion());
        o.put("auto", d.id().equals(auto.id()));
        TuningCache.Lookup t = tuning.lookup(d);
        ObjectNode tn = o.putObject("tuning");
        tn.put("status", t.status().name().toLowerCase(Locale.ROOT));
        tn.put("config", t.spec());
        tn.put("file", t.file() == null ? null : t.file().toString());
      }
      ObjectNode java = list.addObject();
      java.put("id", "java");
      java.put("name", "Java engine");
      java.put("type", "java");
      java.put("threads", threads);
      java.put("auto", auto.id().equals("java"));
      if (openClProblem != null) {
        root.put("openclError", openClProblem);
      }
      out.println(Printing.compact(root));
    } else {
      if (openClProblem != null) {
        // The engine's message begins with the same words; say them once.
        String prefix = "OpenCL is not available: ";
        out.println("OpenCL: not available: "
            + (openClProblem.startsWith(prefix) ? openClProblem.substring(prefix.length()) : openClProblem));
      } else if (devices.isEmpty()) {
        out.println("OpenCL: no devices");
      }
      String platform = null;
      for (ClDeviceInfo d : devices) {
        if (!d.platformName().equals(platform)) {
          platform = d.platformName();
          out.printf("platform %d: %s%n", d.platformIndex(), platform);
        }
        out.printf(Locale.ROOT, "%s %-14s %s%n", d.id().equals(auto.id()) ? "*" : " ", d.id(), d.name());
        out.printf(Locale.ROOT, "    %s, %d compute units, %d MHz, %.1f GiB global, %.1f GiB max allocation, %d KiB local, fp64 %s%n",
            d.type(), d.computeUnits(), d.clockMHz(), gib(d.globalMemBytes()), gib(d.maxAllocBytes()),
            d.localMemBytes() >> 10, d.fp64() ? "yes" : "no");
        out.printf("    %s, driver %s%n", d.version(), d.driverVersion());
        out.printf("    kernels %s%n", tuning.lookup(d).describe());
      }
      out.printf("%s %-14s Java engine, %d threads%n", auto.id().equals("java") ? "*" : " ", "java", threads);
      out.printf("* = what --device auto picks (%s)%n", auto.reason());
    }
    out.flush();
    return 0;
  }

  private static double gib(long bytes) {
    return bytes / (double) (1L << 30);
  }
}
