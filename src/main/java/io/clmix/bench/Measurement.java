package io.clmix.bench;

import io.clmix.engine.EngineInfo;
import java.util.List;

/**
 * What was measured on one device, before it is set against the cost model, the device's peak
 * and the reference objective (see {@link BenchRow}).
 *
 * @param device the device as asked for ({@code java}, {@code opencl:0:0})
 * @param engine what the engine said it is, or null when it could not be created
 * @param error why the device failed (first line of the message), or null
 * @param engineSeconds wall seconds to create the engine in this process (OpenCL: context and kernel
 *     builds; the Java engine: mostly loading its classes, which the first engine of a process pays)
 * @param uploadSeconds seconds to open the session (the data's upload; OpenCL also builds the
 *     kernels for this dimension); NaN on the Java engine, which uploads nothing
 * @param iterationSeconds every timed iteration of every repeat (the warm-up excluded)
 * @param objective final objective of the last repeat; NaN when none finished
 * @param cpuPerWall process CPU time over wall time during the timed runs (NaN when unknown)
 * @param memory peak host memory while the device ran
 * @param parts the engines that worked as one for a list of devices ({@code ShardedEngine}),
 *     else the engine alone (none when it could not be created): their peaks make the row's
 */
record Measurement(String device, EngineInfo engine, String error, double engineSeconds, double uploadSeconds,
    double[] iterationSeconds, double objective, double cpuPerWall, HostMemory.Sample memory, List<EngineInfo> parts) {

  Measurement {
    parts = List.copyOf(parts);
  }

  /** A measurement of one engine (or of none). */
  Measurement(String device, EngineInfo engine, String error, double engineSeconds, double uploadSeconds,
      double[] iterationSeconds, double objective, double cpuPerWall, HostMemory.Sample memory) {
    this(device, engine, error, engineSeconds, uploadSeconds, iterationSeconds, objective, cpuPerWall, memory,
        engine == null ? List.of() : List.of(engine));
  }
}
