package io.clmix.cli;

/**
 * Thrown by a command that streams rows to standard output once a write there has failed (a
 * reader that went away, as {@code | head} does, or a full disk): the rows left would go
 * nowhere, so the command stops computing them. The command returns normally, and
 * {@link Main#run(String...)} decides from why the write failed whether that was success (the
 * reader wanted no more) or an error.
 */
final class StandardOutputClosed extends RuntimeException {
  StandardOutputClosed() {
    super("standard output is closed", null, false, false);
  }

  /**
   * Throws when {@code out} has failed a write (checkError also flushes it). picocli's writer
   * for standard output goes through {@code System.out}, a PrintStream that keeps its failures to
   * itself, so that is asked too (as {@link Main#run(String...)} does).
   */
  static void check(java.io.PrintWriter out) {
    if (out.checkError() | System.out.checkError()) {
      throw new StandardOutputClosed();
    }
  }
}
