package io.clmix.cli;

import io.clmix.data.AtomicOutput;
import io.clmix.data.InputException;
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
        TuneCommand.class,
        HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Numbers for people in one style whatever the locale: a German or Turkish locale made
    // 'lower bound -3,38267, BIC 1411,35' of fit's and score's summaries (commas that read as
    // separators), beside tables that were always written with points. (PrintWriter.printf
    // takes the general default, not the FORMAT one.)
    java.util.Locale.setDefault(java.util.Locale.ROOT);
    // Standard output through a stream that remembers why a write failed, so that a reader
    // that went away (| head, | grep -q) is told apart from a full disk.
    WatchedOutput watch = new WatchedOutput(new java.io.FileOutputStream(java.io.FileDescriptor.out));
    System.setOut(new java.io.PrintStream(new java.io.BufferedOutputStream(watch, 1 << 13), false,
        java.nio.charset.Charset.defaultCharset()));
    stdout = watch;
    int status = run(args);
    System.out.flush();
    System.exit(status);
  }

  /** The process's standard output as {@link #main} installed it; null when run otherwise (tests). */
  private static volatile WatchedOutput stdout;

  /**
   * Runs the command line and returns the exit status (tests call this instead of main). The
   * command's output files appear only if it succeeds, all together ({@link AtomicOutput#batch});
   * running out of memory, and failing to write standard output (a full disk behind a
   * redirection; not a reader that went away, as {@code | head} does), are errors of one line
   * and status 2, like bad input.
   */
  public static int run(String... args) {
    return run(commandLine(), args);
  }

  /** {@link #run(String...)} on a command line made by {@link #commandLine()} (tests set its writers). */
  static int run(CommandLine cl, String... args) {
    try (AtomicOutput.Batch outputs = AtomicOutput.batch()) {
      int status = cl.execute(args);
      if (status == 0 && stdoutFailed(cl)) {
        return fail(cl, CANNOT_WRITE_STDOUT, null, args);
      }
      if (status == 0) {
        // The lines about the files are printed once they are in place; should those fail, the
        // files go back too.
        outputs.commit(() -> stdoutFailed(cl) ? new InputException(CANNOT_WRITE_STDOUT) : null);
      }
      return status;
    } catch (InputException e) {
      return fail(cl, ErrorHandler.message(e), e, args);
    } catch (OutOfMemoryError e) {
      return fail(cl, outOfMemory(), e, args);
    }
  }

  private static final String CANNOT_WRITE_STDOUT = "cannot write to standard output";

  /**
   * Whether standard output failed: a full disk or a closed descriptor, so the output is
   * incomplete and the command failed. A reader that stopped reading ({@code | head}) wanted
   * no more; the command still succeeded.
   */
  private static boolean stdoutFailed(CommandLine cl) {
    boolean failed = cl.getOut().checkError() | System.out.checkError();
    WatchedOutput watch = stdout;
    return failed && !(watch != null && watch.readerGone());
  }

  /** The one line for a command that ran out of heap. */
  static String outOfMemory() {
    return "out of memory: the command needs more than the JVM's " + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB of heap; give it more (CLMIX_JAVA_OPTS=-Xmx<size> for ./clmix) or use smaller data or parameters"
        + " (text data files are read onto the heap, float32 .npy files are memory-mapped)";
  }

  private static int fail(CommandLine cl, String message, Throwable cause, String[] args) {
    java.io.PrintWriter err = cl.getErr();
    err.println("clmix: error: " + ErrorHandler.oneLine(message));
    if (cause != null && ErrorHandler.verbose(args)) {
      cause.printStackTrace(err);
    }
    err.flush();
    return ErrorHandler.INPUT_ERROR;
  }

  /** The configured command line, with clmix's error handling. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    ErrorHandler errors = new ErrorHandler();
    cl.setExecutionExceptionHandler(errors);
    cl.setParameterExceptionHandler(errors);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // An empty argument ('' from a script's unset variable) is the current directory to Java;
    // refused here, so the message names the option rather than a file ": is a directory".
    cl.registerConverter(java.nio.file.Path.class, ErrorHandler::filePath);
    // Numbers as the data files write them: Java's own syntax (0x1p3, 1d, 2f) is refused there,
    // so an option taking it would accept what a data file may not.
    cl.registerConverter(Double.class, ErrorHandler::decimal);
    cl.registerConverter(double.class, ErrorHandler::decimal);
    cl.registerConverter(Integer.class, ErrorHandler::integer);
    cl.registerConverter(int.class, ErrorHandler::integer);
    cl.registerConverter(Long.class, ErrorHandler::longInteger);
    cl.registerConverter(long.class, ErrorHandler::longInteger);
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
    // "clmix" alone is a usage error, like any other: one line and status 2 (a script that
    // lost its command word must not carry on as if it had run), naming what is accepted.
    throw new InputException("no command given; " + expectedCommands(spec.commandLine()));
  }

  /**
   * What the first word may be, for the lines of a missing or unknown command:
   * {@code "expected one of demo, fit, ... ('clmix --help' describes them)"}.
   *
   * @param top the top-level command line, whose subcommands are listed
   */
  static String expectedCommands(CommandLine top) {
    return "expected one of " + String.join(", ", top.getSubcommands().keySet()) + " ('clmix --help' describes them)";
  }
}
