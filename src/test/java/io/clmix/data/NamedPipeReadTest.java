package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files that are named pipes. A text table is read in one pass over one open of the file
 * (a second open of a pipe waits for a writer that never comes, and the reads hung); a
 * {@code .npy} file, which is memory-mapped, is refused before it is opened. Every read runs
 * under a timeout, so a regression fails rather than hangs.
 */
class NamedPipeReadTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  /** Makes a named pipe, or skips the test where {@code mkfifo} is unavailable. */
  static Path fifo(Path file) throws InterruptedException {
    int status;
    try {
      status = new ProcessBuilder("mkfifo", file.toString()).start().waitFor();
    } catch (IOException e) {
      status = -1;
    }
    Assumptions.assumeTrue(status == 0, "mkfifo is not available");
    return file;
  }

  /**
   * Writes {@code bytes} into the pipe from a daemon thread: opening a pipe for writing waits
   * for a reader, and a reader that never comes must not keep the JVM alive.
   */
  static CompletableFuture<Void> feed(Path pipe, byte[] bytes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(pipe)) {
        out.write(bytes);
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    }, "fifo-writer");
    t.setDaemon(true);
    t.start();
    return done;
  }

  static CompletableFuture<Void> feed(Path pipe, String text) {
    return feed(pipe, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCommaSeparatedPipeIsReadWithItsHeaderNote() throws Exception {
    Path pipe = fifo(dir.resolve("p.csv"));
    feed(pipe, "x,y\n1,2\n3,4\n5,6\n7,8\n");
    List<String> notes = new ArrayList<>();
    Dataset ds = assertTimeoutPreemptively(LIMIT, () -> DataFiles.read(pipe, ReadOptions.defaults(), notes::add));
    assertEquals(4, ds.rows());
    assertEquals(2, ds.cols());
    assertArrayEquals(new double[] {7, 8}, ds.row(3), 1e-6);
    assertEquals(List.of(pipe + ": line 1 taken as a header ('x', 'y'); --header no reads it as data"), notes);
  }

  @Test
  void blankAndTabSeparatedPipesAreRead() throws Exception {
    // The blank-separated layout has its own reader (WhitespaceRecords); the tab one is FastCSV's.
    Path txt = fifo(dir.resolve("p.txt"));
    feed(txt, "# comment\n1.0 2.0\n3.0 4.0\n");
    Dataset a = assertTimeoutPreemptively(LIMIT, () -> DataFiles.read(txt));
    assertArrayEquals(new double[] {3, 4}, a.row(1), 1e-6);
    Path tsv = fifo(dir.resolve("p.tsv"));
    feed(tsv, "\ufeff1\t2\n3\t4\n5\t6\n");
    Dataset b = assertTimeoutPreemptively(LIMIT, () -> DataFiles.read(tsv));
    assertEquals(3, b.rows());
    assertArrayEquals(new double[] {1, 2}, b.row(0), 1e-6, "the byte-order mark is dropped");
  }

  @Test
  void aPipeLongerThanTheLayoutSniffIsReadWhole() throws Exception {
    // Far more than the bytes read ahead to decide the layout: the rows on both sides of the
    // seam between the bytes read ahead and the rest of the stream must all arrive, once.
    int n = 200_000;
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i).append(',').append(2 * i).append('\n');
    }
    Path pipe = fifo(dir.resolve("big.csv"));
    feed(pipe, b.toString());
    Dataset ds = assertTimeoutPreemptively(LIMIT, () -> DataFiles.read(pipe));
    assertEquals(n, ds.rows());
    for (int i : new int[] {0, 1, 20_000, 21_000, 22_000, n - 1}) {
      assertArrayEquals(new double[] {i, 2.0 * i}, ds.row(i), 1e-6 * (1 + i), "row " + i);
    }
  }

  @Test
  void anEmptyPipeIsAnEmptyFile() throws Exception {
    Path pipe = fifo(dir.resolve("e.csv"));
    feed(pipe, "");
    InputException e = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(InputException.class, () -> DataFiles.read(pipe)));
    assertEquals(pipe + ": empty file", e.getMessage());
    Path comments = fifo(dir.resolve("c.csv"));
    feed(comments, "# nothing\n\n");
    InputException c = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(InputException.class, () -> DataFiles.read(comments)));
    assertEquals(comments + ": no data rows (only blank lines and comments)", c.getMessage());
  }

  @Test
  void weightsAndCentresComeThroughPipesToo() throws Exception {
    Path w = fifo(dir.resolve("w.csv"));
    feed(w, "w\n1\n2\n3\n");
    assertArrayEquals(new double[] {1, 2, 3},
        assertTimeoutPreemptively(LIMIT, () -> DataFiles.readVector(w, 3, "sample weights")));
    Path c = fifo(dir.resolve("c.csv"));
    feed(c, "0 0\n5 5\n");
    double[][] m = assertTimeoutPreemptively(LIMIT, () -> DataFiles.readMatrix(c, "initial centres"));
    assertArrayEquals(new double[] {0, 0}, m[0]);
    assertArrayEquals(new double[] {5, 5}, m[1]);
  }

  @Test
  void aNpyPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
    // No writer at all: opening the pipe would block, so a refusal within the limit shows that
    // the file is not opened.
    Path pipe = fifo(dir.resolve("f.npy"));
    String expected = pipe + ": cannot read: is a named pipe; .npy data must be a regular file, since they are"
        + " memory-mapped (save the array to a file first)";
    InputException data = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(InputException.class, () -> DataFiles.read(pipe)));
    assertEquals(expected, data.getMessage());
    InputException vector = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(InputException.class, () -> DataFiles.readVector(pipe, -1, "sample weights")));
    assertEquals(expected, vector.getMessage());
    InputException matrix = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(InputException.class, () -> DataFiles.readMatrix(pipe, "initial centres")));
    assertEquals(expected, matrix.getMessage());
  }

  @Test
  void aNpyPipeWithAWriterIsRefusedAsWellNotReadAsEmpty() throws Exception {
    // The bug: a pipe's size reads as 0, so a pipe holding an array was called an empty file.
    Path real = NpyBytes.of("<f4", false, 4, 2)
        .values(new double[][] {{1, 1}, {1, 1}, {1, 1}, {1, 1}}, 4, ByteOrder.LITTLE_ENDIAN, false)
        .write(dir.resolve("g.npy"));
    Path pipe = fifo(dir.resolve("g-pipe.npy"));
    CompletableFuture<Void> writer = feed(pipe, Files.readAllBytes(real));
    InputException e = assertTimeoutPreemptively(LIMIT,
        () -> assertThrows(InputException.class, () -> DataFiles.read(pipe)));
    assertEquals(pipe + ": cannot read: is a named pipe; .npy data must be a regular file, since they are"
        + " memory-mapped (save the array to a file first)", e.getMessage());
    assertFalse(writer.isDone(), "the pipe was never opened for reading");
    // Let the writer go: open the pipe for reading and drop what it sends.
    try (var in = Files.newInputStream(pipe)) {
      in.readAllBytes();
    }
  }

  @Test
  void aCharacterDeviceIsNamedAsSuch() throws Exception {
    Path devNull = Path.of("/dev/null");
    Assumptions.assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "no /dev/null device");
    Path link = Files.createSymbolicLink(dir.resolve("null.npy"), devNull);
    InputException e = assertThrows(InputException.class, () -> DataFiles.read(link));
    assertEquals(link + ": cannot read: is a character device; .npy data must be a regular file, since they are"
        + " memory-mapped (save the array to a file first)", e.getMessage());
    // A text table behind the same device reads as a stream: nothing in it.
    Path csv = Files.createSymbolicLink(dir.resolve("null.csv"), devNull);
    assertEquals(csv + ": empty file", assertThrows(InputException.class, () -> DataFiles.read(csv)).getMessage());
    // Removed here, so that the temporary directory's clean-up finds no link leading out of it.
    Files.delete(link);
    Files.delete(csv);
  }
}
