package io.clmix.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output as {@link Main#main} installs it: an output stream that remembers the last
 * failure of a write or flush, so that a reader that went away ({@code | head}) is told apart
 * from a full disk.
 */
final class WatchedOutput extends FilterOutputStream {
  private volatile IOException failure;

  WatchedOutput(OutputStream out) {
    super(out);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /** Whether the last failure was a pipe whose reader had gone: not the command's fault. */
  boolean readerGone() {
    IOException e = failure;
    return e != null && e.getMessage() != null && e.getMessage().contains("Broken pipe");
  }
}
