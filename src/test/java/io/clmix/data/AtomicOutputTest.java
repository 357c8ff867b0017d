package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  @TempDir Path dir;

  /** Writes {@code text} to {@code file} through {@link AtomicOutput}. */
  private static void writeText(Path file, String text) {
    AtomicOutput.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aReplacedFileKeepsItsPermissions() throws IOException {
    Path f = dir.resolve("model.json");
    Files.writeString(f, "old");
    var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----");
    Files.setPosixFilePermissions(f, mode);
    AtomicOutput.write(f, out -> {
      // The temporary file has the mode while the content is written, not only once moved.
      try (Stream<Path> s = Files.list(dir)) {
        Path tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).findFirst().orElseThrow();
        assertEquals(mode, Files.getPosixFilePermissions(tmp));
      }
      out.write("new".getBytes(StandardCharsets.UTF_8));
    });
    assertEquals("new", Files.readString(f));
    assertEquals(mode, Files.getPosixFilePermissions(f), "as a shell's > keeps them");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(f, "newer");
      batch.commit();
    }
    assertEquals("newer", Files.readString(f));
    assertEquals(mode, Files.getPosixFilePermissions(f), "through a batch too");
  }

  @Test
  void writesAndReplaces() throws IOException {
    Path f = dir.resolve("out.txt");
    writeText(f, "one");
    assertEquals("one", Files.readString(f));
    AtomicOutput.write(f, out -> {
      try (var w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        w.write("two"); // closing the stream early is harmless
      }
    });
    assertEquals("two", Files.readString(f));
    assertEquals(List.of("out.txt"), names());
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path f = dir.resolve("model.json");
    Files.writeString(f, "old");
    InputException e = assertThrows(InputException.class, () -> AtomicOutput.write(f, out -> {
      out.write(new byte[100_000]);
      throw new IOException("No space left on device");
    }));
    assertEquals(f + ": cannot write: no space left on device", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("model.json"), names());

    IllegalStateException bug = new IllegalStateException("bug");
    assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicOutput.write(f, out -> {
      out.write(1);
      throw bug;
    })));
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("model.json"), names());
  }

  @Test
  void aFailedFirstWriteLeavesNothing() throws IOException {
    Path f = dir.resolve("new.npy");
    assertThrows(InputException.class, () -> AtomicOutput.write(f, out -> {
      throw new IOException("boom");
    }));
    assertEquals(List.of(), names());
  }

  @Test
  void unwritableTargets() {
    Path nowhere = dir.resolve("no/such/dir/out.csv");
    assertEquals(nowhere + ": cannot write: directory " + dir.resolve("no/such/dir") + " does not exist",
        assertThrows(InputException.class, () -> AtomicOutput.write(nowhere, out -> {})).getMessage());
    assertEquals(dir + ": cannot write: is a directory",
        assertThrows(InputException.class, () -> AtomicOutput.write(dir, out -> {})).getMessage());
  }

  @Test
  void aBatchShowsItsFilesOnlyWhenItCommits() throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.csv");
    Files.writeString(b, "old");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(a, "A");
      writeText(b, "B");
      assertEquals("old", Files.readString(b), "nothing moves before the commit");
      assertTrue(Files.notExists(a));
      batch.commit();
    }
    assertEquals("A", Files.readString(a));
    assertEquals("B", Files.readString(b));
    assertEquals(List.of("a.json", "b.csv"), names());
  }

  @Test
  void aBatchClosedWithoutCommittingLeavesEveryFileAsItWas() throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.csv");
    Files.writeString(a, "old");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(a, "new");
      // The second output fails: a command would stop here, and its first output must not appear.
      assertThrows(InputException.class, () -> AtomicOutput.write(b, out -> {
        throw new IOException("disk full");
      }));
    }
    assertEquals("old", Files.readString(a));
    assertEquals(List.of("a.json"), names(), "no temporary file is left");
    try (AtomicOutput.Batch again = AtomicOutput.batch()) {
      again.commit(); // the thread may open a new batch once the last one is closed
    }
  }

  @Test
  void aCommitThatFailsHalfwayPutsBackTheFilesItMoved() throws IOException {
    Path a = dir.resolve("a.json");
    Path fresh = dir.resolve("fresh.txt");
    Path b = dir.resolve("b.csv");
    Files.writeString(a, "old");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(a, "new");
      writeText(fresh, "new");
      writeText(b, "B");
      // Between the writes and the commit b became a directory that is not empty: its file's
      // rename fails after a.json and fresh.txt were moved into place.
      Files.createDirectories(b.resolve("inside"));
      InputException e = assertThrows(InputException.class, batch::commit);
      assertTrue(e.getMessage().startsWith(b + ": cannot write: "), e.getMessage());
      assertTrue(e.getMessage().endsWith("; the command's other output files were left as they were"), e.getMessage());
    }
    assertEquals("old", Files.readString(a), "the file the commit replaced is back");
    assertTrue(Files.notExists(fresh), "the file the commit created is gone");
    assertEquals(List.of("a.json", "b.csv"), names(), "no temporary file nor backup is left");
  }

  @Test
  void reportsRunOnlyOnceTheirFilesAreInPlace() throws IOException {
    List<String> said = new ArrayList<>();
    AtomicOutput.afterCommit(() -> said.add("no batch"));
    assertEquals(List.of("no batch"), said, "without a batch a report runs at once");
    Path a = dir.resolve("a.json");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(a, "A");
      AtomicOutput.afterCommit(() -> said.add("wrote a: " + Files.exists(a)));
      AtomicOutput.afterCommit(() -> said.add("second"));
      assertEquals(1, said.size(), "nothing is said before the commit");
      batch.commit();
    }
    assertEquals(List.of("no batch", "wrote a: true", "second"), said, "in order, after the files moved");
  }

  @Test
  void reportsOfABatchThatDoesNotCommitAreNeverRun() throws IOException {
    List<String> said = new ArrayList<>();
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(dir.resolve("a.json"), "A");
      AtomicOutput.afterCommit(() -> said.add("closed without a commit"));
    }
    Path b = dir.resolve("b.csv");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(b, "B");
      AtomicOutput.afterCommit(() -> said.add("commit failed"));
      Files.createDirectories(b.resolve("inside")); // b's rename fails, as in the test above
      assertThrows(InputException.class, batch::commit);
    }
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      batch.commit(); // a later batch does not inherit them
    }
    assertEquals(List.of(), said);
  }

  @Test
  void aVerdictAgainstTheReportsPutsEveryFileBack() throws IOException {
    Path a = dir.resolve("a.json");
    Path fresh = dir.resolve("fresh.txt");
    Files.writeString(a, "old");
    List<String> said = new ArrayList<>();
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(a, "new");
      writeText(fresh, "new");
      AtomicOutput.afterCommit(() -> said.add("wrote " + Files.exists(fresh)));
      // As the command line's check of standard output after its last lines.
      InputException e = assertThrows(InputException.class,
          () -> batch.commit(() -> new InputException("cannot write to standard output")));
      assertEquals("cannot write to standard output", e.getMessage());
    }
    assertEquals(List.of("wrote true"), said, "the reports ran with the files in place");
    assertEquals("old", Files.readString(a), "the replaced file is back");
    assertEquals(List.of("a.json"), names(), "the new file, the temporaries and the backups are gone");
  }

  @Test
  void aCommitKeepsNoBackupOnceEveryFileMoved() throws IOException {
    Path a = dir.resolve("a.json");
    Files.writeString(a, "old");
    try (AtomicOutput.Batch batch = AtomicOutput.batch()) {
      writeText(a, "new");
      batch.commit();
    }
    assertEquals("new", Files.readString(a));
    assertEquals(List.of("a.json"), names());
  }

  @Test
  void aSymbolicLinkIsFollowedAndKept() throws IOException {
    Path real = dir.resolve("real.csv");
    Files.writeString(real, "old");
    Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real.getFileName());
    writeText(link, "new");
    assertTrue(Files.isSymbolicLink(link), "the link is still a link");
    assertEquals("new", Files.readString(real));
  }

  @Test
  void aLoopOfSymbolicLinksIsNotReplaced() throws IOException {
    // Following a -> b -> a ends at a link after 40 hops, as the kernel's ELOOP: there is no
    // file to write, and replacing the link where the hops stopped would destroy it.
    Path a = Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
    Path b = Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
    assertEquals(a + ": cannot write: too many levels of symbolic links",
        assertThrows(InputException.class, () -> writeText(a, "x")).getMessage());
    assertTrue(Files.isSymbolicLink(a) && Files.isSymbolicLink(b), "both links are still links");
    assertEquals(List.of("a", "b"), names());
  }

  @Test
  void aNamedPipeIsWrittenIntoNotReplaced() throws Exception {
    Path fifo = dir.resolve("pipe");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
    java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(fifo);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertTrue(AtomicOutput.isStream(fifo));
    writeText(fifo, "through");
    assertEquals("through", read.get(30, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(!Files.isRegularFile(fifo) && Files.exists(fifo), "the pipe is still a pipe");
  }

  @Test
  void pathsThroughProcAreStreams() {
    // /dev/stdout reaches the process's standard output through /proc/self/fd/1: replacing
    // whatever is there (a shell's redirection) would lose it, so it is written into.
    assertTrue(AtomicOutput.isStream(Path.of("/proc/self/fd/1")));
    assertTrue(AtomicOutput.isStream(Path.of("-")), "- is standard output");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isSymbolicLink(Path.of("/dev/stdout")));
    assertTrue(AtomicOutput.isStream(Path.of("/dev/stdout")));
    assertTrue(!AtomicOutput.isStream(dir.resolve("plain.csv")));
  }

  @Test
  void aRelativeLinkIsResolvedWhereItReallyIs() throws IOException {
    // sublink -> x/y/sub, and sub/out.txt -> ../real/out.txt: ".." is y's, not dir's.
    Path sub = Files.createDirectories(dir.resolve("x/y/sub"));
    Path real = Files.createDirectories(dir.resolve("x/y/real"));
    Files.createSymbolicLink(dir.resolve("sublink"), Path.of("x/y/sub"));
    Files.createSymbolicLink(sub.resolve("out.txt"), Path.of("../real/out.txt"));
    writeText(dir.resolve("sublink/out.txt"), "here");
    assertEquals("here", Files.readString(real.resolve("out.txt")));
    assertTrue(Files.notExists(dir.resolve("real")), "nothing is written beside the link's apparent parent");
  }

  @Test
  void descriptorsReachedThroughDevFdAreStreams() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isSymbolicLink(Path.of("/dev/fd")));
    // /dev/fd -> /proc/self/fd: /dev/fd/1 may end at a regular file (a redirection), and is
    // still the shell's open file, not one to replace.
    assertTrue(AtomicOutput.isStream(Path.of("/dev/fd/1")));
    assertEquals(1, AtomicOutput.standardStream(Path.of("/dev/fd/1")));
    assertEquals(1, AtomicOutput.standardStream(Path.of("-")));
    assertEquals(2, AtomicOutput.standardStream(Path.of("/dev/stderr")));
    assertEquals(0, AtomicOutput.standardStream(dir.resolve("x.csv")));
  }

  @Test
  void aNameAsLongAsTheFileSystemAllowsCanBeWritten() throws IOException {
    // 255 bytes is the longest name on common file systems; the temporary file beside the
    // target must fit too, or a name that 'touch' accepts fails with "file name too long".
    String ascii = "m".repeat(250) + ".json";
    Path f = dir.resolve(ascii);
    Files.writeString(f, "old"); // the file system takes the name itself
    writeText(f, "new");
    assertEquals("new", Files.readString(f));
    // Two bytes a character: shortened whole characters at a time, never mid-character. (A JVM
    // in an ASCII locale cannot name such files at all; SystemBehaviourTest covers that case.)
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8")), "file names are not UTF-8 here");
    String wide = "\u00e9".repeat(125) + ".txt";
    writeText(dir.resolve(wide), "x");
    assertEquals("x", Files.readString(dir.resolve(wide)));
    assertEquals(List.of(ascii, wide).stream().sorted().toList(), names(), "no temporary file left");
    for (String name : List.of(ascii, wide, "a")) {
      String tmp = AtomicOutput.temporaryFor(dir, name).getFileName().toString();
      assertTrue(tmp.getBytes(StandardCharsets.UTF_8).length <= 255 && tmp.startsWith(".") && tmp.endsWith(".tmp"), tmp);
    }
  }
}
