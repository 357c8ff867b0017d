package io.clmix.data;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

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
 * link is followed: its target is replaced and the link stays; links that lead to no file (a
 * loop, see {@link #linksLoop}) are refused.
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

  /** The system's words (strerror of ELOOP) for a path whose links lead to no file. */
  public static final String LINK_LOOP = "too many levels of symbolic links";

  /** Set by the shutdown hook: from then on no temporary file is started (it could outlive the hook). */
  private static volatile boolean shuttingDown;
  /**
   * Held while a temporary file is created and while the shutdown hook deletes them: a file is
   * either created and listed before the hook runs (which deletes it), or not created at all.
   */
  private static final Object CREATION = new Object();

  static {
    Thread cleanup = new Thread(() -> {
      synchronized (CREATION) {
        shuttingDown = true;
        IN_FLIGHT.forEach(AtomicOutput::deleteQuietly);
      }
    }, "clmix-output-cleanup");
    try {
      Runtime.getRuntime().addShutdownHook(cleanup);
    } catch (IllegalStateException e) {
      shuttingDown = true; // first used while the JVM shuts down: nothing may be left behind
    }
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
    Followed followed = follow(target);
    if (followed.looped()) {
      throw InputException.inFile(target, "cannot write: " + LINK_LOOP);
    }
    Path absolute = followed.path();
    if (Files.isDirectory(absolute)) {
      throw InputException.inFile(target, "cannot write: is a directory");
    }
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw InputException.inFile(target, "cannot write: directory " + (dir == null ? absolute : dir) + " does not exist");
    }
    Path tmp = temporaryFor(dir, absolute.getFileName().toString());
    boolean done = false;
    boolean created = false; // a name that was taken (2^-64) is someone else's file: not ours to delete
    Set<PosixFilePermission> mode = permissionsOf(absolute);
    try {
      // The replaced file's mode from the start (a 0600 model is never readable to others
      // through its temporary file), set again past the umask; else the umask's default.
      createInFlight(tmp, () -> {
        if (mode == null) {
          Files.createFile(tmp);
        } else {
          Files.createFile(tmp, PosixFilePermissions.asFileAttribute(mode));
        }
      });
      created = true;
      if (mode != null) {
        try {
          Files.setPosixFilePermissions(tmp, mode);
        } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
          // The mode the creation gave stays: the content matters more than its mode.
        }
      }
      // Written outside the lock; a hook that ran since has deleted the file, and the write fails.
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        pour(body, Channels.newOutputStream(ch));
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
      if (!done && created) {
        deleteQuietly(tmp);
      }
    }
  }

  /** Creates a file; may throw {@link IOException}. */
  @FunctionalInterface
  private interface Creation {
    void create() throws IOException;
  }

  /**
   * Creates the temporary file {@code tmp} by {@code creation}, listed for the shutdown hook
   * first and under its lock: the file is either created and listed before the hook runs (which
   * deletes it), or not created at all. When the creation fails the file is not listed (a name
   * that was taken, 2^-64, is someone else's file, not ours to delete).
   *
   * @throws IOException from the creation, or once the program is shutting down
   */
  private static void createInFlight(Path tmp, Creation creation) throws IOException {
    synchronized (CREATION) {
      if (shuttingDown) {
        throw new IOException("the program is shutting down");
      }
      IN_FLIGHT.add(tmp);
      try {
        creation.create();
      } catch (IOException | RuntimeException e) {
        IN_FLIGHT.remove(tmp);
        throw e;
      }
    }
  }

  /** The longest file name, in bytes, that common file systems allow (ext4, xfs, btrfs, tmpfs: 255). */
  private static final int NAME_MAX = 255;

  /**
   * A fresh temporary file name in {@code dir} for the file {@code name}: hidden, unique, and
   * no longer than {@value #NAME_MAX} bytes, so that any name the target may have can be written
   * through it (the name is shortened, whole characters at a time, when it is too long to take
   * the prefix and suffix).
   */
  static Path temporaryFor(Path dir, String name) {
    String suffix = "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
    int room = NAME_MAX - 1 - suffix.length();
    String base = name;
    while (base.getBytes(StandardCharsets.UTF_8).length > room) {
      base = base.substring(0, base.offsetByCodePoints(base.length(), -1));
    }
    return dir.resolve("." + base + suffix);
  }

  /**
   * Whether {@code target} is a stream rather than a file to replace: {@code -} (standard
   * output), a path that exists and is not a regular file (following links: a device, a named
   * pipe, a socket, the pipe behind {@code /dev/stdout}), or one whose way to its file passes
   * through {@code /proc} (as {@code /dev/stdout} does through {@code /proc/self/fd/1}, and
   * {@code /dev/fd/3} through the link {@code /dev/fd -> /proc/self/fd}), where even a regular
   * file is someone else's open file, a shell's redirection.
   */
  public static boolean isStream(Path target) {
    if (target.toString().equals("-")) {
      return true;
    }
    if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
      return true;
    }
    return follow(target).throughProc();
  }

  /**
   * Whether {@code file} is a character device (a terminal, {@code /dev/null}), links followed:
   * a stream that takes writes beside reads. False where the file system does not say.
   */
  public static boolean isCharacterDevice(Path file) {
    return Problems.typeBits(file) == Problems.S_IFCHR;
  }

  /**
   * Where the content of {@code target} goes: the path itself, or for a symbolic link the file
   * it points to (through every link, relative ones resolved where the link really is; a
   * dangling link's target is created), so the link stays.
   */
  public static Path destination(Path target) {
    return follow(target).path();
  }

  /**
   * Whether following {@code target}'s symbolic links never reaches a file: a loop
   * ({@code a -> b -> a}) or a chain longer than the kernel follows, where the system says
   * "too many levels of symbolic links" (ELOOP). Such a path has no file to write, and
   * replacing the link where the hops stopped would destroy it.
   */
  public static boolean linksLoop(Path target) {
    return follow(target).looped();
  }

  /** The most symbolic links followed in a row, as Linux does (MAXSYMLINKS) before ELOOP. */
  private static final int MAX_HOPS = 40;

  /**
   * Where a chain of links ends, whether it passed through {@code /proc}, and whether it
   * stopped on a link after {@value #MAX_HOPS} hops instead (see {@link #linksLoop}).
   */
  private record Followed(Path path, boolean throughProc, boolean looped) {}

  /**
   * Follows {@code target}'s symbolic links ({@value #MAX_HOPS} at most, as the kernel does),
   * each resolved in its directory's real location, so {@code ..} in a link means what the
   * file system means.
   */
  private static Followed follow(Path target) {
    Path p = target.toAbsolutePath().normalize();
    boolean proc = false;
    for (int hops = 0; hops <= MAX_HOPS; hops++) {
      Path dir = realDirectory(p);
      if (dir != null) {
        p = dir.resolve(p.getFileName());
      }
      proc |= p.startsWith("/proc");
      if (!Files.isSymbolicLink(p)) {
        return new Followed(p, proc, false);
      }
      if (hops == MAX_HOPS) {
        break; // still a link after the kernel's limit
      }
      try {
        p = p.getParent().resolve(Files.readSymbolicLink(p));
      } catch (IOException e) {
        return new Followed(p, proc, false);
      }
    }
    return new Followed(p, proc, true);
  }

  /** The real location of {@code p}'s directory, or null where it cannot be resolved. */
  private static Path realDirectory(Path p) {
    Path dir = p.getParent();
    if (dir == null) {
      return null;
    }
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Writes into a stream-like target as it is (see {@link #isStream}). The process's own
   * standard output and error ({@code -}, {@code /dev/stdout}, {@code /proc/self/fd/1}, ...)
   * go through {@code System.out} and {@code System.err}, so the bytes land where the
   * process's other output goes, in order, at the redirection's shared offset (opening the
   * path anew would start a second offset that later writes overwrite); errors there surface
   * through the stream's {@code checkError}, as for everything else printed.
   */
  private static void writeInto(Path target, Body body) {
    int fd = standardStream(target);
    try {
      if (fd != 0) {
        pour(body, fd == 1 ? System.out : System.err); // never closed: the stream is the process's
      } else {
        try (OutputStream raw = Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
          pour(body, raw);
        }
      }
    } catch (IOException e) {
      throw Problems.cannotWrite(target, e);
    }
  }

  /** The body's content into {@code raw} through a buffer, flushed; {@code raw} is not closed. */
  private static void pour(Body body, OutputStream raw) throws IOException {
    OutputStream out = new BufferedOutputStream(raw, 1 << 16);
    body.writeTo(unclosable(out));
    out.flush();
  }

  /**
   * 1 when {@code target} names the process's standard output ({@code -}, {@code /dev/stdout},
   * {@code /dev/fd/1}, {@code /proc/self/fd/1}), 2 for its standard error, else 0.
   */
  public static int standardStream(Path target) {
    if (target.toString().equals("-")) {
      return 1;
    }
    switch (target.toAbsolutePath().normalize().toString()) {
      case "/dev/stdout", "/proc/self/fd/1", "/dev/fd/1":
        return 1;
      case "/dev/stderr", "/proc/self/fd/2", "/dev/fd/2":
        return 2;
      default:
        return 0;
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

  /**
   * Runs {@code report} once the files written so far are in place: when this thread's
   * {@linkplain #batch() batch} commits (never, if it closes without committing or its commit
   * fails), or at once where no batch is open. For the lines a command prints about its files
   * ({@code "wrote ... to blobs.csv"}, {@code "picture: fit.png"}): printed before the commit,
   * they would stand on stdout above the error of a commit that put every file back.
   */
  public static void afterCommit(Runnable report) {
    Batch b = BATCH.get();
    if (b == null) {
      report.run();
    } else {
      b.reports.add(report);
    }
  }

  /** Files written completely and waiting to be moved into place together; see {@link #batch()}. */
  public static final class Batch implements AutoCloseable {
    /** Destination to (name the user gave, temporary file), in the order written. */
    private final Map<Path, Path[]> pending = new LinkedHashMap<>();
    /** What {@link AtomicOutput#afterCommit} asked to run once the files are in place, in order. */
    private final List<Runnable> reports = new ArrayList<>();

    private Batch() {}

    private void add(Path shown, Path destination, Path tmp) {
      Path[] before = pending.put(destination, new Path[] {shown, tmp});
      if (before != null) {
        deleteQuietly(before[1]); // written twice: the last content wins, as without a batch
      }
    }

    /**
     * Moves every file written in this batch into place, in the order written. Each move is a
     * rename within its directory, which fails only in rare cases (the directory removed or
     * made read-only meanwhile, a target made immutable); then the files already moved are put
     * back as they were, from a hard link (or, where the file system has none, a copy) taken of
     * each existing target just before it was replaced, and the new ones removed. So a commit
     * replaces all of its files or, as far as the file system lets it, none.
     *
     * @throws InputException naming the first file that could not be moved; no file of the
     *     batch is left replaced (the message says so where there were others)
     */
    public void commit() {
      commit(() -> null);
    }

    /**
     * {@link #commit()}, then the {@linkplain AtomicOutput#afterCommit reports}, then
     * {@code verdict}: a problem it returns (the reports could not be printed, say) puts every
     * file back as a failed move does, and is thrown. So a command whose last lines fail still
     * writes nothing, and one whose files fail prints none of those lines.
     *
     * @throws InputException naming the first file that could not be moved, or the verdict's
     */
    public void commit(Supplier<InputException> verdict) {
      List<Path[]> moved = new ArrayList<>(); // {destination, backup of what it replaced or null}
      try {
        for (Map.Entry<Path, Path[]> e : pending.entrySet()) {
          Path destination = e.getKey();
          Path backup = null;
          try {
            backup = backUp(destination);
            move(e.getValue()[1], destination);
          } catch (IOException ex) {
            if (backup != null) {
              deleteQuietly(backup);
            }
            boolean others = pending.size() > 1;
            putBack(moved);
            InputException failure = Problems.cannotWrite(e.getValue()[0], ex);
            throw others
                ? new InputException(failure.getMessage() + "; the command's other output files were left as they were",
                    ex)
                : failure;
          }
          e.getValue()[1] = null;
          moved.add(new Path[] {destination, backup});
        }
        for (Runnable r : reports) {
          r.run();
        }
        InputException late = verdict.get();
        if (late != null) {
          putBack(moved);
          throw late;
        }
        for (Path[] m : moved) {
          if (m[1] != null) {
            deleteQuietly(m[1]);
          }
        }
      } finally {
        discard();
      }
    }

    /**
     * A second name for the regular file {@code destination} as it is before being replaced (a
     * hard link in its directory, else a copy), or null when there is none to keep.
     */
    private static Path backUp(Path destination) throws IOException {
      if (!Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      Path backup = temporaryFor(destination.getParent(), destination.getFileName().toString());
      try {
        createInFlight(backup, () -> Files.createLink(backup, destination));
      } catch (IOException | UnsupportedOperationException noLink) {
        // No hard links here (FAT, some network file systems): a copy, under the hook's lock
        // like every temporary file, which is rare enough for a long copy not to matter.
        try {
          createInFlight(backup, () -> Files.copy(destination, backup, StandardCopyOption.COPY_ATTRIBUTES));
        } catch (IOException copyFailed) {
          deleteQuietly(backup); // a copy cut short
          throw copyFailed;
        }
      }
      return backup;
    }

    /** Undoes the moves of {@code moved} ({destination, backup}), last first, as well as it can. */
    private static void putBack(List<Path[]> moved) {
      for (int i = moved.size() - 1; i >= 0; i--) {
        Path destination = moved.get(i)[0];
        Path backup = moved.get(i)[1];
        try {
          if (backup != null) {
            move(backup, destination);
          } else {
            Files.deleteIfExists(destination);
          }
        } catch (IOException ignored) {
          // The first failure is the one to report; this file keeps its new content.
          if (backup != null) {
            deleteQuietly(backup);
          }
        }
      }
    }

    /** Discards the files not committed and ends the batch. */
    @Override
    public void close() {
      discard();
      if (BATCH.get() == this) {
        BATCH.remove();
      }
    }

    private void discard() {
      for (Path[] p : pending.values()) {
        if (p[1] != null) {
          deleteQuietly(p[1]);
        }
      }
      pending.clear();
      reports.clear();
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

  /**
   * The POSIX permissions of the regular file {@code target} replaces, so that its replacement
   * keeps them as a shell's {@code >} would (a model made readable to a group stays so; the
   * group owner itself is the process's); null for a new file, or where the file system has no
   * POSIX permissions or they cannot be read: then the umask's default serves.
   */
  private static Set<PosixFilePermission> permissionsOf(Path target) {
    try {
      return Files.isRegularFile(target) ? Files.getPosixFilePermissions(target) : null;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
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
