package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFilesTest {
  @TempDir Path dir;

  @Test
  void dispatchesOnTheExtensionIgnoringCase() throws IOException {
    double[][] x = {{1, 2}, {3, 4}};
    Path npy = NpyBytes.of("<f8", false, 2, 2).values(x, 8, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("A.NPY"));
    Path csv = dir.resolve("b.Csv");
    Files.writeString(csv, "1,2\n3,4\n");
    Path tsv = dir.resolve("c.tsv");
    Files.writeString(tsv, "1\t2\n3\t4\n");
    Path txt = dir.resolve("d.txt");
    Files.writeString(txt, "1 2\n3 4\n");
    for (Path f : new Path[] {npy, csv, tsv, txt}) {
      Dataset ds = DataFiles.read(f);
      assertArrayEquals(new double[] {3, 4}, ds.row(1), 1e-12, f.toString());
    }
  }

  @Test
  void unknownExtension() {
    Path f = dir.resolve("data.xyz");
    assertEquals(f + ": unknown file type; expected .npy, .csv, .tsv or .txt",
        assertThrows(InputException.class, () -> DataFiles.read(f)).getMessage());
    Path none = dir.resolve("data");
    assertEquals(none + ": unknown file type; expected .npy, .csv, .tsv or .txt",
        assertThrows(InputException.class, () -> DataFiles.readVector(none, 3, "sample weights")).getMessage());
  }

  @Test
  void vectorLengthIsChecked() throws IOException {
    Path w = dir.resolve("w.csv");
    Files.writeString(w, "w\n1\n2\n");
    assertArrayEquals(new double[] {1, 2}, DataFiles.readVector(w, 2, "sample weights"));
    assertArrayEquals(new double[] {1, 2}, DataFiles.readVector(w, -1, "sample weights"));
    assertEquals(w + ": sample weights: 2 values; expected 150 (one per data row)",
        assertThrows(InputException.class, () -> DataFiles.readVector(w, 150, "sample weights")).getMessage());
    Path n = NpyBytes.of("<f4", false, 1).values(new double[][] {{5}}, 4, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("w.npy"));
    assertEquals(n + ": sample weights: 1 value; expected 3 (one per data row)",
        assertThrows(InputException.class, () -> DataFiles.readVector(n, 3, "sample weights")).getMessage());
    Path empty = NpyBytes.of("<f4", false, 0).write(dir.resolve("e.npy"));
    assertEquals(empty + ": sample weights: no values",
        assertThrows(InputException.class, () -> DataFiles.readVector(empty, -1, "sample weights")).getMessage());
  }

  @Test
  void matricesFromEitherKind() throws IOException {
    Path c = dir.resolve("c.csv");
    Files.writeString(c, "1000000.5,2\n-3,4\n");
    double[][] m = DataFiles.readMatrix(c, "initial centres");
    assertArrayEquals(new double[] {1000000.5, 2}, m[0]);
    Path n = NpyBytes.of("<f8", false, 2, 2).values(m, 8, ByteOrder.LITTLE_ENDIAN, false).write(dir.resolve("c.npy"));
    assertArrayEquals(m[1], DataFiles.readMatrix(n, "initial centres")[1]);
  }

  @Test
  void ioReasonsReadLikeTheOperatingSystemSaysThem() {
    assertEquals("no such file or directory", Problems.reason(new NoSuchFileException("/x")));
    assertEquals("permission denied", Problems.reason(new AccessDeniedException("/x")));
    assertEquals("is a directory", Problems.reason(new FileSystemException("/x", null, "Is a directory")));
    assertEquals("disk full", Problems.reason(new IOException("disk full")));
    assertEquals("IOException", Problems.reason(new IOException()));
  }

  @Test
  void npyMatricesBeyondFloat32AreRefused() throws IOException {
    Path m = NpyBytes.of("<f8", false, 2, 2).values(new double[][] {{1, 2}, {3, 1e40}}, 8, ByteOrder.LITTLE_ENDIAN, false)
        .write(dir.resolve("init.npy"));
    assertEquals(m + ", row 2, column 2: value 1.0E40 " + Problems.TOO_LARGE,
        assertThrows(InputException.class, () -> DataFiles.readMatrix(m, "--init", true)).getMessage());
    assertEquals(1e40, DataFiles.readMatrix(m, "a double matrix")[1][1], "without the float32 check");
    Path ok = NpyBytes.of("<f8", false, 1, 2).values(new double[][] {{1, -3e38}}, 8, ByteOrder.LITTLE_ENDIAN, false)
        .write(dir.resolve("ok.npy"));
    assertArrayEquals(new double[] {1, -3e38}, DataFiles.readMatrix(ok, "--init", true)[0]);
  }
}
