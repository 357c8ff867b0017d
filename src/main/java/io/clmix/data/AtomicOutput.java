package io.clmix.data;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file all or nothing: the content goes to a temporary file beside the target, which
 * replaces the target (atomically where the file system can) only after everything was written
 * and flushed to disk. A failed or interrupted write leaves no partial file and never clobbers
 * an existing one.
 */
public final class AtomicOutput {

  /** Writes a file's content; may throw {@link IOException}. */
  @FunctionalInterface
  public interface Body {
    /**
     * Writes the content to {@code out}, which is buffered. Closing it is allowed and harmless;
     * the file is finished by {@link AtomicOutput#write}.
     */
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicOutput() {}

  /**
   * Writes {@code target} with the content {@code body} produces.
   *
   * @throws InputException when the file cannot be written ({@code "out.npy: cannot write:
   *     permission denied"}); a runtime exception from {@code body} is passed on unchanged. Either
   *     way the target is as it was before.
   */
  public static void write(Path target, Body body) {
    if (Files.isDirectory(target)) {
      throw InputException.inFile(target, "cannot write: is a directory");
    }
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw InputException.inFile(target, "cannot write: directory " + (dir == null ? absolute : dir) + " does not exist");
    }
    Path tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean done = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        body.writeTo(new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len); // FilterOutputStream would write byte by byte
          }

          @Override
          public void close() throws IOException {
            out.flush(); // the channel stays open until the content is on disk
          }
        });
        out.flush();
        ch.force(true);
      }
      move(tmp, absolute);
      done = true;
    } catch (IOException e) {
      throw Problems.cannotWrite(target, e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Nothing more can be done; the original problem is the one to report.
        }
      }
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
