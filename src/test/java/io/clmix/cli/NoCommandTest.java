package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code clmix} without a command is a usage error; {@code clmix --help} is not. */
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
  void helpStillPrintsTheOverview() {
    CliRun r = CliRun.of("--help");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("Usage: clmix"), r.out());
  }
}
