package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar's line: redrawn in place, cut to the terminal's width, and wiped when done. */
class TerminalLineTest {
  @Test
  void aBarIsRedrawnInPlaceAndLeavesNothingWhenDone() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    TerminalLine line = new TerminalLine(out, 12);
    line.accept("fit 0% [   ]");
    line.accept("fit 50%");
    line.accept("fit 100% [###] 2/2");
    line.close();
    assertEquals("\rfit 0% [   ]" + "\rfit 50%" + " ".repeat(5) + "\rfit 100% [##" + "\r" + " ".repeat(12) + "\r",
        bytes.toString(StandardCharsets.UTF_8));
    // What a terminal shows after those bytes: the line is blank, and no line break was added.
    StringBuilder screen = new StringBuilder();
    int col = 0;
    for (char c : bytes.toString(StandardCharsets.UTF_8).toCharArray()) {
      if (c == '\r') {
        col = 0;
      } else {
        if (col < screen.length()) {
          screen.setCharAt(col, c);
        } else {
          screen.append(c);
        }
        col++;
      }
    }
    assertEquals("", screen.toString().strip());
  }
}
