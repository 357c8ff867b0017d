package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.DataFiles;
import io.clmix.data.Dataset;
import io.clmix.data.NpyWriter;
import io.clmix.data.Precision;
import io.clmix.engine.EngineSelector;
import io.clmix.engine.opencl.OpenClTestSupport;
import io.clmix.fit.GaussianMixture;
import io.clmix.fit.KMeans;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fit --labels-out} streams the labels of the fitted model chunk by chunk on the fit's
 * session instead of keeping n of them through the fit: the file holds the labels the model
 * predicts, which are those a fit that kept them returns (here, with several starts and
 * weights), and on an OpenCL device a fit needs no heap per row at all.
 */
class FitLabelsStreamTest {
  @TempDir
  Path dir;

  @Test
  void theLabelsFileHoldsTheLabelsOfTheFit() throws Exception {
    Path data = dir.resolve("blobs.npy");
    Dataset ds = Blobs.of(20_000, 3, 5, 1).generate();
    DataFiles.write(data, ds, Precision.FLOAT32);
    double[] w = new double[20_000];
    Random rnd = new Random(2);
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextInt(4); // zeros included
    }
    Path weights = dir.resolve("w.npy");
    NpyWriter.writeVector(weights, w, Precision.FLOAT32);
    // Several starts (the best is not always the last, whose labels the session holds), with
    // and without weights.
    String[][] variants = {{"--n-init", "3"}, {"--n-init", "2", "--weights", weights.toString()}};
    for (String device : new String[] {"java", "opencl:0:0"}) {
      if (device.startsWith("opencl")) {
        OpenClTestSupport.requireDevice();
      }
      for (String algo : new String[] {"kmeans", "gmm"}) {
        for (String[] v : variants) {
          String tag = algo + "-" + device.replace(':', '_') + "-" + v.length;
          Path labels = dir.resolve(tag + ".npy");
          List<String> args = new java.util.ArrayList<>(List.of("fit", data.toString(), "--algo", algo, "-k", "5",
              "--seed", "3", "--device", device, "--labels-out", labels.toString(), "--quiet"));
          args.addAll(List.of(v));
          CliRun r = CliRun.of(args.toArray(new String[0]));
          assertEquals(0, r.status(), r.err());
          Dataset read = Weights.attach(DataFiles.read(data), v.length > 2 ? weights : null);
          int nInit = Integer.parseInt(v[1]);
          Path expected = dir.resolve(tag + "-kept.npy");
          try (EngineSelector.Selection sel = EngineSelector.select(device)) {
            DataFiles.writeLabels(expected, algo.equals("kmeans")
                ? KMeans.k(5).seed(3).nInit(nInit).fit(read, sel.engine()).labels()
                : GaussianMixture.k(5).seed(3).nInit(nInit).fit(read, sel.engine()).labels());
          }
          assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(labels), tag);
        }
      }
    }
  }

  @Test
  void anOpenClFitOfMappedDataNeedsNoHeapPerRow() throws Exception {
    OpenClTestSupport.requireDevice();
    // 40M rows of 2 columns: 320 MB of data, memory-mapped, and 160 MB of labels, more than the
    // child's whole heap of 128 MiB (which holds one 64 MB chunk buffer, the "chunk" of the
    // memory promise). A fit that kept its labels, or held them to write the file, could not
    // finish: before labels were streamed, this fit ran out of heap reading them back.
    long n = 40_000_000;
    Path data = dir.resolve("big.npy");
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(4);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
      os.write(NpyWriter.header("<f4", n, 2));
      float[] block = new float[2 * 65536];
      for (long done = 0; done < n; done += 65536) {
        int rows = (int) Math.min(65536, n - done);
        for (int i = 0; i < rows; i++) {
          float centre = (float) (8 * ((done + i) % 3));
          block[2 * i] = centre + (float) (rnd.nextDouble() - 0.5);
          block[2 * i + 1] = -centre + (float) (rnd.nextDouble() - 0.5);
        }
        NpyWriter.putFloats(os, block, 2 * rows);
      }
    }
    Path labels = dir.resolve("labels.npy");
    child(data, labels, "kmeans");
    assertEquals(128 + 4 * n, Files.size(labels), "an int32 .npy of n labels");
    // A mixture, its labels as text (one line per row: 80 MB).
    Path text = dir.resolve("labels.txt");
    child(data, text, "gmm");
    assertEquals(2 * n, Files.size(text), "one digit and a newline per row");
    try (var lines = Files.lines(text)) {
      assertEquals(3, lines.limit(3000).distinct().count(), "the three blobs, in the first rows");
    }
    int[] head = new int[3];
    try (var in = Files.newInputStream(labels)) {
      in.skipNBytes(128);
      byte[] b = in.readNBytes(12);
      java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(head);
    }
    // Rows cycle through the three well-separated blobs: three different labels.
    assertTrue(head[0] != head[1] && head[1] != head[2] && head[0] != head[2], java.util.Arrays.toString(head));
  }

  /** {@code clmix fit DATA --algo ALGO -k 3 --labels-out LABELS} on PoCL in a JVM with a 128 MiB heap. */
  private static void child(Path data, Path labels, String algo) throws Exception {
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-modules", "jdk.incubator.vector", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        "io.clmix.cli.Main", "fit", data.toString(), "--algo", algo, "-k", "3", "--device", "opencl:0:0",
        "--max-iter", "3", "--labels-out", labels.toString(), "--quiet")).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), algo + ": " + out + err);
  }
}
