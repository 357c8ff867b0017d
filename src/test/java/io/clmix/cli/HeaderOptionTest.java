package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --header} end to end: every command that reads a data file takes it, {@code auto}
 * never drops a row of values and says on stderr when it skipped a header, {@code yes} skips a
 * numeric header, and {@code no} reads a line of names as bad values.
 */
class HeaderOptionTest {
  @TempDir
  static Path dir;

  /** A K-means model of two columns, for predict, score and plot. */
  static Path model;

  @BeforeAll
  static void fitAModel() throws IOException {
    Path good = write("good.csv", "1,2\n3,4\n5,6\n7,8\n");
    model = dir.resolve("km.json");
    CliRun r = CliRun.of("fit", good.toString(), "-k", "1", "--device", "java", "--model-out", model.toString());
    assertEquals(0, r.status(), r.err());
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static CliRun fit(Path data, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "fit";
    args[1] = data.toString();
    args[2] = "-k";
    args[3] = "1";
    System.arraycopy(more, 0, args, 4, more.length);
    return CliRun.of(withJava(args));
  }

  private static String[] withJava(String... args) {
    String[] out = java.util.Arrays.copyOf(args, args.length + 2);
    out[args.length] = "--device";
    out[args.length + 1] = "java";
    return out;
  }

  @Test
  void everyCommandThatReadsDataTakesHeader() {
    CommandLine cl = Main.commandLine();
    int readers = 0;
    for (CommandLine sub : cl.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      boolean readsData = spec.positionalParameters().stream().anyMatch(p -> p.paramLabel().equals("DATA"));
      if (readsData) {
        readers++;
        assertTrue(spec.findOption("--header") != null, "clmix " + spec.name() + " reads DATA and takes --header");
        assertEquals("auto", spec.findOption("--header").defaultValue(), spec.name());
      }
    }
    assertEquals(5, readers, "fit, predict, score, select and plot read a data file");
  }

  /** The black-box review's files: their first lines were dropped as headers. */
  @ParameterizedTest
  @ValueSource(strings = {"0x10", "1f", "1_000", "1d0"})
  void aMalformedNumberOnLineOneIsAnErrorNotADroppedRow(String cell) throws IOException {
    Path f = write("bad.csv", cell + ",0\n1,2\n3,4\n5,6\n");
    CliRun r = fit(f);
    assertEquals(2, r.status(), r.out());
    assertEquals("clmix: error: " + f + ", line 1, column 1: value '" + cell + "' is not a number\n", r.err());
  }

  @Test
  void namesBesideNumbersAreAnErrorThatPointsToHeaderYes() throws IOException {
    Path f = write("mixed.csv", "x,2\n1,2\n3,4\n");
    CliRun r = fit(f);
    assertEquals(2, r.status(), r.out());
    assertEquals("clmix: error: " + f + ", line 1, column 1: value 'x' is not a number (if line 1 is a header, "
        + "say so with --header yes)\n", r.err());
    CliRun yes = fit(f, "--header", "yes");
    assertEquals(0, yes.status(), yes.err());
    assertTrue(yes.out().contains("on 2 x 2 rows of mixed.csv"), yes.out());
    assertEquals("", yes.err());
  }

  @Test
  void aGuessedHeaderIsNotedOnStderr() throws IOException {
    Path f = write("named.csv", "x,y\n1,2\n3,4\n5,6\n");
    CliRun r = fit(f);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("on 3 x 2 rows of named.csv"), r.out());
    assertEquals("clmix: note: " + f + ": line 1 taken as a header ('x', 'y'); --header no reads it as data\n", r.err());
    CliRun yes = fit(f, "--header", "yes");
    assertEquals(0, yes.status(), yes.err());
    assertTrue(yes.out().contains("on 3 x 2 rows of named.csv"), yes.out());
    assertEquals("", yes.err(), "said, not guessed: no note");
    CliRun no = fit(f, "--header", "no");
    assertEquals(2, no.status());
    assertEquals("clmix: error: " + f + ", line 1, column 1: value 'x' is not a number\n", no.err());
  }

