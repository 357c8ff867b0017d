package io.clmix.engine.pruning;

/**
 * Whether the engines prune their Lloyd passes with Hamerly's bounds ({@link BoundTest}). Pruned
 * and unpruned passes return the same bits (labels, statistics, inertia, changed counts), so the
 * switch only exists to measure the difference and to test exactly that.
 *
 * <p>The default is on; {@code -Dclmix.pruning=false} turns it off for engines created without an
 * explicit choice (the Java engine's constructors take one; the OpenCL engine reads it through
 * its {@code KernelConfig}).
 */
public final class Pruning {
  /** The system property: {@code false} disables pruning by default. */
  public static final String PROPERTY = "clmix.pruning";

  private Pruning() {}

  /** The default: on unless {@code clmix.pruning} is {@code false}. */
  public static boolean enabledByDefault() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
  }
}
