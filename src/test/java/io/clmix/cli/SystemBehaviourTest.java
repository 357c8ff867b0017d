package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in the environments it meets in production: a locale with a decimal comma
 * or a Turkish dotless i, no locale at all (LANG unset, C or POSIX: containers, cron, CI),
 * and file names beyond ASCII.
 */
class SystemBehaviourTest {
  @TempDir
  Path dir;
  Path data;

  @BeforeEach
  void generate() {
    data = dir.resolve("d.csv");
    CliRun g = CliRun.of("generate", "--n", "200", "--d", "2", "-k", "2", "--seed", "3", "--out", data.toString());
    assertEquals(0, g.status(), g.err());
  }

  @Test
  void summariesWriteNumbersWithPointsInALocaleWithDecimalCommas() throws Exception {
    // Before: 'lower bound -3,38267, BIC 1411,35, AIC 1375,07' under a German locale, commas
    // that read as separators, beside the means table written with points.
    Path model = dir.resolve("gm.json");
    Result fit = java(Map.of(), List.of("-Duser.language=de", "-Duser.country=DE"),
        "fit", data.toString(), "--algo", "gmm", "-k", "2", "--device", "java", "--model-out", model.toString());
    assertEquals(0, fit.status, fit.err);
    String bound = fit.out.lines().filter(l -> l.contains("lower bound")).findFirst().orElse("");
    assertTrue(bound.matches(".*lower bound -?[0-9.e+-]+, BIC [0-9.e+-]+, AIC [0-9.e+-]+"), bound);
    assertTrue(fit.out.lines().anyMatch(l -> l.matches("fit: [0-9]+\\.[0-9]{3} s, [0-9]+\\.[0-9]{4} s per iteration")),
        fit.out);
    Result score = java(Map.of(), List.of("-Duser.language=de", "-Duser.country=DE"),
        "score", model.toString(), data.toString(), "--device", "java");
    assertEquals(0, score.status, score.err);
    assertTrue(score.out.strip().matches("mean log-likelihood [0-9.e+-]+ \\(total [0-9.e+-]+\\), BIC [0-9.e+-]+, AIC [0-9.e+-]+"),
        score.out);
  }

  @Test
  void modelErrorsNameJsonTypesInTurkishToo() throws IOException {
    // "STRING".toLowerCase() is "strıng" (dotless i) in a Turkish locale.
    Path model = dir.resolve("km.json");
    assertEquals(0, CliRun.of("fit", data.toString(), "-k", "2", "--device", "java", "--model-out", model.toString())
        .status());
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, Files.readString(model).replaceFirst("(?s)\"clusterCenters\" : \\[.*?\\] \\]",
        "\"clusterCenters\" : \"abc\""));
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(new Locale("tr", "TR"));
      CliRun r = CliRun.of("predict", bad.toString(), data.toString(), "--device", "java");
      assertEquals(2, r.status(), r.err());
      assertEquals("clmix: error: " + bad + ": field 'clusterCenters': expected 2 rows of 2 numbers, found string",
          r.err().strip());
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void theLauncherRunsJavaInAUtf8LocaleWhereTheLocaleIsAscii() throws Exception {
    // Under LC_ALL=C the JVM cannot name a file called données.csv at all; ./clmix switches to
    // C.UTF-8 then (and only then). A stand-in java reports the character set it runs in.
    assumeTrue(hasCUtf8(), "no C.UTF-8 locale on this machine");
    Path launcher = Path.of("clmix").toAbsolutePath();
    assumeTrue(Files.isRegularFile(launcher), "run from the project folder");
    Path home = Files.createDirectories(dir.resolve("app"));
    Files.copy(launcher, home.resolve("clmix"));
    Files.createDirectories(home.resolve("target"));
    Files.writeString(home.resolve("target/clmix-all.jar"), ""); // present, and no sources beside it: no build
    Path bin = Files.createDirectories(dir.resolve("fakejdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"charmap=$(locale charmap)\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    String path = bin + ":" + System.getenv("PATH");
    assertEquals("charmap=UTF-8", launch(home, Map.of("PATH", path, "LC_ALL", "C")));
    assertEquals("charmap=UTF-8", launch(home, Map.of("PATH", path)), "no locale set at all");
    assertEquals("charmap=UTF-8", launch(home, Map.of("PATH", path, "LANG", "C.UTF-8")), "a UTF-8 locale stays");
  }

  @Test
  void aFileNameTheLocaleCannotEncodeIsOneLineThatSaysWhatToDo() throws Exception {
    // java -jar under LC_ALL=C: Java cannot encode the name; picocli's message was a long
    // 'Invalid value for positional parameter at index 0 (DATA): cannot convert ...'.
    assumeTrue("UTF-8".equals(System.getProperty("sun.jnu.encoding")), "this JVM cannot pass the name on");
    Path named = dir.resolve("donn\u00e9es.csv");
    Files.copy(data, named);
    Result r = java(Map.of("LC_ALL", "C"), List.of(), "fit", named.toString(), "-k", "2", "--device", "java");
    assertEquals(2, r.status, r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    assertTrue(r.err.startsWith("clmix: error: DATA: '") && r.err.contains("' cannot be used as a file name: ")
        && r.err.strip().endsWith("run it in a UTF-8 locale (LC_ALL=C.UTF-8), as ./clmix does"), r.err);
    assumeTrue(hasCUtf8(), "no C.UTF-8 locale on this machine");
    Result utf8 = java(Map.of("LC_ALL", "C.UTF-8"), List.of(), "fit", named.toString(), "-k", "2", "--device", "java");
    assertEquals(0, utf8.status, utf8.err);
  }

  private static boolean hasCUtf8() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", "locale -a 2>/dev/null").start();
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return all.lines().anyMatch(l -> l.equalsIgnoreCase("C.UTF-8") || l.equalsIgnoreCase("C.utf8"));
  }

  private static String launch(Path home, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("clmix").toString(), "devices");
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private record Result(int status, String out, String err) {}

  /** clmix in a JVM of its own, with {@code env} added and {@code jvm} options. */
  private static Result java(Map<String, String> env, List<String> jvm, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true"));
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.clmix.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("LANG");
    pb.environment().remove("LC_ALL");
    pb.environment().remove("LC_CTYPE");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("WARNING: Using incubator modules")).reduce("", (a, b) -> a + b + "\n");
    return new Result(p.waitFor(), out, err);
  }
}
