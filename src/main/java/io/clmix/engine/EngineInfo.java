package io.clmix.engine;

/**
 * What a user needs to know about the engine a fit ran on.
 *
 * @param id the identifier accepted by {@code --device}: {@code java}, {@code opencl:P:D}
 * @param name a human-readable description, such as the device's name
 * @param kind {@code java}, {@code gpu}, {@code cpu} or {@code accelerator}
 * @param kernels where an OpenCL engine's kernel configuration came from (the device type's
 *     defaults, or the tuning {@code clmix tune} measured: {@code OpenClEngine.configOrigin});
 *     null for engines without kernels. The same input gives the same bits on one device with
 *     one configuration, so reports carry it
 */
public record EngineInfo(String id, String name, String kind, String kernels) {

  /** An engine without kernel configurations (the Java engine, a combination of engines). */
  public EngineInfo(String id, String name, String kind) {
    this(id, name, kind, null);
  }

  @Override
  public String toString() {
    return id + " (" + name + ")";
  }
}
