package io.clmix.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(names = "--verbose", description = "Print stack traces and details of failures.")
  boolean verbose;

  @Option(names = "--quiet", description = "No progress bar on stderr (it shows only on a terminal, for work over a second).")
  boolean quiet;
}
