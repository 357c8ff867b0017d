package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code clmix bench} command lines that {@code bench/compare.sh} builds are ones the CLI
 * accepts. The script runs as written, in a copy of the tree where {@code ./clmix} and the
 * Python interpreter are stubs that record their arguments; each recorded {@code clmix} command
 * is then run in-process at the tiny sizes the environment asked for. Likewise the
 * {@code clmix generate} and {@code clmix fit} commands of {@code bench/short-fits.sh}; and the
 * CUDA form that {@code bench/gpu-profile/cl2cuda.sh} makes of the GPU Lloyd kernels.
 */
class BenchScriptsTest {
  private static final String END = "--end-of-command--";

  @Test
  void compareShBuildsBenchCommandsTheCliAccepts(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(root.resolve("bench/peers"));
    Files.copy(Path.of("bench/compare.sh"), root.resolve("bench/compare.sh"));
    Path log = root.resolve("clmix.log");
    executable(root.resolve("clmix"), "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '" + log
        + "'\necho " + END + " >> '" + log + "'\n");
    // scikit-learn check, SGEMM probe, peers and the table: all succeed and print a rate.
    Path py = executable(root.resolve("python"), "#!/bin/bash\necho 100.0\n");
    Path out = root.resolve("out");

    runScript(root.resolve("bench/compare.sh"), Map.ofEntries(
        Map.entry("KM_N", "60"), Map.entry("KM_D", "2"), Map.entry("KM_K", "2"),
        Map.entry("GF_N", "60"), Map.entry("GF_D", "2"), Map.entry("GF_K", "2"),
        Map.entry("GD_N", "60"), Map.entry("GD_D", "2"), Map.entry("GD_K", "2"),
        Map.entry("ITERS", "2"), Map.entry("REPEATS", "1"), Map.entry("DEVICES", "java"),
        Map.entry("SMILE", "0"), Map.entry("PYTHON", py.toString()),
        Map.entry("OUT_DIR", out.toString())));

    List<List<String>> commands = recordedCommands(log);
    assertEquals(3, commands.size(), "one clmix bench per workload: " + commands);
    for (List<String> args : commands) {
      assertEquals("bench", args.get(0));
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(0, r.status(), String.join(" ", args) + " -> " + r.err());
    }
    assertTrue(Files.exists(out.resolve("kmeans.clmix.json")));
    assertTrue(Files.exists(out.resolve("gmm-diag.start.json")));
  }

  @Test
  void shortFitsShBuildsFitCommandsTheCliAccepts(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    Files.createDirectories(root.resolve("bench/peers"));
    Files.copy(Path.of("bench/short-fits.sh"), root.resolve("bench/short-fits.sh"));
    Path log = root.resolve("clmix.log");
    // The clmix stub records its arguments and answers a fit as `fit --json` would, last line.
    executable(root.resolve("clmix"), "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> '" + log
        + "'\necho " + END + " >> '" + log + "'\n"
        + "[ \"$1\" = fit ] && echo '{\"seconds\": 0.5, \"totalIterations\": 3, \"inertia\": 1.5}'\nexit 0\n");
    // Python: the scikit-learn check, the peer's fit (one JSON line), and the table.
    Path py = executable(root.resolve("python"), "#!/bin/bash\n"
        + "case \"$1\" in *sklearn_fit.py) echo '{\"seconds\": 0.25, \"n_iter\": 2, \"objective\": 1.5}';; esac\n");
    Path out = root.resolve("out");
    runScript(root.resolve("bench/short-fits.sh"),
        Map.of("ROUNDS", "1", "DEVICES", "java", "PYTHON", py.toString(), "OUT_DIR", out.toString()));

    List<List<String>> commands = recordedCommands(log);
    assertEquals(6, commands.size(), "a generate and a fit per case: " + commands);
    List<String> results = Files.readAllLines(out.resolve("results.tsv"));
    assertEquals(6, results.size(), "a clmix and a scikit-learn line per case: " + results);
    for (List<String> args : commands) {
      // Replayed at a tenth of the rows (the commands' own sizes take seconds each).
      List<String> small = new ArrayList<>(args);
      int n = small.indexOf("--n");
      if (n >= 0) {
        small.set(n + 1, String.valueOf(Integer.parseInt(small.get(n + 1)) / 10));
      }
      CliRun r = CliRun.of(small.toArray(String[]::new));
      assertEquals(0, r.status(), String.join(" ", small) + " -> " + r.err());
      if (args.get(0).equals("fit")) {
        assertTrue(r.lastLine().startsWith("{") && r.lastLine().contains("\"seconds\""), r.out());
      }
    }
  }

