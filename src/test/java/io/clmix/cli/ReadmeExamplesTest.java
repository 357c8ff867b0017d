package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.engine.opencl.OpenClTestSupport;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's examples run: every line of its command-line block (files redirected into a
 * temporary folder) exits 0, and its Java block compiles and runs against the library.
 */
class ReadmeExamplesTest {
  private static final Pattern BLOCK = Pattern.compile("```(bash|java)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern FILE = Pattern.compile("[\\w.-]+\\.(npy|json|txt|csv|png|svg)");

  @TempDir
  Path dir;

  private static List<String> blocks(String lang) throws IOException {
    return blocks("README.md", lang);
  }

  private static List<String> blocks(String file, String lang) throws IOException {
    String text = Files.readString(Path.of(file));
    List<String> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(lang)) {
        out.add(m.group(2));
      }
    }
    return out;
  }

  @Test
  void theCommandLineExamplesRun() throws IOException {
    OpenClTestSupport.requireDevice(); // the examples name opencl:0:0
    List<String> blocks = blocks("bash");
    String commands = blocks.stream().filter(b -> b.contains("./clmix fit")).findFirst().orElseThrow();
    int ran = 0;
    for (String line : commands.split("\n")) {
      String cmd = line.replaceAll("\\s+#.*$", "").trim();
      if (!cmd.startsWith("./clmix ")) {
        continue;
      }
      List<String> args = new ArrayList<>();
      for (String a : cmd.substring("./clmix ".length()).split("\\s+")) {
        args.add(FILE.matcher(a).matches() ? dir.resolve(a).toString() : a);
      }
      CliRun r = CliRun.of(args.toArray(new String[0]));
      assertEquals(0, r.status(), line + "\n" + r.err());
      ran++;
    }
    assertTrue(ran >= 8, "the README shows the commands");
    assertTrue(Files.exists(dir.resolve("gm.png")) && Files.exists(dir.resolve("bic.png")));
  }

  @Test
  void theLibraryExampleCompilesAndRuns() throws Exception {
    OpenClTestSupport.requireDevice();
    compileAndRun("README.md", 5);
  }

  @Test
  void theGettingStartedExampleCompilesAndRuns() throws Exception {
    compileAndRun("docs/getting-started.md", 6);
  }

  /**
   * Compiles the first Java block of {@code file} exactly as written (its imports are the
   * reader's; none are added) into a main method, runs it on generated blobs of k clusters,
   * and checks that it prints its BIC.
   */
  private void compileAndRun(String file, int k) throws Exception {
    String code = blocks(file, "java").get(0);
    Path data = dir.resolve("blobs.npy");
    assertEquals(0, CliRun.of("generate", "--n", "20000", "--d", "4", "-k", String.valueOf(k), "--out",
        data.toString()).status());
    StringBuilder imports = new StringBuilder();
    StringBuilder body = new StringBuilder();
    for (String line : code.split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    String source = imports + "public class ReadmeExample {\n  public static void main(String[] args) throws Exception {\n"
        + body.toString().replace("\"blobs.npy\"", "args[0]") + "  }\n}\n";
    Path src = dir.resolve("ReadmeExample.java");
    Files.writeString(src, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean ok = javac.getTask(diagnostics, null, null,
        List.of("-d", dir.toString(), "-classpath", System.getProperty("java.class.path")), null,
        javac.getStandardFileManager(null, null, null).getJavaFileObjects(src)).call();
    assertTrue(ok, "the Java example of " + file + " compiles:\n" + diagnostics + "\n" + source);
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
      loader.loadClass("ReadmeExample").getMethod("main", String[].class)
          .invoke(null, (Object) new String[] {data.toString()});
    } finally {
      System.setOut(stdout);
    }
    assertTrue(printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains("BIC"),
        "the example of " + file + " prints its result");
  }
}
