package io.clmix.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Draws the progress bar on one terminal line, redrawn in place with a carriage return, and
 * clears that line when the bar is done, leaving nothing behind.
 *
 * <p>The progress bar library chooses its own consumer by probing the terminal; where the probe
 * finds no cursor movement (a terminal it does not recognise, {@code script}) it picks one that
 * cannot clear and ends the bar with a line break, so a stale {@code fit 0% [...]} line stayed
 * above the report. A carriage return and spaces clear a line on any terminal.
 */
final class TerminalLine implements ProgressBarConsumer {
  private final PrintStream out;
  private final int width;
  private final boolean owned;
  private int drawn;

  TerminalLine(PrintStream out, int width) {
    this(out, width, false);
  }

  private TerminalLine(PrintStream out, int width, boolean owned) {
    this.out = out;
    this.width = Math.max(10, width);
    this.owned = owned;
  }

  /** A line on {@code out} (standard error) as wide as the library finds the terminal. */
  static TerminalLine on(PrintStream out) {
    return sized(out, false);
  }

  /** A line on {@code out} (the terminal, opened for the bar), closed with the bar. */
  static TerminalLine owning(PrintStream out) {
    return sized(out, true);
  }

  private static TerminalLine sized(PrintStream out, boolean owned) {
    return new TerminalLine(out, new ConsoleProgressBarConsumer(out).getMaxRenderedLength(), owned);
  }

  @Override
  public int getMaxRenderedLength() {
    return width;
  }

  @Override
  public synchronized void accept(String rendered) {
    String s = rendered.length() > width ? rendered.substring(0, width) : rendered;
    // Spaces over what a longer previous line left past this one's end.
    out.print('\r' + s + " ".repeat(Math.max(0, drawn - s.length())));
    out.flush();
    drawn = s.length();
  }

  @Override
  public synchronized void clear() {
    if (drawn > 0) {
      out.print('\r' + " ".repeat(drawn) + '\r');
      out.flush();
      drawn = 0;
    }
  }

  @Override
  public synchronized void close() {
    clear();
    if (owned) {
      out.close();
    }
  }
}
