package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code clmix} without a command, or with a word that is not one, is a usage error of one line
 * (with --verbose too); {@code clmix --help} is not an error.
 */
class NoCommandTest {
  @Test
  void noCommandIsOneLineAndStatusTwoNamingTheCommands() {
    CliRun r = CliRun.of();
    assertEquals(2, r.status(), r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().startsWith("clmix: error: no command given; expected one of "), r.err());
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      assertTrue(r.err().contains(command), command + " in " + r.err());
    }
  }

  @Test
  void anUnknownCommandIsNamedWithTheSameListAsNoCommand() {
    String expected = Main.expectedCommands(Main.commandLine());
    CliRun r = CliRun.of("foo", "data.csv");
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: 'foo' is not a command; " + expected + "\n", r.err());
    assertTrue(CliRun.of().err().endsWith("no command given; " + expected + "\n"), "the same list");
  }

  @Test
  void aMisspeltCommandGetsPicocliSuggestionInTheLine() {
    CliRun r = CliRun.of("prdict");
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: 'prdict' is not a command (did you mean predict?); "
        + Main.expectedCommands(Main.commandLine()) + "\n", r.err());
  }

  @Test
  void helpOnAWordThatIsNotACommandSaysWhatTheWordAloneSays() {
    // Picocli's help command said "Unknown subcommand 'foo'.", in other words than 'clmix foo'.
    for (String word : new String[] {"foo", "prdict"}) {
      CliRun help = CliRun.of("help", word);
      assertEquals(2, help.status(), help.err());
      assertEquals("", help.out());
      assertEquals(CliRun.of(word).err(), help.err());
    }
    assertTrue(CliRun.of("help", "prdict").err().contains("(did you mean predict?)"));
    CliRun known = CliRun.of("help", "fit");
    assertEquals(0, known.status(), known.err());
    assertTrue(known.out().startsWith("Usage: clmix fit"), known.out());
  }

  @Test
  void usageErrorsStayOneLineWithVerbose() {
    // --verbose is an option of the commands; before one it is an unknown option of clmix's.
    CliRun top = CliRun.of("--verbose");
    assertEquals(2, top.status(), top.err());
    assertEquals("clmix: error: unknown option '--verbose' (see 'clmix --help')\n", top.err());
    CliRun fit = CliRun.of("fit", "data.csv", "-k", "2", "--verbose", "--bogus");
    assertEquals(2, fit.status(), fit.err());
    assertEquals("clmix: error: unknown option '--bogus' (see 'clmix fit --help')\n", fit.err());
    CliRun missing = CliRun.of("fit", "--verbose", "-k", "2");
    assertEquals("clmix: error: Missing required parameter: 'DATA' (see 'clmix fit --help')\n", missing.err());
  }

  @Test
  void helpStillPrintsTheOverview() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Usage: clmix"), r.out());
  }
}
