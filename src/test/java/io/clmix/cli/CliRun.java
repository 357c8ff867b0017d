package io.clmix.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs the command line in-process and captures what it prints.
 *
 * @param status the exit status
 * @param out everything written to stdout
 * @param err everything written to stderr
 */
public record CliRun(int status, String out, String err) {

  /** Runs {@code clmix args...}. */
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = Main.run(cl, args); // as the command line runs: outputs committed only on success
    return new CliRun(status, out.toString(), err.toString());
  }

  /** The last line of stdout (where --json puts its object). */
  public String lastLine() {
    String[] lines = out.strip().split("\n");
    return lines[lines.length - 1];
  }
}
