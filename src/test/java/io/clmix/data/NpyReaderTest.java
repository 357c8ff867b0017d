package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyReaderTest {
  /** Float32 keeps about 7 significant digits. */
  static final double TEST_F32 = 1e-6;

  @TempDir Path dir;

  static double[][] sample(int n, int d, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        // Values exactly representable as float32, so every encoding reads back exactly.
        x[i][j] = (float) (r.nextGaussian() * (j + 1) + 10 * j);
      }
    }
    return x;
  }

  static void assertSameRows(double[][] expected, Dataset ds, double tol) {
    assertEquals(expected.length, ds.rows());
    assertEquals(expected[0].length, ds.cols());
    for (int i = 0; i < expected.length; i++) {
      double[] row = ds.row(i);
      for (int j = 0; j < row.length; j++) {
        assertEquals(expected[i][j], row[j], tol * Math.max(1, Math.abs(expected[i][j])), "row " + i + " col " + j);
      }
    }
  }

  private String message(Path file, ReadOptions options) {
    return assertThrows(InputException.class, () -> NpyReader.read(file, options)).getMessage();
  }

  private String message(Path file) {
    return message(file, ReadOptions.defaults());
  }

  // ------------------------------------------------------------------ layouts that read

  @ParameterizedTest
  @CsvSource({
    "1, <f4, false", "1, <f8, false", "1, >f4, false", "1, >f8, false",
    "1, <f4, true", "1, <f8, true", "1, >f4, true", "1, >f8, true",
    "2, <f8, false", "3, <f4, true", "1, =f8, false", "1, f4, false"
  })
  void readsEveryVersionTypeByteOrderAndMemoryOrder(int version, String descr, boolean fortran) throws IOException {
    double[][] x = sample(37, 5, 1);
    ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN
        : descr.startsWith("<") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
    int size = descr.endsWith("4") ? 4 : 8;
    Path f = NpyBytes.of(descr, fortran, 37, 5).version(version).values(x, size, order, fortran).write(dir.resolve("x.npy"));
    Dataset ds = NpyReader.read(f, ReadOptions.defaults().withChunkRows(8));
    assertSameRows(x, ds, TEST_F32);
    assertEquals(5, ds.chunkCount());
    assertEquals(8, ds.chunkRows());
    assertEquals(5, ds.rowsIn(4));
  }

  @Test
  void readsTheCommittedFixtureLikeItsCsvTwin() {
    Path npy = Path.of("src/test/resources/fixtures/iris.npy");
    Path csv = Path.of("src/test/resources/fixtures/iris.csv");
    Dataset a = NpyReader.read(npy);
    Dataset b = CsvReader.read(csv);
    assertEquals(150, a.rows());
    assertEquals(4, a.cols());
    for (int i = 0; i < 150; i++) {
      assertArrayEquals(a.row(i), b.row(i), 1e-6);
    }
    assertArrayEquals(new double[] {5.1, 3.5, 1.4, 0.2}, a.row(0), 1e-6);
  }

  @Test
  void readsPython2AndDoubleQuotedHeaders() throws IOException {
    double[][] x = sample(3, 2, 2);
    Path f = NpyBytes.withHeader("{\"descr\": u'<f8', 'shape': (3L, 2L), \"fortran_order\": False}")
        .values(x, 8, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("py2.npy"));
    assertSameRows(x, NpyReader.read(f), TEST_F32);
  }

  @Test
  void mappingRegionBoundariesDoNotChangeValues() throws IOException {
    double[][] x = sample(101, 3, 3);
    for (boolean fortran : new boolean[] {false, true}) {
      Path f = NpyBytes.of("<f8", fortran, 101, 3).values(x, 8, ByteOrder.LITTLE_ENDIAN, fortran).write(dir.resolve("r.npy"));
      Dataset whole = NpyReader.read(f);
      // 40-byte regions: 5 doubles each, so rows and columns straddle region boundaries.
      Dataset pieces = NpyReader.read(f, ReadOptions.defaults(), 40);
      for (int i = 0; i < 101; i++) {
        assertArrayEquals(whole.localRow(i), pieces.localRow(i));
      }
      assertArrayEquals(whole.origin(), pieces.origin());
    }
  }

  @Test
  void centresOnTheColumnMeans() throws IOException {
    double[][] x = sample(50, 3, 4);
    Path f = NpyBytes.of("<f8", false, 50, 3).values(x, 8, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("m.npy"));
    Dataset ds = NpyReader.read(f);
    double[] mean = new double[3];
    for (double[] r : x) {
      for (int j = 0; j < 3; j++) {
        mean[j] += r[j] / 50;
      }
    }
    assertArrayEquals(mean, ds.origin(), 1e-12);
    assertArrayEquals(new double[3], ds.localColumnMean(), 1e-6);
  }

  @Test
  void dataFarFromZeroKeepTheirSmallScaleStructure() throws IOException {
    int n = 1000;
    Random r = new Random(5);
    double[][] x = new double[n][2];
    for (double[] row : x) {
      row[0] = 1e6 + r.nextGaussian();
      row[1] = -3e6 + r.nextGaussian();
    }
    Path f = NpyBytes.of("<f8", false, n, 2).values(x, 8, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("far.npy"));
    Dataset ds = NpyReader.read(f);
    double worst = 0;
    double naiveWorst = 0;
    for (int i = 1; i < n; i++) {
      double[] a = ds.row(i);
      double[] b = ds.row(i - 1);
      for (int j = 0; j < 2; j++) {
        double exact = x[i][j] - x[i - 1][j];
        worst = Math.max(worst, Math.abs((a[j] - b[j]) - exact));
        naiveWorst = Math.max(naiveWorst, Math.abs(((double) (float) x[i][j] - (float) x[i - 1][j]) - exact));
      }
    }
    // Unit noise: differences are right to ~1e-6 of the noise; a plain float32 copy is off by ~0.06.
    assertTrue(worst < 2e-6, "worst error " + worst);
    assertTrue(naiveWorst > 1e-2, "the naive conversion should lose digits, lost only " + naiveWorst);
  }

  // ------------------------------------------------------------------ memory-mapped chunks

  @Test
  void mappedChunksGiveTheSameValuesAsHeapChunks() throws IOException {
    double[][] x = sample(1003, 7, 6);
    Path f = NpyBytes.of("<f4", false, 1003, 7).values(x, 4, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("big.npy"));
    ReadOptions opts = ReadOptions.defaults().withChunkRows(100);
    Dataset heap = NpyReader.read(f, opts.withMapThreshold(Long.MAX_VALUE));
    Dataset mapped = NpyReader.read(f, opts.withMapThreshold(0));
    assertNotNull(heap.chunk(0).heapArray());
    assertNull(mapped.chunk(0).heapArray());
    assertTrue(mapped.chunk(0) instanceof MappedChunk);
    assertEquals(11, mapped.chunkCount());
    assertEquals(3, mapped.rowsIn(10));
    assertArrayEquals(heap.origin(), mapped.origin());
    for (int c = 0; c < heap.chunkCount(); c++) {
      assertArrayEquals(heap.chunkValues(c, null), mapped.chunkValues(c, null), "chunk " + c);
    }
    float[] part = new float[2 * 7 + 3];
    mapped.chunk(4).copyRows(10, 2, part, 3);
    for (int k = 0; k < 14; k++) {
      assertEquals(heap.chunk(4).heapArray()[10 * 7 + k], part[3 + k]);
    }
    assertArrayEquals(heap.columnVariance(), mapped.columnVariance());
    assertSameRows(x, mapped, TEST_F32);
  }

  @Test
  void mappingIsOnlyForLittleEndianFloat32InCOrder() throws IOException {
    double[][] x = sample(10, 2, 7);
    for (String descr : new String[] {">f4", "<f8"}) {
      ByteOrder o = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      Path f = NpyBytes.of(descr, false, 10, 2).values(x, descr.endsWith("4") ? 4 : 8, o, false).write(dir.resolve("h.npy"));
      assertNotNull(NpyReader.read(f, ReadOptions.defaults().withMapThreshold(0)).chunk(0).heapArray(), descr);
    }
    Path f = NpyBytes.of("<f4", true, 10, 2).values(x, 4, ByteOrder.LITTLE_ENDIAN, true).write(dir.resolve("fo.npy"));
    assertNotNull(NpyReader.read(f, ReadOptions.defaults().withMapThreshold(0)).chunk(0).heapArray());
  }

  @Test
  void mappedPathValidatesFinitenessToo() throws IOException {
    double[][] x = sample(20, 3, 8);
    x[16][2] = Double.NaN;
    Path f = NpyBytes.of("<f4", false, 20, 3).values(x, 4, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("data.npy"));
    assertEquals(f + ", row 17, column 3: value NaN is not a finite number", message(f, ReadOptions.defaults().withMapThreshold(0)));
  }

  // ------------------------------------------------------------------ validation

  @ParameterizedTest
  @CsvSource({"NaN, NaN", "Infinity, Infinity", "-Infinity, -Infinity"})
  void nonFiniteValuesNameRowAndColumn(double bad, String shown) throws IOException {
    double[][] x = sample(20, 4, 9);
    x[16][2] = bad;
    for (boolean fortran : new boolean[] {false, true}) {
      Path f = NpyBytes.of("<f8", fortran, 20, 4).values(x, 8, ByteOrder.LITTLE_ENDIAN, fortran).write(dir.resolve("data.npy"));
      assertEquals(f + ", row 17, column 3: value " + shown + " is not a finite number", message(f));
    }
  }

  @Test
  void truncatedPayload() throws IOException {
    Path f = NpyBytes.of("<f8", false, 1000, 4).payload(new byte[31992]).write(dir.resolve("data.npy"));
    assertEquals(f + ": truncated: header promises 1000 x 4 float64 values (32000 bytes) but the file holds 31992", message(f));
  }

  @ParameterizedTest
  @ValueSource(strings = {"<i8", "<f2", "<c16", "|u1", "|f4", "<U4", "O", "<f8x", ""})
  void unsupportedDtypesAreNamed(String descr) throws IOException {
    Path f = NpyBytes.of(descr, false, 2, 2).payload(new byte[64]).write(dir.resolve("data.npy"));
    assertEquals(f + ": dtype '" + descr + "' is not supported; expected float32 or float64", message(f));
  }

  @Test
  void structuredDtypesAreShownAsPythonWritesThem() throws IOException {
    Path f = NpyBytes.withHeader("{'descr': [('a', '<f8'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }")
        .payload(new byte[24]).write(dir.resolve("data.npy"));
    assertEquals(f + ": dtype '[('a', '<f8'), ('b', '<i4')]' is not supported; expected float32 or float64", message(f));
  }

  @Test
  void shapes() throws IOException {
    Path f = dir.resolve("data.npy");
    NpyBytes.of("<f8", false, 150).payload(new byte[1200]).write(f);
    assertEquals(f + ": shape (150,) has 1 dimension; expected 2 (rows, columns)"
        + " (for one feature, reshape with x.reshape(-1, 1))", message(f));
    NpyBytes.of("<f8", false, 2, 3, 4).payload(new byte[192]).write(f);
    assertEquals(f + ": shape (2, 3, 4) has 3 dimensions; expected 2 (rows, columns)", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (), }").payload(new byte[8]).write(f);
    assertEquals(f + ": shape () has 0 dimensions; expected 2 (rows, columns)", message(f));
    NpyBytes.of("<f8", false, 0, 4).write(f);
    assertEquals(f + ": shape (0, 4) has no rows", message(f));
    NpyBytes.of("<f8", false, 4, 0).write(f);
    assertEquals(f + ": shape (4, 0) has no columns", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3, -1), }").write(f);
    assertEquals(f + ": header entry 'shape' is (3, -1); expected a tuple of non-negative integers", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': [3, 1], }").write(f);
    assertEquals(f + ": header entry 'shape' is [3, 1]; expected a tuple of non-negative integers", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (5), }").write(f);
    assertEquals(f + ": header entry 'shape' is 5; expected a tuple of non-negative integers", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387903, 4611686018427387903), }").write(f);
    assertEquals(f + ": shape (4611686018427387903, 4611686018427387903) is too large", message(f));
    // One dimension of 2^62 or more is as well-formed, and as far beyond any file.
    NpyBytes.withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }").write(f);
    assertEquals(f + ": shape (4611686018427387904, 4) is too large", message(f));
    NpyBytes.withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 99999999999999999999999), }").write(f);
    assertEquals(f + ": shape (4, 99999999999999999999999) is too large", message(f));
    NpyBytes.withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 0), }").write(f);
    assertEquals(f + ": shape (4611686018427387904, 0) is too large", message(f));
    // A malformed entry is named as such wherever it stands.
    NpyBytes.withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, -1), }").write(f);
    assertEquals(f + ": header entry 'shape' is (4611686018427387904, -1); expected a tuple of non-negative integers",
        message(f));
    NpyBytes.of("<f8", false, 1, 16777217).write(f);
    assertEquals(f + ": shape (1, 16777217) has more columns than the 16777216 supported", message(f));
  }

  @Test
  void wholeFileProblems() throws IOException {
    Path f = dir.resolve("data.npy");
    Files.write(f, new byte[0]);
    assertEquals(f + ": empty file", message(f));
    Files.write(f, "a,b\n1,2\n".getBytes());
    assertEquals(f + ": not a NumPy .npy file (it does not start with \\x93NUMPY)", message(f));
    Files.write(f, new byte[] {(byte) 0x93, 'N', 'U', 'M'});
    assertEquals(f + ": not a NumPy .npy file (it does not start with \\x93NUMPY)", message(f));
    Files.write(f, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 10});
    assertEquals(f + ": truncated: the file ends inside the .npy preamble", message(f));
    NpyBytes.of("<f8", false, 1, 1).version(4).write(f);
    assertEquals(f + ": .npy format version 4.0 is not supported; expected 1.0, 2.0 or 3.0", message(f));
    byte[] ok = NpyBytes.of("<f8", false, 1, 1).payload(new byte[8]).bytes();
    ok[7] = 1;
    Files.write(f, ok);
    assertEquals(f + ": .npy format version 1.1 is not supported; expected 1.0, 2.0 or 3.0", message(f));
    NpyBytes.of("<f8", false, 1, 1).headerLength(60000).write(f);
    assertEquals(f + ": truncated: the header length says 60000 bytes but only 118 follow", message(f));
    NpyBytes.of("<f8", false, 1, 1).version(2).headerLength(Integer.MAX_VALUE).write(f);
    assertEquals(f + ": header length 2147483647 is implausibly large (at most 1048576 bytes are accepted)", message(f));
  }

  @Test
  void malformedHeaders() throws IOException {
    Path f = dir.resolve("data.npy");
    NpyBytes.withHeader("{'descr' '<f8', 'fortran_order': False, 'shape': (1, 1), }").payload(new byte[8]).write(f);
    assertEquals(f + ": malformed header (expected ':' at character 10): "
        + "{'descr' '<f8', 'fortran_order': False, 'shape': (1, 1), }", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': Flase, 'shape': (1, 1), }").write(f);
    assertEquals(f + ": malformed header (unknown name 'Flase' at character 35): "
        + "{'descr': '<f8', 'fortran_order': Flase, 'shape': (1, 1), }", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), ").write(f);
    assertTrue(message(f).startsWith(f + ": malformed header (unexpected end; expected a value at character "));
    NpyBytes.withHeader("['descr', '<f8']").write(f);
    assertEquals(f + ": malformed header: not a dictionary: ['descr', '<f8']", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'shape': (1, 1)}").write(f);
    assertEquals(f + ": malformed header: no 'fortran_order' entry", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': 0, 'shape': (1, 1)}").write(f);
    assertEquals(f + ": header entry 'fortran_order' is 0; expected True or False", message(f));
    NpyBytes.withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} x").write(f);
    assertEquals(f + ": malformed header (unexpected text after the end of the literal at character 59): "
        + "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1)} x", message(f));
    NpyBytes.withHeader("(".repeat(5000)).write(f);
    assertTrue(message(f).startsWith(f + ": malformed header (nested more than 32 levels deep at character "));
    NpyBytes.withHeader("{'descr': '<f8\n', 'fortran_order': False, 'shape': (1, 1)}").write(f);
    assertTrue(message(f).contains("line break inside a string"), message(f));
  }

  @Test
  void ioProblemsNameTheFile() {
    Path missing = dir.resolve("missing.npy");
    assertEquals(missing + ": cannot read: no such file or directory", message(missing));
    assertEquals(dir + ": cannot read: is a directory", message(dir));
  }

  // ------------------------------------------------------------------ vectors and matrices

  @Test
  void vectors() throws IOException {
    double[][] col = {{1}, {2.5}, {4}};
    Path f = NpyBytes.of("<f8", false, 3).values(col, 8, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("w.npy"));
    assertArrayEquals(new double[] {1, 2.5, 4}, NpyReader.readVector(f, "sample weights"));
    NpyBytes.of(">f4", true, 3, 1).values(col, 4, ByteOrder.BIG_ENDIAN, true).write(f);
    assertArrayEquals(new double[] {1, 2.5, 4}, NpyReader.readVector(f, "sample weights"));
    NpyBytes.of("<i8", false, 3).payload(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1, 7, 0, 0, 0, 0, 0, 0, 0})
        .write(f);
    assertArrayEquals(new double[] {1, -1, 7}, NpyReader.readVector(f, "sample weights"));
    NpyBytes.of("|u1", false, 3).payload(new byte[] {1, (byte) 255, 0}).write(f);
    assertArrayEquals(new double[] {1, 255, 0}, NpyReader.readVector(f, "sample weights"));
    NpyBytes.of("<f8", false, 3, 2).payload(new byte[48]).write(f);
    assertEquals(f + ": sample weights: shape (3, 2) is not a vector; expected (n,) or (n, 1)",
        assertThrows(InputException.class, () -> NpyReader.readVector(f, "sample weights")).getMessage());
    NpyBytes.of("<c8", false, 3).payload(new byte[24]).write(f);
    assertEquals(f + ": dtype '<c8' is not supported; expected float32, float64 or an integer type",
        assertThrows(InputException.class, () -> NpyReader.readVector(f, "sample weights")).getMessage());
    NpyBytes.of("<f8", false, 3).values(new double[][] {{1}, {Double.POSITIVE_INFINITY}, {2}}, 8, ByteOrder.LITTLE_ENDIAN, false)
        .write(f);
    assertEquals(f + ", row 2, column 1: value Infinity is not a finite number",
        assertThrows(InputException.class, () -> NpyReader.readVector(f, "sample weights")).getMessage());
  }

  @Test
  void matricesAreRawValues() throws IOException {
    double[][] c = {{1e6, 2}, {3, -4}, {5.5, 6}};
    Path f = NpyBytes.of("<f8", true, 3, 2).values(c, 8, ByteOrder.LITTLE_ENDIAN, true).write(dir.resolve("c.npy"));
    double[][] m = NpyReader.readMatrix(f, "initial centres");
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(c[i], m[i]);
    }
    NpyBytes.of("<f8", false, 2).payload(new byte[16]).write(f);
    assertEquals(f + ": initial centres: shape (2,) has 1 dimension; expected 2 (rows, columns)"
        + " (for one feature, reshape with x.reshape(-1, 1))",
        assertThrows(InputException.class, () -> NpyReader.readMatrix(f, "initial centres")).getMessage());
  }
}
