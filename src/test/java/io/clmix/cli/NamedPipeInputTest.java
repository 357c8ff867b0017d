package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named pipes given to the commands: a text data file, {@code --weights} and {@code --init}
 * are read through them (the reader used to open a text file twice, and the second open of a
 * pipe hung); a {@code .npy} pipe is refused with one line and status 2, on {@code fit},
 * {@code predict} and {@code score} and as {@code --weights} or {@code --init}; a pipe that is
 * also an output is refused (writing into it hung), as is one named as two inputs (the second
 * read hung), and one that is only an output is written into.
 * Each command runs under a timeout, so a regression fails rather than hangs.
 */
class NamedPipeInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String GOOD = "1,2\n3,4\n5,6\n7,8\n";

  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void fitAModel() throws IOException {
    Path data = dir.resolve("good.csv");
    Files.writeString(data, GOOD);
    model = dir.resolve("model.json");
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--seed", "1", "--device", "java",
        "--model-out", model.toString());
    assertEquals(0, r.status(), r.err());
  }

  /** A new named pipe, or the test is skipped where {@code mkfifo} is unavailable. */
  private static Path fifo(String name) throws InterruptedException {
    Path file = dir.resolve(name);
    int status;
    try {
      Files.deleteIfExists(file);
      status = new ProcessBuilder("mkfifo", file.toString()).start().waitFor();
    } catch (IOException e) {
      status = -1;
    }
    Assumptions.assumeTrue(status == 0, "mkfifo is not available");
    return file;
  }

  /** Writes {@code text} into the pipe from a daemon thread, so a reader that never comes leaves nothing behind. */
  private static void feed(Path pipe, String text) {
    Thread t = new Thread(() -> {
      try (OutputStream out = Files.newOutputStream(pipe)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the reader went away; the assertions on the command say what happened
      }
    }, "fifo-writer");
    t.setDaemon(true);
    t.start();
  }

  private static CliRun run(String... args) {
    return assertTimeoutPreemptively(LIMIT, () -> CliRun.of(args));
  }

  private static String npyRefusal(Path pipe) {
    return "clmix: error: " + pipe + ": cannot read: is a named pipe; .npy data must be a regular file, since they"
        + " are memory-mapped (save the array to a file first)\n";
  }

  @Test
  void fitReadsACsvPipe() throws Exception {
    Path pipe = fifo("p.csv");
    feed(pipe, GOOD);
    CliRun r = run("fit", pipe.toString(), "-k", "2", "--seed", "1", "--device", "java", "--json");
    assertEquals(0, r.status(), r.err());
    JsonNode j = JSON.readTree(r.lastLine());
    assertEquals(4, j.get("n").asLong());
    assertEquals(2, j.get("d").asLong());
  }

  @Test
  void weightsAndInitComeThroughPipes() throws Exception {
    Path data = dir.resolve("good.csv");
    Path weights = fifo("w.csv");
    Path init = fifo("init.csv");
    feed(weights, "1\n1\n1\n1\n");
    feed(init, "1,2\n7,8\n");
    CliRun r = run("fit", data.toString(), "-k", "2", "--device", "java", "--weights", weights.toString(),
        "--init", init.toString(), "--json");
    assertEquals(0, r.status(), r.err());
    // From centres (1,2) and (7,8), the rows split 2 and 2: inertia 4 + 4.
    assertEquals(8.0, JSON.readTree(r.lastLine()).get("inertia").asDouble(), 1e-6);
  }

  @Test
  void predictAndScoreReadCsvPipes() throws Exception {
    Path p = fifo("predict.csv");
    feed(p, GOOD);
    CliRun predicted = run("predict", model.toString(), p.toString(), "--device", "java");
    assertEquals(0, predicted.status(), predicted.err());
    assertEquals(4, predicted.out().strip().split("\n").length, predicted.out());
    Path s = fifo("score.csv");
    feed(s, GOOD);
    CliRun scored = run("score", model.toString(), s.toString(), "--device", "java", "--json");
    assertEquals(0, scored.status(), scored.err());
    CliRun file = run("score", model.toString(), dir.resolve("good.csv").toString(), "--device", "java", "--json");
    assertEquals(0, file.status(), file.err());
    double inertia = JSON.readTree(file.lastLine()).get("inertia").asDouble();
    assertTrue(inertia > 0, file.lastLine());
    assertEquals(inertia, JSON.readTree(scored.lastLine()).get("inertia").asDouble(), 1e-9, "the pipe scores as the file");
  }

  @Test
  void aPipeNamedAsTwoInputsIsRefused() throws Exception {
    // The first reader empties the pipe; the second waited for a writer that was gone, forever.
    Path fitPipe = fifo("twice.csv");
    feed(fitPipe, GOOD);
    CliRun fit = run("fit", fitPipe.toString(), "-k", "2", "--device", "java", "--weights", fitPipe.toString());
    assertEquals(2, fit.status(), fit.err());
    assertEquals("clmix: error: --weights " + fitPipe + ": is also the data file; a pipe can be read only once, so"
        + " give each input its own file\n", fit.err());
    Path scorePipe = fifo("twice2.csv");
    feed(scorePipe, GOOD);
    CliRun score = run("score", model.toString(), scorePipe.toString(), "--weights", scorePipe.toString());
    assertEquals(2, score.status(), score.err());
    assertEquals("clmix: error: --weights " + scorePipe + ": is also the data file; a pipe can be read only once, so"
        + " give each input its own file\n", score.err());
  }

  @Test
  void aPipeThatIsBothTheInputAndAnOutputIsRefused() throws Exception {
    // Read to its end, the pipe's writer is gone: opening it to write an output would wait for
    // a reader forever. It is refused up front, as a regular file would be.
    Path fitPipe = fifo("both.csv");
    feed(fitPipe, GOOD);
    CliRun fit = run("fit", fitPipe.toString(), "-k", "2", "--device", "java", "--labels-out", fitPipe.toString());
    assertEquals(2, fit.status(), fit.err());
    assertEquals("clmix: error: --labels-out " + fitPipe + ": is also the data file; an output never replaces an"
        + " input\n", fit.err());
    Path predictPipe = fifo("both2.csv");
    feed(predictPipe, GOOD);
    CliRun predict = run("predict", model.toString(), predictPipe.toString(), "--device", "java", "--out",
        predictPipe.toString());
    assertEquals(2, predict.status(), predict.err());
    assertEquals("clmix: error: --out " + predictPipe + ": is also the data file; an output never replaces an"
        + " input\n", predict.err());
  }

  @Test
  void aPipeThatIsOnlyAnOutputIsWrittenInto() throws Exception {
    // The other side of the refusal above: a pipe that no input names takes the labels.
    Path pipe = fifo("labels.out");
    java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readString(pipe);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    CliRun r = run("predict", model.toString(), dir.resolve("good.csv").toString(), "--device", "java", "--out",
        pipe.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(4, read.get(60, java.util.concurrent.TimeUnit.SECONDS).strip().split("\n").length);
  }

  @Test
  void npyPipesAreRefusedWithOneLine() throws Exception {
    // No writer: a command that opened the pipe would wait for one until the timeout.
    Path pipe = fifo("f.npy");
    Path data = dir.resolve("good.csv");
    List<String[]> commands = List.of(
        new String[] {"fit", pipe.toString(), "-k", "2", "--device", "java"},
        new String[] {"predict", model.toString(), pipe.toString(), "--device", "java"},
        new String[] {"score", model.toString(), pipe.toString(), "--device", "java"},
        new String[] {"fit", data.toString(), "-k", "2", "--device", "java", "--weights", pipe.toString()},
        new String[] {"fit", data.toString(), "-k", "2", "--device", "java", "--init", pipe.toString()});
    for (String[] args : commands) {
      CliRun r = run(args);
      String what = String.join(" ", args);
      assertEquals(2, r.status(), what + ": " + r.err());
      assertEquals(npyRefusal(pipe), r.err(), what);
      assertFalse(r.err().contains("\tat "), "no stack trace: " + what);
    }
  }
}
