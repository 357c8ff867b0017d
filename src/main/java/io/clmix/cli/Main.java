package io.clmix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code clmix} command line: K-means and Gaussian mixtures on GPUs through OpenCL, with a
 * pure-Java engine wherever OpenCL is missing.
 *
 * <p>Exit status: 0 on success; 2 on bad input or usage, with one line on stderr beginning
 * {@code clmix: error:} (a stack trace only with {@code --verbose}); 1 on an internal failure.
 */
@Command(name = "clmix",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "K-means and Gaussian mixtures on GPUs through OpenCL, with a pure-Java engine wherever OpenCL is missing.",
    subcommands = {
        DemoCommand.class,
        FitCommand.class,
        PredictCommand.class,
        ScoreCommand.class,
        SelectCommand.class,
        PlotCommand.class,
        DevicesCommand.class,
        GenerateCommand.class,
        BenchCommand.class,
        CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit status (tests call this instead of main). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, with clmix's error handling. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    ErrorHandler errors = new ErrorHandler();
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // Every command lists -V, --version (mixinStandardHelpOptions), but picocli does not pass
    // the top level's version provider down: without this, 'clmix fit -V' printed nothing.
    Version version = new Version();
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.getCommandSpec().versionProvider(version);
    }
    return cl;
  }

  @Override
  public void run() {
    // "clmix" alone prints the overview.
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
