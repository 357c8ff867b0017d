package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.DataFiles;
import io.clmix.data.InputException;
import io.clmix.data.ReadOptions;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.model.ModelJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every row of docs/errors.md, run as written: the command's exit status and its one line on
 * stderr are exactly what the table says, with no stack trace, and the directory the command
 * works in is byte for byte as before: no output file created, none clobbered, no temporary
 * file left. Each command runs twice, once with its outputs pointing at files that exist and
 * once at paths that do not. The table is parsed from the document itself, so the document
 * cannot drift from the code.
 *
 * <p>In the table, file names refer to {@link ErrorInputs}; {@code <...>} in a message stands
 * for text that depends on the machine (the list of OpenCL devices).
 */
class ErrorCatalogTest {
  static final Path DOC = Path.of("docs", "errors.md");
  private static final Pattern ROW = Pattern.compile(
      "^\\|([^|]+)\\|\\s*`(clmix [^`]*)`\\s*\\|\\s*`([^`]*)`\\s*\\|\\s*(\\d+)\\s*\\|([^|]*)\\|\\s*$");
  private static final Pattern FILE_ARG = Pattern.compile("^[\\w.-]*\\w\\.(csv|tsv|txt|npy|json|xyz)$|.*/.*");

  @TempDir
  static Path dir;

  @BeforeAll
  static void inputs() throws IOException {
    ErrorInputs.writeAll(dir);
  }

  /** One documented error: a row of the table. */
  record Row(String what, String command, String message, int status, String library) {
    @Override
    public String toString() {
      return what;
    }
  }

