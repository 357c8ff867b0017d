package io.clmix.cli;

import picocli.CommandLine;

/** The version picocli prints for {@code --version}, from the jar's manifest when there is one. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"clmix " + of()};
  }

  /** The implementation version of the running jar, or "dev" when run from classes. */
  static String of() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
