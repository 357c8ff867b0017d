package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;

/**
 * A device that makes passes over data: the pure-Java engine, an OpenCL device, or several
 * devices together. An engine owns device-wide resources (thread pools, OpenCL contexts,
 * compiled programs) and opens a {@link DataSession} per data set.
 *
 * <p>Engines never contain convergence logic; algorithms never touch a device API.
 */
public interface Engine extends AutoCloseable {

  /** What this engine is, for reports and {@code --device}. */
  EngineInfo info();

  /**
   * Puts {@code data} on the device (uploading it once) for a sequence of passes.
   *
   * @return a session the caller closes (try-with-resources), before the engine
   * @throws InputException when {@code data} is null, or when a device named by the user
   *     ({@link EngineSelector#select}) cannot hold or process the data
   * @throws EngineException when the device cannot hold or process the data
   * @throws IllegalStateException when this engine is closed
   */
  DataSession open(Dataset data);

  /**
   * Rows that a shard boundary should be a multiple of, for this engine's passes over a shard of
   * {@code data} to form the work-groups its passes over all of {@code data} form
   * ({@link ShardedEngine} cuts there, so that the shards' chained sums are one device's
   * bits). 1, the default: any boundary serves (or none gives one device's bits).
   */
  default long shardRows(Dataset data) {
    return 1;
  }

  /** Releases everything the engine holds. Idempotent; sessions must be closed first. */
  @Override
  void close();

  /** {@code data}, what {@link #open} takes; refused, naming it, when null. */
  static Dataset requiredData(Dataset data) {
    return InputException.required(data, "data", "a data set");
  }

  /** {@code engine}, the engine argument of a library call; refused, naming it, when null. */
  static Engine required(Engine engine) {
    return InputException.required(engine, "engine",
        "an engine (EngineSelector.select(...).engine(), new JavaEngine(threads))");
  }
}