  @Test
  void aPandasHeaderOfNumbersIsDataUnlessHeaderYes() throws IOException {
    Path f = write("pandas.csv", "0,1\n1,2\n3,4\n5,6\n");
    CliRun auto = fit(f);
    assertEquals(0, auto.status(), auto.err());
    assertTrue(auto.out().contains("on 4 x 2 rows of pandas.csv"), auto.out());
    assertEquals("clmix: note: " + f + ": line 1 (0, 1) read as data; if it is pandas' header for unnamed columns, "
        + "--header yes skips it\n", auto.err());
    CliRun yes = fit(f, "--header", "yes");
    assertEquals(0, yes.status(), yes.err());
    assertTrue(yes.out().contains("on 3 x 2 rows of pandas.csv"), yes.out());
    assertEquals("", yes.err());
  }

  @Test
  void predictScoreSelectAndPlotReadTheSameRows() throws IOException {
    Path f = write("numeric-header.csv", "0,1\n1,2\n3,4\n5,6\n");
    CliRun p = CliRun.of(withJava("predict", model.toString(), f.toString(), "--header", "yes"));
    assertEquals(0, p.status(), p.err());
    assertEquals(List.of("0", "0", "0"), p.out().lines().toList(), "one label per data row, none for the header");
    assertEquals("", p.err());
    CliRun s = CliRun.of(withJava("score", model.toString(), f.toString(), "--header", "yes", "--json"));
    assertEquals(0, s.status(), s.err());
    assertTrue(s.lastLine().contains("\"n\":3"), s.lastLine());
    CliRun sel = CliRun.of(withJava("select", f.toString(), "-k", "1", "--covariance", "diag", "--header", "yes"));
    assertEquals(0, sel.status(), sel.err());
    assertTrue(sel.out().contains("(3 x 2)"), sel.out());
    Path picture = dir.resolve("p.svg");
    CliRun plot = CliRun.of(withJava("plot", model.toString(), f.toString(), "--out", picture.toString(),
        "--header", "no"));
    assertEquals(0, plot.status(), plot.err());
    assertEquals("", plot.err());

    Path named = write("named-for-predict.txt", "x y\n1 2\n3 4\n");
    CliRun guessed = CliRun.of(withJava("predict", model.toString(), named.toString()));
    assertEquals(0, guessed.status(), guessed.err());
    assertEquals(List.of("0", "0"), guessed.out().lines().toList());
    assertEquals("clmix: note: " + named + ": line 1 taken as a header ('x', 'y'); --header no reads it as data\n",
        guessed.err());
    CliRun refused = CliRun.of(withJava("score", model.toString(), named.toString(), "--header", "no"));
    assertEquals(2, refused.status());
    assertEquals("clmix: error: " + named + ", line 1, column 1: value 'x' is not a number\n", refused.err());
  }

  @Test
  void anUnknownModeIsRefusedBeforeTheDataAreRead() {
    for (String command : new String[] {"fit", "select"}) {
      CliRun r = CliRun.of(withJava(command, dir.resolve("missing.csv").toString(), "-k", "1", "--header", "maybe"));
      assertEquals(2, r.status(), command);
      assertEquals("clmix: error: --header: 'maybe' is not allowed; expected auto, yes or no\n", r.err(), command);
    }
    String missing = dir.resolve("missing.csv").toString();
    List<String[]> runs = List.of(
        new String[] {"predict", model.toString(), missing, "--header", "true"},
        new String[] {"score", model.toString(), missing, "--header", "true"},
        new String[] {"plot", model.toString(), missing, "--out", dir.resolve("x.svg").toString(), "--header", "true"});
    for (String[] args : runs) {
      CliRun r = CliRun.of(withJava(args));
      assertEquals(2, r.status(), args[0]);
      assertEquals("clmix: error: --header: 'true' is not allowed; expected auto, yes or no\n", r.err(), args[0]);
    }
  }

  @Test
  void npyFilesHaveNoHeaderToSkip() {
    Path npy = dir.resolve("g.npy");
    assertEquals(0, CliRun.of("generate", "--n", "20", "--d", "2", "-k", "1", "--out", npy.toString()).status());
    for (String mode : new String[] {"auto", "yes", "no"}) {
      CliRun r = fit(npy, "--header", mode);
      assertEquals(0, r.status(), r.err());
      assertTrue(r.out().contains("on 20 x 2 rows"), r.out());
      assertEquals("", r.err());
    }
  }
}
