package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code -V} and {@code --version} print the same line for every command that lists them. */
class VersionTest {
  @Test
  void everyCommandsVersionFlagPrintsTheVersionLine() {
    CliRun top = CliRun.of("--version");
    assertEquals(0, top.status(), top.err());
    assertTrue(top.out().startsWith("clmix "), top.out());
    int checked = 0;
    for (Map.Entry<String, CommandLine> e : Main.commandLine().getSubcommands().entrySet()) {
      if (e.getValue().getCommandSpec().findOption("--version") == null) {
        continue; // 'help' has no version flag
      }
      for (String flag : new String[] {"-V", "--version"}) {
        CliRun r = CliRun.of(e.getKey(), flag);
        assertEquals(0, r.status(), e.getKey() + " " + flag + ": " + r.err());
        assertEquals(top.out(), r.out(), e.getKey() + " " + flag);
      }
      checked++;
    }
    assertTrue(checked >= 9, "commands with a version flag: " + checked);
  }
}
