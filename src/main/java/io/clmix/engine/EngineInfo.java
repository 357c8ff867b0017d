package io.clmix.engine;

/**
 * What a user needs to know about the engine a fit ran on.
 *
 * @param id the identifier accepted by {@code --device}: {@code java}, {@code opencl:P:D}
 * @param name a human-readable description, such as the device's name
 * @param kind {@code java}, {@code gpu}, {@code cpu} or {@code accelerator}
 */
public record EngineInfo(String id, String name, String kind) {
  @Override
  public String toString() {
    return id + " (" + name + ")";
  }
}
