package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritersTest {
  @TempDir Path dir;

  private static double[][] farFromZero(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (double[] row : x) {
      for (int j = 0; j < d; j++) {
        row[j] = 1e6 * (j + 1) + r.nextGaussian();
      }
    }
    return x;
  }

  @Test
  void npyHeaderIsVersion1AlignedTo64() throws IOException {
    Path f = dir.resolve("h.npy");
    NpyWriter.write(f, new double[][] {{1, 2, 3}}, Precision.FLOAT32);
    byte[] b = Files.readAllBytes(f);
    assertEquals(0x93, b[0] & 0xff);
    assertEquals(1, b[6]);
    assertEquals(0, b[7]);
    int hlen = ByteBuffer.wrap(b, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    assertEquals(0, (10 + hlen) % 64);
    String header = new String(b, 10, hlen, java.nio.charset.StandardCharsets.ISO_8859_1);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", header.strip());
    assertEquals('\n', header.charAt(header.length() - 1));
    assertEquals(10 + hlen + 12, b.length);
  }

  @Test
  void npyRoundTripsOfRawMatrices() throws IOException {
    double[][] x = farFromZero(20, 3, 1);
    Path f = dir.resolve("m.npy");
    NpyWriter.write(f, x, Precision.FLOAT64);
    double[][] back = NpyReader.readMatrix(f, "m");
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(x[i], back[i]);
    }
    NpyWriter.write(f, x, Precision.FLOAT32);
    back = NpyReader.readMatrix(f, "m");
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals((float) x[i][j], back[i][j]);
      }
    }
    float[][] fl = {{1.5f, -2f}, {3f, 4.25f}};
    NpyWriter.write(f, fl);
    assertArrayEquals(new double[] {3, 4.25}, NpyReader.readMatrix(f, "m")[1]);
  }

  @Test
  void datasetsRoundTripInTheirOwnCoordinates() throws IOException {
    double[][] x = farFromZero(300, 4, 2);
    Dataset ds = Dataset.of(x);
    for (Precision p : Precision.values()) {
      for (String name : new String[] {"d.npy", "d.csv", "d.tsv", "d.txt"}) {
        Path f = dir.resolve(name);
        DataFiles.write(f, ds, p);
        Dataset back = DataFiles.read(f, ReadOptions.defaults().withChunkRows(64));
        for (int i = 0; i < x.length; i++) {
          double[] a = ds.row(i);
          double[] b = back.row(i);
          for (int j = 0; j < 4; j++) {
            // float64 keeps what the data set holds up to the float32 rounding of re-centring
            // (~1e-7 of the unit spread); float32 rounds values near 1e6 to 1/16.
            double tol = p == Precision.FLOAT64 ? 1e-6 : Math.ulp((float) a[j]);
            assertEquals(a[j], b[j], tol, name + " " + p + " row " + i);
          }
          if (p == Precision.FLOAT64 && i > 0) {
            // The small-scale structure survives: differences between rows agree closely.
            assertEquals(x[i][0] - x[i - 1][0], b[0] - back.row(i - 1)[0], 1e-6);
          }
        }
      }
    }
  }

  @Test
  void csvWithHeaderRoundTripsExactly() throws IOException {
    double[][] x = {{0.1, 1e-300, -7}, {Math.PI, 1.7976931348623157e308, 4.9e-324}};
    for (String name : new String[] {"h.csv", "h.tsv", "h.txt"}) {
      Path f = dir.resolve(name);
      CsvWriter.write(f, x, List.of("plain", "with, comma \"and quote\"", "#hash sp"));
      double[][] back = CsvReader.readMatrix(f, "m");
      assertEquals(2, back.length, name);
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(x[i], back[i], name);
      }
    }
    Path f = dir.resolve("h.csv");
    assertEquals("plain,\"with, comma \"\"and quote\"\"\",\"#hash sp\"", Files.readAllLines(f).get(0));
    assertEquals("plain with__comma_\"and_quote\" _#hash_sp", Files.readAllLines(dir.resolve("h.txt")).get(0));
  }

  @Test
  void labelsAsTextAndAsInt32() throws IOException {
    Labels labels = new Labels(new int[][] {{0, 2, 1}, {1, 0}}, 3);
    Path txt = dir.resolve("labels.txt");
    DataFiles.writeLabels(txt, labels);
    assertEquals(List.of("0", "2", "1", "1", "0"), Files.readAllLines(txt));
    Path other = dir.resolve("labels.out");
    DataFiles.writeLabels(other, labels);
    assertEquals(List.of("0", "2", "1", "1", "0"), Files.readAllLines(other));
    Path npy = dir.resolve("labels.npy");
    DataFiles.writeLabels(npy, labels);
    assertTrue(new String(Files.readAllBytes(npy), java.nio.charset.StandardCharsets.ISO_8859_1).contains("'descr': '<i4'"));
    assertArrayEquals(new double[] {0, 2, 1, 1, 0}, DataFiles.readVector(npy, 5, "labels"));
    NpyWriter.writeInts(npy, new int[] {-1, 7});
    assertArrayEquals(new double[] {-1, 7}, DataFiles.readVector(npy, 2, "labels"));
    NpyWriter.writeVector(npy, new double[] {0.5, 2}, Precision.FLOAT64);
    assertArrayEquals(new double[] {0.5, 2}, DataFiles.readVector(npy, 2, "scores"));
  }

  @Test
  void badArgumentsAreRefusedBeforeAnythingIsWritten() {
    Path f = dir.resolve("x.npy");
    assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(f, new double[][] {{1, 2}, {3}}, Precision.FLOAT64));
    assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(f, new double[0][], Precision.FLOAT64));
    assertThrows(IllegalArgumentException.class, () -> CsvWriter.write(dir.resolve("x.csv"), new double[][] {{1}}, List.of("a", "b")));
    assertEquals(0, Arrays.stream(dir.toFile().list()).count());
  }
}