  /**
   * short-fits.sh stops with a message naming the variable, before it generates or fits
   * anything, when ROUNDS is not a positive whole number or CASES names no case: both ran no fit
   * and printed an empty table with status 0 (ROUNDS=x after a 'seq: invalid' line).
   */
  @Test
  void shortFitsShRefusesRoundsAndCasesItCannotRun(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    Files.createDirectories(root.resolve("bench/peers"));
    Files.copy(Path.of("bench/short-fits.sh"), root.resolve("bench/short-fits.sh"));
    Path log = root.resolve("clmix.log");
    executable(root.resolve("clmix"), "#!/bin/bash\necho \"$@\" >> '" + log + "'\n");
    Path py = executable(root.resolve("python"), "#!/bin/bash\nexit 0\n");
    Map<String, String> base = Map.of("DEVICES", "java", "PYTHON", py.toString(),
        "OUT_DIR", root.resolve("out").toString());
    for (Map.Entry<String, String> bad : List.of(Map.entry("ROUNDS", "0"), Map.entry("ROUNDS", "x"),
        Map.entry("CASES", "kmeans-k5-ninit4 no-such-case"))) {
      Map<String, String> env = new java.util.HashMap<>(base);
      env.put(bad.getKey(), bad.getValue());
      ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("bench/short-fits.sh").toString());
      pb.environment().putAll(env);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(2, p.exitValue(), bad + ": " + printed);
      assertTrue(printed.startsWith("short-fits: " + bad.getKey()), bad + ": " + printed);
      assertFalse(Files.exists(log), bad + ": nothing ran");
    }
  }

  /**
   * The GPU scripts stop with one line naming the variable and what it accepts, status 2, before
   * the kit (and so the GPU) runs: gpu-ab.sh with ROUNDS=0 ran no round and with ROUNDS=x printed
   * only seq's complaint, both with status 0; gpu-run.sh with DIV=0 or DIV=x ran every step with no
   * row count, status 0; gpu-tune.sh failed in its arithmetic; KTIMES=yes was taken for 0; a SWEEPS
   * name that is no sweep ran nothing. Values they accept still run, one kit call per run.
   */
  @Test
  void gpuScriptsRefuseSettingsTheyCannotRunBeforeTheKitRuns(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    Files.createDirectories(root.resolve("bench"));
    for (String script : List.of("gpu-ab.sh", "gpu-run.sh", "gpu-tune.sh")) {
      Files.copy(Path.of("bench", script), root.resolve("bench").resolve(script));
    }
    Files.createDirectories(root.resolve("kit"));
    Path log = root.resolve("kit.log");
    // Like device-kit's launcher, the stub names "$here/app.jar", which gpu-ab.sh points at BASE.
    Path kit = executable(root.resolve("kit/run"), "#!/bin/bash\nhere=$(dirname \"$0\")\n"
        + "echo \"$(basename \"$here/app.jar\") $*\" >> '" + log + "'\n[ -z \"$KIT_QUIET\" ] && echo stub >&2\n"
        + "exit ${KIT_STATUS:-0}\n");
    Path base = Files.writeString(root.resolve("kit/base.jar"), "");
    Map<String, String> env = Map.of("KIT", kit.toString(), "BASE", base.toString(),
        "OUT", root.resolve("out").toString());
    String[][] refused = {
        {"gpu-ab.sh", "ROUNDS", "0", "gpu-ab: ROUNDS must be a positive whole number, not '0'"},
        {"gpu-ab.sh", "ROUNDS", "x", "gpu-ab: ROUNDS must be a positive whole number, not 'x'"},
        {"gpu-ab.sh", "ROUNDS", "1.5", "gpu-ab: ROUNDS must be a positive whole number, not '1.5'"},
        {"gpu-ab.sh", "KTIMES", "yes", "gpu-ab: KTIMES must be 0 or 1, not 'yes'"},
        {"gpu-run.sh", "DIV", "0", "gpu-run: DIV must be a positive whole number, not '0'"},
        {"gpu-run.sh", "DIV", "x", "gpu-run: DIV must be a positive whole number, not 'x'"},
        {"gpu-tune.sh", "DIV", "0", "gpu-tune: DIV must be a positive whole number, not '0'"},
        {"gpu-tune.sh", "KTIMES", "2", "gpu-tune: KTIMES must be 0 or 1, not '2'"},
        {"gpu-tune.sh", "SCALE", "0", "gpu-tune: SCALE must be a number above 0, not '0'"},
        {"gpu-tune.sh", "SCALE", "-1", "gpu-tune: SCALE must be a number above 0, not '-1'"},
        {"gpu-tune.sh", "SWEEPS", "kacc nope",
            "gpu-tune: SWEEPS: no sweep 'nope'; expected some of: kmeans kacc prune gmm tune"}};
    for (String[] c : refused) {
      Map<String, String> bad = new java.util.HashMap<>(env);
      bad.put(c[1], c[2]);
      Ran r = bash(root.resolve("bench").resolve(c[0]), bad);
      String what = c[0] + " " + c[1] + "=" + c[2];
      assertEquals(2, r.status(), what + ": " + r.printed());
      assertEquals(c[3] + "\n", r.printed(), what);
      assertFalse(Files.exists(log), what + ": the kit ran");
    }

    Ran ab = bash(root.resolve("bench/gpu-ab.sh"), with(env, "ROUNDS", "2", "KTIMES", "1"));
    assertEquals(0, ab.status(), ab.printed());
    List<String> calls = Files.readAllLines(log);
    assertEquals(4, calls.size(), calls.toString());
    assertEquals(List.of("app.jar", "base.jar", "base.jar", "app.jar"),
        calls.stream().map(l -> l.split(" ")[0]).toList(), "each build first in every other round");
    Files.delete(log);
    Ran run = bash(root.resolve("bench/gpu-run.sh"), with(env, "DIV", "100"));
    assertEquals(0, run.status(), run.printed());
    calls = Files.readAllLines(log);
    assertEquals(6, calls.size(), "devices, then five steps: " + calls);
    assertTrue(calls.get(1).contains(" --n 10000 "), calls.get(1));
    Files.delete(log);
    Ran tune = bash(root.resolve("bench/gpu-tune.sh"),
        with(env, "DIV", "100", "KTIMES", "1", "SCALE", "1e-2", "SWEEPS", "kacc tune"));
    assertEquals(0, tune.status(), tune.printed());
    calls = Files.readAllLines(log);
    assertEquals(10, calls.size(), "nine kacc configurations, then tune: " + calls);
    assertTrue(calls.get(9).contains("tune ") && calls.get(9).contains("--scale 1e-2"), calls.get(9));
    // The status is tune's: 3 when it fails; 0 when it works and says nothing on stderr (the
    // last grep of that empty stderr used to make it 1).
    Ran failed = bash(root.resolve("bench/gpu-tune.sh"), with(env, "DIV", "100", "SWEEPS", "tune", "KIT_STATUS", "3"));
    assertEquals(3, failed.status(), failed.printed());
    Ran quiet = bash(root.resolve("bench/gpu-tune.sh"), with(env, "DIV", "100", "SWEEPS", "tune", "KIT_QUIET", "1"));
    assertEquals(0, quiet.status(), quiet.printed());
  }

  /**
   * compare.sh stops, naming the variable, before it runs anything (the scikit-learn check
   * included) when a switch is not 0 or 1 (QUICK=yes, SMILE=no were taken for 0) or a size or
   * count is not a positive whole number (the CLI refused those only when their workload came
   * up, after the others had run).
   */
  @Test
  void compareShRefusesSettingsItCannotRunBeforeAnythingRuns(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    Files.createDirectories(root.resolve("bench/peers"));
    Files.copy(Path.of("bench/compare.sh"), root.resolve("bench/compare.sh"));
    Path log = root.resolve("ran.log");
    executable(root.resolve("clmix"), "#!/bin/bash\necho clmix \"$@\" >> '" + log + "'\n");
    Path py = executable(root.resolve("python"), "#!/bin/bash\necho python \"$@\" >> '" + log + "'\necho 100.0\n");
    Map<String, String> env = Map.of("PYTHON", py.toString(), "SMILE", "0", "OUT_DIR", root.resolve("out").toString());
    String[][] refused = {{"QUICK", "yes", "0 or 1"}, {"SMILE", "no", "0 or 1"}, {"SKLEARN_1T", "2", "0 or 1"},
        {"ITERS", "0", "a positive whole number"}, {"GF_N", "x", "a positive whole number"},
        {"SMILE_REPEATS", "0", "a positive whole number"}, {"ROUNDS", "-1", "a positive whole number"},
        {"WARMUP", "x", "whole seconds from 0 to 600"}, {"WARMUP", "601", "whole seconds from 0 to 600"}};
    for (String[] c : refused) {
      Ran r = bash(root.resolve("bench/compare.sh"), with(env, c[0], c[1]));
      assertEquals(2, r.status(), c[0] + "=" + c[1] + ": " + r.printed());
      assertEquals("compare: " + c[0] + " must be " + c[2] + ", not '" + c[1] + "'\n", r.printed());
      assertFalse(Files.exists(log), c[0] + "=" + c[1] + ": something ran");
    }
  }

  /** gpu-profile/run.sh refuses a row count or a switch it cannot use before it builds or writes anything. */
  @Test
  void gpuProfileRefusesRowsAndSwitchesItCannotUse(@TempDir Path root) throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    Path out = root.resolve("out");
    String[][] refused = {{"N", "0", "a positive whole number"}, {"N", "1e6", "a positive whole number"},
        {"NCU", "yes", "0 or 1"}};
    for (String[] c : refused) {
      Ran r = bash(Path.of("bench/gpu-profile/run.sh"), Map.of("OUT", out.toString(), c[0], c[1]));
      assertEquals(2, r.status(), c[0] + "=" + c[1] + ": " + r.printed());
      assertEquals("gpu-profile: " + c[0] + " must be " + c[2] + ", not '" + c[1] + "'\n", r.printed());
      assertFalse(Files.exists(out), c[0] + "=" + c[1] + ": it wrote " + out);
    }
  }

  private record Ran(int status, String printed) {}

  /** Runs {@code script} with bash and {@code env} added to the environment, within a minute. */
  private static Ran bash(Path script, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Ran(p.exitValue(), printed);
  }

  /** {@code env} with the given name, value pairs added. */
  private static Map<String, String> with(Map<String, String> env, String... pairs) {
    Map<String, String> out = new java.util.HashMap<>(env);
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  /**
   * The peer scripts refuse a count below what they can time with, naming the option, as
   * argparse does (status 2): {@code sklearn_bench.py --repeats 0} ended in an AttributeError
   * traceback, and {@code sgemm_probe.py --reps 0} printed a rate of 0.0 as if measured.
   */
  @Test
  void peerScriptsRefuseCountsTheyCannotTimeWith() throws Exception {
    String py = pythonWithScikitLearn();
    Assumptions.assumeTrue(py != null, "needs a Python with scikit-learn");
    String[][] cases = {
        {"bench/peers/sklearn_bench.py", "--data", "w.npy", "--start", "w.start.json", "--repeats", "0"},
        {"bench/peers/sklearn_bench.py", "--data", "w.npy", "--start", "w.start.json", "--iters", "1"},
        {"bench/peers/sklearn_bench.py", "--data", "w.npy", "--start", "w.start.json", "--threads", "0"},
        {"bench/peers/sgemm_probe.py", "--reps", "0"},
        {"bench/peers/sgemm_probe.py", "--n", "0"}};
    for (String[] c : cases) {
      List<String> command = new ArrayList<>(List.of(py));
      command.addAll(List.of(c));
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.redirectErrorStream(true);
      Process p = pb.start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      String option = c[c.length - 2];
      assertEquals(2, p.exitValue(), String.join(" ", c) + ": " + printed);
      assertTrue(printed.contains("argument " + option + ": " + c[c.length - 1] + " is not allowed"),
          String.join(" ", c) + ": " + printed);
    }
  }

  /** The Python the bench scripts would pick ($PYTHON, /tmp/v/bin/python, python3) if it has scikit-learn; else null. */
  private static String pythonWithScikitLearn() {
    List<String> candidates = new ArrayList<>();
    if (System.getenv("PYTHON") != null) {
      candidates.add(System.getenv("PYTHON"));
    }
    candidates.add("/tmp/v/bin/python");
    candidates.add("python3");
    for (String py : candidates) {
      try {
        Process p = new ProcessBuilder(py, "-c", "import sklearn, threadpoolctl")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return py;
        }
        p.destroyForcibly();
      } catch (java.io.IOException | InterruptedException e) {
        // not this one
      }
    }
    return null;
  }

  /**
   * bench/gpu-profile/cl2cuda.sh leaves no OpenCL-only syntax in the Lloyd kernels' CUDA form
   * (nvcc is on the GPU machine only, so this is what CI can check): a construct a kernel edit
   * adds that the rewrite misses would otherwise surface as a compile error there.
   */
  @Test
  void cl2cudaRewritesEveryOpenClConstructOfTheLloydKernels() throws Exception {
    Assumptions.assumeTrue(new File("/bin/bash").canExecute(), "needs bash");
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", "bench/gpu-profile/cl2cuda.sh", "kernels/kmeans_gemm.cl");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String cuda = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertTrue(cuda.contains("__device__\nvoid km_assign_gemm("), "km_assign_gemm made a device function");
    assertTrue(cuda.contains("__device__\nvoid km_accumulate("), "km_accumulate made a device function");
    List<String> openClOnly = List.of(
        "__kernel",
        "__attribute__\\(\\(reqd_work_group_size",
        "#pragma OPENCL",
        "\\((float|int|uint)[0-9]+\\) *\\(", // vector literals such as (float4) (0.0f)
        "\\brestrict\\b",
        "(?<![A-Za-z_])(isless|isgreater)\\(", // ambiguous with std::isless under nvcc
        "define KM_INLINE inline");
    for (String openCl : openClOnly) {
      assertTrue(!Pattern.compile(openCl).matcher(cuda).find(), "left in the CUDA form: " + openCl);
    }
  }

  /** Runs {@code script} with bash and {@code env} added to the environment; it must exit 0 within a minute. */
  private static void runScript(Path script, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("/bin/bash", script.toString());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), printed);
  }

  /** The argument lists the clmix stub recorded, one per call, in call order. */
  private static List<List<String>> recordedCommands(Path log) throws Exception {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      if (line.equals(END)) {
        commands.add(current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    return commands;
  }

  private static Path executable(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
