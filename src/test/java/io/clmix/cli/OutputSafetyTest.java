package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the command line does to files around its outputs: it never writes an output over one
 * of its inputs or over another output, a failed command (a full standard output included)
 * leaves no output, and sizes that cannot fit memory are refused up front, in one line.
 */
class OutputSafetyTest {
  @TempDir Path dir;
  private Path data;

  @BeforeEach
  void data() throws IOException {
    data = dir.resolve("d.csv");
    Files.writeString(data, "1,2\n1.5,2\n8,9\n8.5,9.5\n");
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void anOutputNeverReplacesTheInputData() throws IOException {
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--labels-out", data.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --labels-out " + data + ": is also the data file; an output never replaces an input",
        r.err().strip());
    assertEquals("1,2\n1.5,2\n8,9\n8.5,9.5\n", Files.readString(data));
  }

  @Test
  void anOutputNeverReplacesTheModelItReads() throws IOException {
    Path model = dir.resolve("m.json");
    assertEquals(0, CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", model.toString())
        .status());
    String saved = Files.readString(model);
    CliRun r = CliRun.of("predict", model.toString(), data.toString(), "--device", "java", "--out", model.toString());
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().strip().endsWith("is also the model file; an output never replaces an input"), r.err());
    assertEquals(saved, Files.readString(model));
  }

  @Test
  void labelsAreNotWrittenUnderAJsonOrPictureName() throws IOException {
    Path json = dir.resolve("labels.json");
    CliRun fit = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--labels-out", json.toString());
    assertEquals(2, fit.status(), fit.err());
    assertEquals("clmix: error: --labels-out " + json + ": the labels are one label per line (or .npy), not what a"
        + " .json name says; name the file .txt", fit.err().strip());
    assertTrue(Files.notExists(json));
    Path model = dir.resolve("m.json");
    assertEquals(0, CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", model.toString())
        .status());
    CliRun predict = CliRun.of("predict", model.toString(), data.toString(), "--device", "java", "--out",
        dir.resolve("labels.svg").toString());
    assertEquals(2, predict.status(), predict.err());
    assertTrue(predict.err().contains("the labels are one label per line (or .npy), not what a .svg name says"),
        predict.err());
    CliRun generate = CliRun.of("generate", "--n", "10", "--d", "2", "-k", "2", "--out", dir.resolve("g.csv").toString(),
        "--labels-out", dir.resolve("g.JSON").toString());
    assertEquals(2, generate.status(), generate.err());
    assertTrue(generate.err().contains("--labels-out " + dir.resolve("g.JSON") + ": the labels are"), generate.err());
  }

  @Test
  void aJsonOrCsvOutputIsNotNamedForAnotherFormat() throws IOException {
    Path npy = dir.resolve("m.npy");
    CliRun model = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", npy.toString());
    assertEquals(2, model.status(), model.err());
    assertEquals("clmix: error: --model-out " + npy + ": the model is JSON, not what a .npy name says; name the file"
        + " .json", model.err().strip());
    CliRun select = CliRun.of("select", data.toString(), "-k", "1..2", "--device", "java", "--model-out",
        dir.resolve("best.CSV").toString());
    assertEquals(2, select.status(), select.err());
    assertTrue(select.err().contains("the model is JSON, not what a .csv name says"), select.err());
    CliRun start = CliRun.of("bench", "--n", "10", "--d", "2", "-k", "2", "--devices", "java", "--save-start",
        dir.resolve("start.png").toString());
    assertEquals(2, start.status(), start.err());
    assertTrue(start.err().contains("--save-start " + dir.resolve("start.png") + ": the start is JSON"), start.err());
    CliRun csv = CliRun.of("bench", "--n", "10", "--d", "2", "-k", "2", "--devices", "java", "--csv",
        dir.resolve("report.json").toString());
    assertEquals(2, csv.status(), csv.err());
    assertTrue(csv.err().contains("the report is CSV, not what a .json name says; name the file .csv"), csv.err());
    assertEquals(List.of("d.csv"), names());
    // Names of no known format stay the user's choice.
    Path any = dir.resolve("m.model");
    assertEquals(0, CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", any.toString())
        .status());
    assertTrue(Files.readString(any).startsWith("{"));
  }

  @Test
  void twoOutputsOfOneCommandMustDiffer() throws IOException {
    Path both = dir.resolve("x.json");
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", both.toString(),
        "--labels-out", both.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --labels-out " + both + ": is also --model-out; give each output its own file",
        r.err().strip());
    assertEquals(List.of("d.csv"), names());
  }

  @Test
  void aMissingDirectoryIsNamedAsTheUserWroteIt() throws IOException {
    // Relative to the working directory, which has no such folder: the message names it so,
    // not as the absolute path the check resolved.
    String missing = "no-such-folder-" + System.nanoTime();
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", missing + "/m.json");
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --model-out " + missing + "/m.json: directory " + missing + " does not exist",
        r.err().strip());
    // Through a link, the directory that is missing is where the link leads.
    Path link = Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("gone/x.json"));
    CliRun l = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", link.toString());
    assertEquals(2, l.status(), l.err());
    assertEquals("clmix: error: --model-out " + link + ": directory " + dir.toRealPath().resolve("gone")
        + " does not exist", l.err().strip());
  }

  @Test
  void aSymbolicLinkToTheInputIsTheInput() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("alias.csv"), data.getFileName());
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--labels-out", link.toString());
    assertEquals(2, r.status(), r.err());
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("1,2\n1.5,2\n8,9\n8.5,9.5\n", Files.readString(data));
  }

  @Test
  void aLoopOfSymbolicLinksIsRefusedAndLeftAsItIs() throws IOException {
    // loopA -> loopB -> loopA leads to no file: writing "through" it used to replace loopA.
    Path a = dir.resolve("loopA");
    Path b = dir.resolve("loopB");
    Files.createSymbolicLink(a, b.getFileName());
    Files.createSymbolicLink(b, a.getFileName());
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", a.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --model-out " + a + ": too many levels of symbolic links", r.err().strip());
    assertTrue(Files.isSymbolicLink(a) && Files.isSymbolicLink(b), "both links are still links");
    assertEquals(b.getFileName(), Files.readSymbolicLink(a));
    assertEquals(List.of("d.csv", "loopA", "loopB"), names());
  }

  @Test
  void aNameEndingInASlashNamesADirectoryNotAFile() throws IOException {
    // Path.of("new.json/") is new.json: the slash, which makes the name a directory's, would
    // be lost, and a file new.json written.
    String slashed = dir.resolve("new.json") + "/";
    CliRun r = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", slashed);
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --model-out " + slashed + ": names a directory (it ends in /); name a file",
        r.err().strip());
    assertEquals(List.of("d.csv"), names());
    // An input too: d.csv/ is no file to read (cat d.csv/ says "Not a directory").
    CliRun in = CliRun.of("fit", data + "/", "-k", "2", "--device", "java");
    assertEquals(2, in.status(), in.err());
    assertEquals("clmix: error: DATA " + data + "/: names a directory (it ends in /); name a file", in.err().strip());
  }

  @Test
  void aCommandWhoseStandardOutputFailsFailsAndWritesNothing() throws IOException {
    Path out = dir.resolve("g.npy");
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    // A full disk behind a redirection: every write to stdout fails.
    cl.setOut(new PrintWriter(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("no space left on device");
      }
    }), true));
    cl.setErr(new PrintWriter(err, true));
    int status = Main.run(cl, "generate", "--n", "10", "--d", "2", "-k", "2", "--out", out.toString());
    assertEquals(2, status, err.toString());
    assertEquals("clmix: error: cannot write to standard output", err.toString().strip());
    assertEquals(List.of("d.csv"), names(), "the generated file does not appear");
  }

  @Test
  void dataThatCannotFitMemoryAreRefusedUpFront() throws IOException {
    CliRun r = CliRun.of("generate", "--n", "99999999999", "--d", "2", "-k", "2", "--out", dir.resolve("g.npy").toString());
    assertEquals(2, r.status(), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertTrue(r.err().startsWith("clmix: error: --n 99999999999 x --d 2: "), r.err());
    assertTrue(r.err().contains("do not fit this JVM's"), r.err());
    assertEquals(List.of("d.csv"), names());
  }

  @Test
  void standardOutputTakesTextOutputsOneAtATime() throws IOException {
    CliRun binary = CliRun.of("generate", "--n", "10", "--d", "2", "-k", "2", "--out", "-");
    assertEquals(2, binary.status(), binary.err());
    assertEquals("clmix: error: --out -: this output's format comes from its file name; name a file",
        binary.err().strip());
    CliRun twice = CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", "-",
        "--labels-out", "/dev/stdout");
    assertEquals(2, twice.status(), twice.err());
    assertEquals("clmix: error: --labels-out /dev/stdout: is also --model-out; give each output its own file",
        twice.err().strip());
    assertEquals(List.of("d.csv"), names());
  }

  @Test
  void aReaderThatWentAwayIsNotAFailure() {
    WatchedOutput gone = new WatchedOutput(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    });
    WatchedOutput full = new WatchedOutput(new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("No space left on device");
      }
    });
    PrintStream a = new PrintStream(gone, true);
    PrintStream b = new PrintStream(full, true);
    a.println("labels");
    b.println("labels");
    assertTrue(a.checkError() && b.checkError());
    assertTrue(gone.readerGone(), "| head closed the pipe: the command still succeeded");
    assertTrue(!full.readerGone(), "a full disk is a failure");
  }
}
