package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md shows every command's real help text: each section {@code ## `clmix NAME`} holds
 * a {@code text} block that must equal {@code clmix NAME --help}, and every command has a
 * section. When a command's options change, this test fails and prints the text to paste.
 */
class CliDocTest {
  private static final Path DOC = Path.of("docs", "cli.md");
  private static final Pattern SECTION = Pattern.compile("(?m)^## `clmix( [a-z]+)?`\\s*$");
  private static final Pattern BLOCK = Pattern.compile("```text\\n(.*?)```", Pattern.DOTALL);

  /** The help text of {@code clmix command} ({@code null} for the top level), as picocli prints it. */
  static String help(String command) {
    CommandLine cl = Main.commandLine();
    CommandLine target = command == null ? cl : cl.getSubcommands().get(command);
    StringWriter out = new StringWriter();
    target.usage(new PrintWriter(out, true), CommandLine.Help.Ansi.OFF);
    return normalise(out.toString());
  }

  static String normalise(String s) {
    return s.replaceAll("[ \\t]+(?=\\n|$)", "").strip();
  }

  /** Section name (null for the top level) to the help block the doc shows for it. */
  static Map<String, String> documented() throws IOException {
    String doc = Files.readString(DOC);
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = SECTION.matcher(doc);
    while (m.find()) {
      String name = m.group(1) == null ? null : m.group(1).trim();
      Matcher b = BLOCK.matcher(doc);
      assertTrue(b.find(m.end()), "the section for clmix " + name + " has a ```text block");
      out.put(name, normalise(b.group(1)));
    }
    return out;
  }

  @Test
  void everyHelpBlockInTheDocMatchesTheRealHelp() throws IOException {
    for (Map.Entry<String, String> e : documented().entrySet()) {
      String actual = help(e.getKey());
      assertEquals(actual, e.getValue(), "docs/cli.md is out of date for clmix "
          + (e.getKey() == null ? "" : e.getKey()) + "; its help text is now:\n" + actual + "\n");
    }
  }

  @Test
  void everyCommandIsDocumented() throws IOException {
    Map<String, String> doc = documented();
    assertTrue(doc.containsKey(null), "docs/cli.md documents clmix itself");
    for (String name : Main.commandLine().getSubcommands().keySet()) {
      if (!name.equals("help")) {
        assertTrue(doc.containsKey(name), "docs/cli.md has a section for clmix " + name);
      }
    }
  }
}
