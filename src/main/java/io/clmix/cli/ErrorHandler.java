package io.clmix.cli;

import io.clmix.engine.EngineException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into clmix's exit statuses and one-line messages: bad input and usage give
 * status 2 and {@code clmix: error: <what and where>}; anything else is an internal error,
 * status 1. Stack traces appear only with {@code --verbose}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  static final int INPUT_ERROR = 2;
  static final int INTERNAL_ERROR = 1;

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String cmd = cl.getCommandSpec().qualifiedName();
    err.println("clmix: error: " + oneLine(ex.getMessage()) + " (see '" + cmd + " --help')");
    if (verbose(args)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return INPUT_ERROR;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    PrintWriter err = cl.getErr();
    boolean verbose = verbose(parsed.originalArgs().toArray(new String[0]));
    int status;
    if (outOfMemory(ex)) {
      // A worker thread's OutOfMemoryError, passed on wrapped (the command's own is Main's).
      err.println("clmix: error: " + Main.outOfMemory());
      status = INPUT_ERROR;
    } else if (ex instanceof IllegalArgumentException || ex instanceof CommandLine.ParameterException) {
      // InputException and validation failures of the library: the user can fix them.
      err.println("clmix: error: " + oneLine(ex.getMessage()));
      status = INPUT_ERROR;
    } else if (ex instanceof EngineException) {
      err.println("clmix: error: device failure: " + oneLine(ex.getMessage()));
      status = INTERNAL_ERROR;
    } else {
      err.println("clmix: internal error: " + oneLine(String.valueOf(ex)) + (verbose ? "" : " (run with --verbose for details)"));
      status = INTERNAL_ERROR;
    }
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  private static boolean outOfMemory(Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  static boolean verbose(String[] args) {
    for (String a : args) {
      if (a.equals("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Messages are one line: a multi-line cause (a kernel build log) is shown with --verbose only. */
  static String oneLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " ...";
  }
}