  static List<Row> rows() throws IOException {
    List<Row> out = new ArrayList<>();
    for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
      Matcher m = ROW.matcher(line.strip());
      if (m.matches()) {
        out.add(new Row(m.group(1).strip(), m.group(2).strip(), m.group(3), Integer.parseInt(m.group(4)),
            m.group(5).strip().replace("`", "")));
      }
    }
    return out;
  }

  static Stream<Arguments> documented() throws IOException {
    return rows().stream().map(Arguments::of);
  }

  /** The rows whose library call this test makes: the readers of data and model files. */
  static Stream<Arguments> readers() throws IOException {
    return rows().stream()
        .filter(r -> r.library().equals("DataFiles.read") || r.library().equals("ModelJson.read"))
        .map(Arguments::of);
  }

  @Test
  void theDocumentHasATableOfErrors() throws IOException {
    List<Row> rows = rows();
    assertTrue(rows.size() >= 60, "rows parsed from " + DOC + ": " + rows.size());
    assertEquals(rows.size(), rows.stream().map(Row::what).distinct().count(), "every case is named once");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documented")
  void theCommandLineSaysWhatTheDocumentSays(Row row) throws IOException {
    if (row.command().contains(ErrorInputs.UNREADABLE)) {
      Assumptions.assumeFalse(Files.isReadable(dir.resolve(ErrorInputs.UNREADABLE)),
          "permissions do not stop this user (root?) from reading " + ErrorInputs.UNREADABLE);
    }
    if (row.command().contains("opencl:")) {
      OpenClTestSupport.requireDevice(); // the message lists the devices, so there must be OpenCL
    }
    for (boolean existingOutputs : new boolean[] {true, false}) {
      String[] args = arguments(row.command(), existingOutputs);
      Map<String, String> before = snapshot();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(err));
      int status = cl.execute(args);
      String stderr = normalise(err.toString());
      String context = String.join(" ", args);
      assertEquals(row.status(), status, context + "\nstderr: " + stderr);
      List<String> lines = stderr.lines().toList();
      assertEquals(1, lines.size(), "one line on stderr for " + context + ":\n" + stderr);
      assertTrue(matches(row.message(), lines.get(0)), "for " + context + "\nexpected: " + row.message()
          + "\nactual:   " + lines.get(0));
      assertEquals(before, snapshot(), "files after " + context);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readers")
  void theLibraryThrowsTheSameMessage(Row row) {
    String[] words = row.command().split("\\s+");
    String expected = row.message().substring("clmix: error: ".length());
    InputException e;
    if (row.library().equals("ModelJson.read")) {
      e = assertThrows(InputException.class, () -> ModelJson.read(dir.resolve(words[2])));
    } else {
      String file = words[1].equals("predict") || words[1].equals("score") ? words[3] : words[2];
      if (file.equals(ErrorInputs.UNREADABLE)) {
        Assumptions.assumeFalse(Files.isReadable(dir.resolve(file)), "root reads everything");
      }
      // The row's --header, if any, as the library's option.
      int h = Arrays.asList(words).indexOf("--header");
      ReadOptions options = h < 0 ? ReadOptions.defaults()
          : ReadOptions.defaults().withHeader(ReadOptions.Header.parse(words[h + 1]));
      e = assertThrows(InputException.class, () -> DataFiles.read(dir.resolve(file), options));
    }
    assertTrue(matches(expected, normalise(e.getMessage())), "expected: " + expected + "\nactual:   "
        + normalise(e.getMessage()));
  }

  @Test
  void verboseAddsTheStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute("fit", dir.resolve("ragged.csv").toString(), "-k", "2", "--verbose");
    assertEquals(2, status);
    List<String> lines = err.toString().lines().toList();
    assertTrue(lines.get(0).startsWith("clmix: error: "), lines.get(0));
    assertTrue(lines.size() > 3 && lines.get(1).startsWith("io.clmix.data.InputException: "), err.toString());
  }

  /** The command's words, files resolved in the temporary directory, outputs added. */
  private static String[] arguments(String command, boolean existingOutputs) {
    List<String> args = new ArrayList<>(Arrays.asList(command.split("\\s+")));
    args.remove(0); // "clmix"
    String sub = args.get(0);
    String model = existingOutputs ? "existing-model.json" : "new-model.json";
    String labels = existingOutputs ? "existing-labels.txt" : "new-labels.txt";
    if (sub.equals("fit") || sub.equals("predict") || sub.equals("score")) {
      // The Java engine unless the row names a device: on a GPU machine auto mode could add a
      // fallback warning line (no mixture kernels yet), and the result must not depend on that.
      addUnlessPresent(args, "--device", "java");
    }
    if (sub.equals("fit")) {
      addUnlessPresent(args, "--model-out", model);
      addUnlessPresent(args, "--labels-out", labels);
    } else if (sub.equals("predict")) {
      addUnlessPresent(args, "--out", labels);
    } else if (sub.equals("generate")) {
      addUnlessPresent(args, "--labels-out", labels);
    }
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i).equals("''")) {
        args.set(i, ""); // a shell's empty argument
        continue;
      }
      if (args.get(i).startsWith("-")) {
        continue; // an option to the parser, even when it names a file (-x.csv): kept as written
      }
      if (FILE_ARG.matcher(args.get(i)).matches() || Files.exists(dir.resolve(args.get(i)))) {
        // A trailing slash is part of the name as given (Path drops it): kept.
        args.set(i, dir.resolve(args.get(i)) + (args.get(i).endsWith("/") ? "/" : ""));
      }
    }
    return args.toArray(new String[0]);
  }

  private static void addUnlessPresent(List<String> args, String option, String value) {
    if (!args.contains(option)) {
      args.add(option);
      args.add(value);
    }
  }

  /** Messages name files as given; the test gives absolute paths in its directory. */
  private static String normalise(String s) {
    return s.replace(dir.toString() + "/", "").replace(dir.toString(), ".");
  }

  private static boolean matches(String documented, String actual) {
    StringBuilder regex = new StringBuilder();
    for (String part : documented.split("<\\.\\.\\.>", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.matches(regex.toString(), actual);
  }

  /** Every file in the directory (recursively) with its content, to compare before and after. */
  private static Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String name = dir.relativize(p).toString();
        if (Files.isDirectory(p)) {
          files.put(name + "/", "");
        } else if (Files.isReadable(p)) {
          files.put(name, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        } else {
          files.put(name, "(unreadable)");
        }
      }
    }
    return files;
  }
}
