package io.clmix.cli;

import io.clmix.data.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code clmix help [COMMAND]}: the overview, or one command's help, on standard output.
 *
 * <p>It replaces picocli's {@link CommandLine.HelpCommand}, which picocli runs as a help request:
 * the arguments are then not checked, so {@code clmix help -x} printed the overview and exited 0,
 * as if it had been asked for, and a word that is not a command was refused in picocli's own
 * words. Here the arguments are parsed as any command's are (an unknown option is a usage error,
 * status 2), and a word that is not a command gets the line {@code clmix WORD} gets.
 */
@Command(name = "help",
    description = "Display help information about the specified command.")
final class HelpCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "The command whose help to show.")
  String command;

  @Override
  public void run() {
    CommandLine top = spec.commandLine().getParent();
    if (command == null) {
      top.usage(top.getOut());
      return;
    }
    CommandLine sub = top.getSubcommands().get(command);
    if (sub == null) {
      throw new InputException(ErrorHandler.notACommand(top, command));
    }
    sub.usage(top.getOut());
  }
}
