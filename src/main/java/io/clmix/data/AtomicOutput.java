package io.clmix.data;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file all or nothing: the content goes to a temporary file beside the target, which
 * replaces the target (atomically where the file system can) only after everything was written
 * and flushed to disk. A failed or interrupted write leaves no partial file and never clobbers
 * an existing one: temporary files still in flight when the JVM shuts down (Ctrl-C, SIGTERM)
 * are deleted.
 *
 * <p>Several files as one: inside a {@link #batch()} (per thread; the command line opens one
 * around each command) every write stops short of the last step, and {@link Batch#commit()}
 * moves all the files into place together, so a command that fails after writing one of its
 * outputs leaves none of them.
 *
 * <p>Where the target is not a regular file (a device such as {@code /dev/null}, a named pipe,
 * {@code /dev/stdout}, anything reached through {@code /proc}; and {@code -}, standard output),
 * replacing it would destroy it; the content is written straight into it instead, appending (a
 * shell's {@code >} has truncated it already, and {@code >>} must not be undone). A symbolic
 * link is followed: its target is replaced and the link stays.
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

  /** Temporary files written and not yet moved into place or deleted, for the shutdown hook. */
  private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
  private static final ThreadLocal<Batch> BATCH = new ThreadLocal<>();

  static {
    Thread cleanup = new Thread(() -> IN_FLIGHT.forEach(AtomicOutput::deleteQuietly), "clmix-output-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  private AtomicOutput() {}

  /**
   * Writes {@code target} with the content {@code body} produces; inside a {@link #batch()},
   * the file appears only when the batch commits.
   *
   * @throws InputException when the file cannot be written ({@code "out.npy: cannot write:
   *     permission denied"}); a runtime exception from {@code body} is passed on unchanged. Either
   *     way the target is as it was before.
   */
  public static void write(Path target, Body body) {
    if (isStream(target)) {
      writeInto(target, body);
      return;
    }
    Path absolute = destination(target);
    if (Files.isDirectory(absolute)) {
      throw InputException.inFile(target, "cannot write: is a directory");
    }
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw InputException.inFile(target, "cannot write: directory " + (dir == null ? absolute : dir) + " does not exist");
    }
    Path tmp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    boolean done = false;
    IN_FLIGHT.add(tmp);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        body.writeTo(unclosable(out));
        out.flush();
        ch.force(true);
      }
      Batch batch = BATCH.get();
      if (batch != null) {
        batch.add(target, absolute, tmp);
      } else {
        move(tmp, absolute);
      }
      done = true;
    } catch (IOException e) {
      throw Problems.cannotWrite(target, e);
    } finally {
      if (!done) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * Whether {@code target} is a stream rather than a file to replace: it exists and is not a
   * regular file (following links: a device, a named pipe, a socket, the pipe behind
   * {@code /dev/stdout}), or it reaches its file through {@code /proc} (as {@code /dev/stdout}
   * does through {@code /proc/self/fd/1}), where even a regular file is someone else's open
   * file, a shell's redirection.
   */
  public static boolean isStream(Path target) {
    if (target.toString().equals("-")) {
      return true; // the usual name of standard output
    }
    if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
      return true;
    }
    Path p = target.toAbsolutePath().normalize();
    for (int hops = 0; hops < 40; hops++) {
      if (p.startsWith("/proc")) {
        return true;
      }
      if (!Files.isSymbolicLink(p)) {
        return false;
      }
      try {
        p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
      } catch (IOException e) {
        return false;
      }
    }
    return false;
  }

  /**
   * Where the content of {@code target} goes: the path itself, or for a symbolic link the file
   * it points to (through every link; a dangling link's target is created), so the link stays.
   */
  public static Path destination(Path target) {
    Path p = target.toAbsolutePath();
    for (int hops = 0; hops < 40 && Files.isSymbolicLink(p); hops++) {
      try {
        p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
      } catch (IOException e) {
        return p;
      }
    }
    return p;
  }

  /**
   * Writes into a stream-like target as it is (see {@link #isStream}). The process's own
   * standard output and error ({@code /dev/stdout}, {@code /proc/self/fd/1}, ...) are written
   * through the descriptors the process holds, so the bytes land where the shell's other
   * writes to that redirection go, at their shared offset; opening the path anew would start
   * a second offset that later writes overwrite.
   */
  private static void writeInto(Path target, Body body) {
    FileDescriptor own = ownDescriptor(target);
    try (OutputStream raw = own != null ? new FileOutputStream(own) {
      @Override
      public void close() {
        // The descriptor stays open: it is the process's.
      }
    } : Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      if (own == FileDescriptor.out) {
        System.out.flush(); // what the command printed so far goes first
      }
      OutputStream out = new BufferedOutputStream(raw, 1 << 16);
      body.writeTo(unclosable(out));
      out.flush();
    } catch (IOException e) {
      throw Problems.cannotWrite(target, e);
    }
  }

  /** The process's descriptor behind {@code target}, when it names standard output or error. */
  private static FileDescriptor ownDescriptor(Path target) {
    if (target.toString().equals("-")) {
      return FileDescriptor.out;
    }
    String p = target.toAbsolutePath().normalize().toString();
    switch (p) {
      case "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1":
        return FileDescriptor.out;
      case "/dev/stderr", "/proc/self/fd/2", "/dev/fd/2":
        return FileDescriptor.err;
      default:
        return null;
    }
  }

  /** {@code out} for a body: bulk writes pass through, close only flushes. */
  private static OutputStream unclosable(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len); // FilterOutputStream would write byte by byte
      }

      @Override
      public void close() throws IOException {
        out.flush(); // the file stays open until the content is on disk
      }
    };
  }

  /**
   * Starts a batch on this thread: the files written until it {@linkplain Batch#commit commits}
   * appear together then, and none appears if it closes without committing.
   *
   * @throws IllegalStateException when this thread has a batch open already
   */
  public static Batch batch() {
    if (BATCH.get() != null) {
      throw new IllegalStateException("a batch of outputs is open on this thread already");
    }
    Batch b = new Batch();
    BATCH.set(b);
    return b;
  }

  /** Files written completely and waiting to be moved into place together; see {@link #batch()}. */
  public static final class Batch implements AutoCloseable {
    /** Destination to (name the user gave, temporary file), in the order written. */
    private final Map<Path, Path[]> pending = new LinkedHashMap<>();

    private Batch() {}

    private void add(Path shown, Path destination, Path tmp) {
      Path[] before = pending.put(destination, new Path[] {shown, tmp});
      if (before != null) {
        deleteQuietly(before[1]); // written twice: the last content wins, as without a batch
      }
    }

    /**
     * Moves every file written in this batch into place, in the order written.
     *
     * @throws InputException naming the first file that could not be moved; the files not yet
     *     moved are discarded
     */
    public void commit() {
      try {
        for (Map.Entry<Path, Path[]> e : pending.entrySet()) {
          try {
            move(e.getValue()[1], e.getKey());
          } catch (IOException ex) {
            throw Problems.cannotWrite(e.getValue()[0], ex);
          }
          e.getValue()[1] = null;
        }
      } finally {
        discard();
      }
    }

    /** Discards the files not committed and ends the batch. */
    @Override
    public void close() {
      discard();
      BATCH.remove();
    }

    private void discard() {
      for (Path[] p : pending.values()) {
        if (p[1] != null) {
          deleteQuietly(p[1]);
        }
      }
      pending.clear();
    }
  }

  private static void move(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    IN_FLIGHT.remove(tmp);
  }

  private static void deleteQuietly(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException ignored) {
      // Nothing more can be done; the original problem is the one to report.
    }
    IN_FLIGHT.remove(tmp);
  }
}
