package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvReaderTest {
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static String message(Path f) {
    return assertThrows(InputException.class, () -> CsvReader.read(f)).getMessage();
  }

  private static void assertRows(double[][] expected, Dataset ds) {
    assertEquals(expected.length, ds.rows());
    assertEquals(expected[0].length, ds.cols());
    for (int i = 0; i < expected.length; i++) {
      double[] row = ds.row(i);
      for (int j = 0; j < row.length; j++) {
        // Stored as float32 relative to the column means: about 7 digits of the spread.
        assertEquals(expected[i][j], row[j], 1e-6 * Math.max(1, Math.abs(expected[i][j])), "row " + i);
      }
    }
  }

  @Test
  void textAfterAClosingQuoteNamesItsColumn() throws IOException {
    // FastCSV's own words ("Unexpected character after closing quote") named no column.
    assertEquals(dir.resolve("q.csv") + ", line 3, column 2: 'x' after the closing quote of a quoted field; a quoted"
        + " field must end at its closing quote", message(file("q.csv", "1,2\n3,4\n5,\"6\"x\n")));
    assertEquals(dir.resolve("q2.csv") + ", line 2, column 1: ' ' after the closing quote of a quoted field; a quoted"
        + " field must end at its closing quote", message(file("q2.csv", "1,2\n\"3\" ,4\n")));
  }

  @Test
  void bytesThatAreNotUtf8AreSaidToBeSo() throws IOException {
    Path latin1 = dir.resolve("latin1.csv");
    Files.write(latin1, "1,2\n3,4\n5,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(latin1 + ", line 3, column 2: value 'caf\\ufffd' is not a number (\\ufffd stands for bytes that are"
        + " not UTF-8 text; clmix reads files as UTF-8)", message(latin1));
  }

  private static final double[][] TABLE = {{1, 2.5, -3}, {4e3, 5, 6}, {7, 8, 9.25}};

  // ------------------------------------------------------------------ layouts

  @Test
  void commaSeparatedWithHeader() throws IOException {
    assertRows(TABLE, CsvReader.read(file("a.csv", "x,y,z\n1,2.5,-3\n4e3,5,6\n7,8,9.25\n")));
  }

  @Test
  void commaSeparatedWithoutHeaderCrlfBlankLinesCommentsAndQuotes() throws IOException {
    String text = "\ufeff# produced by hand\r\n\r\n1, 2.5 ,-3\r\n   \r\n  # indented comment, with comma\r\n"
        + "\"4e3\",5,\"6\"\r\n7,8,9.25";
    assertRows(TABLE, CsvReader.read(file("b.csv", text)));
  }

  @Test
  void quotedHeaderNamesMayHoldCommasAndLineBreaks() throws IOException {
    assertRows(TABLE, CsvReader.read(file("q.csv", "\"a, b\",\"multi\nline\",c\n1,2.5,-3\n4e3,5,6\n7,8,9.25\n")));
  }

  @Test
  void whitespaceSeparated() throws IOException {
    String text = "# numpy.savetxt\n1 2.5\t-3\n  4e3   5 6  \n\n7\t\t8 9.25\r\n";
    assertRows(TABLE, CsvReader.read(file("c.txt", text)));
    assertRows(TABLE, CsvReader.read(file("c.csv", text)));
  }

  @Test
  void tabSeparatedWithSpacesInNames() throws IOException {
    String text = "sepal length\tsepal width\tpetal\n1\t2.5\t-3\n4e3\t5\t6\n7\t8\t9.25\n";
    assertRows(TABLE, CsvReader.read(file("d.tsv", text)));
    assertRows(TABLE, CsvReader.read(file("d.txt", text)));
    assertEquals(CsvReader.Layout.BLANKS, CsvReader.layoutOf("1.0\t 2.0  3.0"));
    assertEquals(CsvReader.Layout.TAB, CsvReader.layoutOf("a b\tc"));
    assertEquals(CsvReader.Layout.COMMA, CsvReader.layoutOf("a b,c"));
  }

  @Test
  void singleColumnAndChunking() throws IOException {
    StringBuilder b = new StringBuilder("value\n");
    for (int i = 0; i < 25; i++) {
      b.append(i).append('\n');
    }
    Dataset ds = CsvReader.read(file("one.csv", b.toString()), ReadOptions.defaults().withChunkRows(10));
    assertEquals(25, ds.rows());
    assertEquals(3, ds.chunkCount());
    assertEquals(5, ds.rowsIn(2));
    assertArrayEquals(new double[] {17}, ds.row(17), 1e-12);
  }

  @Test
  void firstLineWithOnlyNumbersAndNanIsData() throws IOException {
    Path f = file("data.csv", "nan,1\n2,3\n");
    assertEquals(f + ", line 1, column 1: value 'nan' is not a finite number", message(f));
  }

  @Test
  void headerWithAnEmptyNameIsStillAHeader() throws IOException {
    assertRows(new double[][] {{0, 1}, {1, 2}}, CsvReader.read(file("pandas.csv", ",a\n0,1\n1,2\n")));
  }

  // ------------------------------------------------------------------ header

  private static Dataset read(Path f, ReadOptions.Header header, List<String> notes) {
    return CsvReader.read(f, ReadOptions.defaults().withHeader(header), notes::add);
  }

  private static String message(Path f, ReadOptions.Header header) {
    return assertThrows(InputException.class,
        () -> CsvReader.read(f, ReadOptions.defaults().withHeader(header))).getMessage();
  }

  /** Text a number parser nearly accepts is a malformed value on line 1, as on line 2, not a header. */
  @ParameterizedTest
  @ValueSource(strings = {"0x10", "1f", "1_000", "1d0", "1e", "-", ".", "+", "-x", ".5x", "1.2.3", "12a", "1st"})
  void aMalformedNumberOnLineOneIsABadValueNotAHeader(String cell) throws IOException {
    for (String name : new String[] {"data.csv", "data.txt"}) {
      String sep = name.endsWith(".csv") ? "," : " ";
      Path f = file(name, cell + sep + "0\n1" + sep + "2\n3" + sep + "4\n5" + sep + "6\n");
      assertEquals(f + ", line 1, column 1: value '" + cell + "' is not a number", message(f), name);
      assertEquals(f + ", line 1, column 1: value '" + cell + "' is not a number", message(f, ReadOptions.Header.NO));
      assertEquals(3, CsvReader.read(f, ReadOptions.defaults().withHeader(ReadOptions.Header.YES)).rows(), name);
    }
  }

  @Test
  void namesBesideNumbersAreData() throws IOException {
    Path f = file("data.csv", "x,2\n1,2\n3,4\n");
    assertEquals(f + ", line 1, column 1: value 'x' is not a number (if line 1 is a header, say so with --header yes)",
        message(f));
    Path g = file("g.csv", "# years\n\n1f,x\n1,2\n");
    assertEquals(g + ", line 3, column 1: value '1f' is not a number (if line 3 is a header, say so with --header yes)",
        message(g));
    assertEquals(g + ", line 3, column 1: value '1f' is not a number", message(g, ReadOptions.Header.NO));
    assertRows(new double[][] {{1, 2}, {3, 4}}, CsvReader.read(f, ReadOptions.defaults().withHeader(ReadOptions.Header.YES)));
  }

  @Test
  void autoTakesALineOfNamesForAHeaderAndSaysSo() throws IOException {
    for (String text : new String[] {"x,y\n", "\"a, b\",e5\n", ",Unnamed: 0\n", "_c0\t sepal length \n"}) {
      String name = text.contains("\t") ? "h.tsv" : "h.csv";
      Path f = file(name, "# made by hand\n\n" + text + "1,2\n3,4\n".replace(",", name.endsWith(".tsv") ? "\t" : ","));
      List<String> notes = new ArrayList<>();
      assertRows(new double[][] {{1, 2}, {3, 4}}, read(f, ReadOptions.Header.AUTO, notes));
      assertEquals(1, notes.size(), text);
      assertTrue(notes.get(0).startsWith(f + ": line 3 taken as a header ('"), notes.get(0));
      assertTrue(notes.get(0).endsWith("'); --header no reads it as data"), notes.get(0));
    }
    Path f = file("h.csv", "x,y\n1,2\n");
    List<String> notes = new ArrayList<>();
    read(f, ReadOptions.Header.AUTO, notes);
    assertEquals(List.of(f + ": line 1 taken as a header ('x', 'y'); --header no reads it as data"), notes);
    notes.clear();
    read(f, ReadOptions.Header.YES, notes); // said, not guessed: nothing to note
    assertEquals(List.of(), notes);
    // The names are cut after 60 characters.
    Path wide = file("wide.csv", "a".repeat(50) + ",b,c,d\n1,2,3,4\n");
    notes.clear();
    read(wide, ReadOptions.Header.AUTO, notes);
    assertEquals(wide + ": line 1 taken as a header ('" + "a".repeat(50) + "', 'b'...); --header no reads it as data",
        notes.get(0));
    Path txt = file("h.txt", "x y\n1 2\n");
    notes.clear();
    assertEquals(1, read(txt, ReadOptions.Header.AUTO, notes).rows());
    assertEquals(List.of(txt + ": line 1 taken as a header ('x', 'y'); --header no reads it as data"), notes);
  }

  @Test
  void aNumericHeaderIsDataUnlessSaid() throws IOException {
    // pandas' df.to_csv(index=False) of a frame without column names.
    Path f = file("pandas.csv", "0,1\n1,2\n3,4\n5,6\n");
    List<String> notes = new ArrayList<>();
    assertEquals(4, read(f, ReadOptions.Header.AUTO, notes).rows());
    assertEquals(List.of(f + ": line 1 (0, 1) read as data; if it is pandas' header for unnamed columns,"
        + " --header yes skips it"), notes);
    notes.clear();
    assertRows(new double[][] {{1, 2}, {3, 4}, {5, 6}}, read(f, ReadOptions.Header.YES, notes));
    assertEquals(List.of(), notes);
    Path wide = file("wide.csv", "0,1,2,3,4,5\n1,1,1,1,1,1\n");
    read(wide, ReadOptions.Header.AUTO, notes);
    assertEquals(List.of(wide + ": line 1 (0, 1, ..., 5) read as data; if it is pandas' header for unnamed columns,"
        + " --header yes skips it"), notes);
    notes.clear();
    read(file("one.csv", "0\n1\n"), ReadOptions.Header.AUTO, notes); // one column of 0: a label, nothing to say
    read(file("other.csv", "0,2\n1,2\n"), ReadOptions.Header.AUTO, notes);
    read(f, ReadOptions.Header.NO, notes);
    assertEquals(List.of(), notes);
  }

  @Test
  void headerNoReadsEveryLineAsData() throws IOException {
    Path f = file("data.csv", "x,y\n1,2\n");
    assertEquals(f + ", line 1, column 1: value 'x' is not a number", message(f, ReadOptions.Header.NO));
    Path t = file("data.txt", "# c\nsepal_length width\n1 2\n");
    assertEquals(t + ", line 2, column 1: value 'sepal_length' is not a number", message(t, ReadOptions.Header.NO));
    Path n = file("n.csv", "1,2\n3,4\n");
    assertRows(new double[][] {{1, 2}, {3, 4}}, CsvReader.read(n, ReadOptions.defaults().withHeader(ReadOptions.Header.NO)));
  }

  @Test
  void headerYesSkipsTheFirstLineWhateverItHolds() throws IOException {
    Path f = file("data.csv", "\n# c\n1,2,3\n4,5,6\n");
    assertRows(new double[][] {{4, 5, 6}}, CsvReader.read(f, ReadOptions.defaults().withHeader(ReadOptions.Header.YES)));
    Path ragged = file("r.csv", "0,1\n1,2,3\n");
    assertEquals(ragged + ", line 2: 3 values where the header has 2", message(ragged, ReadOptions.Header.YES));
    Path alone = file("a.csv", "0,1\n");
    assertEquals(alone + ": no data rows (only a header)", message(alone, ReadOptions.Header.YES));
  }

  @Test
  void headerModesByName() {
    assertEquals(ReadOptions.Header.AUTO, ReadOptions.defaults().header());
    assertEquals(ReadOptions.Header.YES, ReadOptions.Header.parse("yes"));
    assertEquals(ReadOptions.Header.NO, ReadOptions.Header.parse(" NO "));
    assertEquals(ReadOptions.Header.AUTO, ReadOptions.Header.parse("Auto"));
    assertEquals("header: 'maybe' is not allowed; expected auto, yes or no",
        assertThrows(InputException.class, () -> ReadOptions.Header.parse("maybe")).getMessage());
    assertEquals(ReadOptions.Header.NO, ReadOptions.defaults().withChunkRows(5).withHeader(ReadOptions.Header.NO)
        .withMapThreshold(7).header());
  }

  @Test
  void namesAreTextThatDoesNotStartAsANumber() {
    for (String name : new String[] {"x", "sepal length", "Unnamed: 0", "_c0", "e5", "nan_count", "#", "(cm)", "\u00a0x"}) {
      assertTrue(NumericRecord.isName(name), name);
    }
    for (String notName : new String[] {"0x10", "1f", "1d0", "1_000", "1e", "-", ".", "+1a", "\u00a0-", "\u00a0"}) {
      assertFalse(NumericRecord.isName(notName), notName);
    }
  }

  // ------------------------------------------------------------------ validation

  @Test
  void raggedRowsAgainstHeader() throws IOException {
    Path f = file("data.csv", "a,b,c,d\n1,2,3,4\n1,2,3\n");
    assertEquals(f + ", line 3: 3 values where the header has 4", message(f));
  }

  @Test
  void raggedRowsAgainstFirstRow() throws IOException {
    Path f = file("data.txt", "# c\n1 2 3 4\n\n1 2 3 4\n5\n");
    assertEquals(f + ", line 5: 1 value where the first row has 4", message(f));
  }

  @Test
  void nonNumericCell() throws IOException {
    StringBuilder b = new StringBuilder("a,b,c,d\n");
    for (int i = 2; i < 12; i++) {
      b.append("1,2,3,4\n");
    }
    b.append("1,2,abc,4\n");
    Path f = file("data.csv", b.toString());
    assertEquals(f + ", line 12, column 3: value 'abc' is not a number", message(f));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1f", "0x10", "1e", "--1", "1.2.3", ".", "e5", "1,5", "12a", "+", "1 2", "∞"})
  void strictNumberSyntax(String cell) throws IOException {
    Path f = file("data.csv", "a,b\n\"" + cell + "\",1\n");
    assertEquals(f + ", line 2, column 1: value '" + cell + "' is not a number", message(f));
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "-nan", "inf", "-Inf", "+INF", "Infinity", "-infinity"})
  void nonFiniteCells(String cell) throws IOException {
    Path f = file("data.csv", "a,b\n1,2\n3," + cell + "\n");
    assertEquals(f + ", line 3, column 2: value '" + cell + "' is not a finite number", message(f));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e40", "-3.5E+38", " 4e38 ", "340282356779733661637539395458142568448", "1e400",
      "-1e99999999999", " 2e308 "})
  void cellsBeyondFloat32AreQuotedAsWritten(String cell) throws IOException {
    Path f = file("data.csv", "a,b\n1,2\n3," + cell + "\n");
    assertEquals(f + ", line 3, column 2: value '" + cell.strip() + "' " + Problems.TOO_LARGE, message(f));
    Path t = file("data.txt", "1 2\n3 " + cell.strip() + "\n");
    assertEquals(t + ", line 2, column 2: value '" + cell.strip() + "' " + Problems.TOO_LARGE, message(t));
  }

  @Test
  void theFirstBadCellOfARowIsTheOneNamed() throws IOException {
    Path large = file("large.csv", "1,2,3\n4,1e40,x\n");
    assertEquals(large + ", line 2, column 2: value '1e40' " + Problems.TOO_LARGE, message(large));
    Path word = file("word.csv", "1,2,3\n4,x,1e40\n");
    assertEquals(word + ", line 2, column 2: value 'x' is not a number", message(word));
    // float32's largest value itself is data.
    Path edge = file("edge.csv", "1,2\n3,3.4028234663852886e38\n");
    assertEquals(2, CsvReader.read(edge).rows());
  }

  @Test
  void initMatricesAreFloat32AndVectorsDouble() throws IOException {
    Path m = file("init.csv", "x,y\n1,2\n5,-2e39\n");
    assertEquals(m + ", line 3, column 2: value '-2e39' " + Problems.TOO_LARGE,
        assertThrows(InputException.class, () -> CsvReader.readMatrix(m, "--init", true)).getMessage());
    assertEquals(-2e39, CsvReader.readMatrix(m, "a double matrix")[1][1], "without the float32 check");
    // Weights are checked by the data set they are attached to, in double.
    assertArrayEquals(new double[] {1, 1e40}, CsvReader.readVector(file("w.csv", "1\n1e40\n"), "sample weights"));
  }

  @Test
  void numbersBeyondADoubleAreTooLargeEverywhere() throws IOException {
    Path m = file("init.csv", "x,y\n1,2\n5,1e400\n");
    assertEquals(m + ", line 3, column 2: value '1e400' " + Problems.TOO_LARGE,
        assertThrows(InputException.class, () -> CsvReader.readMatrix(m, "--init", true)).getMessage());
    assertEquals(m + ", line 3, column 2: value '1e400' " + Problems.TOO_LARGE_FOR_DOUBLE,
        assertThrows(InputException.class, () -> CsvReader.readMatrix(m, "a double matrix")).getMessage());
    Path w = file("w.csv", "1\n-1e400\n");
    assertEquals(w + ", line 2, column 1: value '-1e400' " + Problems.TOO_LARGE_FOR_DOUBLE,
        assertThrows(InputException.class, () -> CsvReader.readVector(w, "sample weights")).getMessage());
    // The first bad field of a line is named, whichever kind of bad it is.
    Path first = file("first.csv", "1,2,3\n4,1e400,1e39\n");
    assertEquals(first + ", line 2, column 2: value '1e400' " + Problems.TOO_LARGE, message(first));
    Path before = file("before.csv", "1,2,3\n4,1e39,1e400\n");
    assertEquals(before + ", line 2, column 2: value '1e39' " + Problems.TOO_LARGE, message(before));
    Path word = file("word.csv", "1,2,3\n4,x,1e400\n");
    assertEquals(word + ", line 2, column 2: value 'x' is not a number", message(word));
  }

  @Test
  void emptyCell() throws IOException {
    Path f = file("data.csv", "1,2,3\n4,,6\n");
    assertEquals(f + ", line 2, column 2: value '' is not a number (the field is empty)", message(f));
  }

  @Test
  void controlCharactersAreEscapedInMessages() throws IOException {
    Path f = file("data.csv", "1,2\n3,\"x\ny\"\n");
    assertEquals(f + ", line 2, column 2: value 'x\\ny' is not a number", message(f));
  }

  @Test
  void wholeFileProblems() throws IOException {
    Path f = file("data.csv", "");
    assertEquals(f + ": empty file", message(f));
    file("data.csv", "a,b,c\n");
    assertEquals(f + ": no data rows (only a header)", message(f));
    file("data.csv", "# nothing\n\n   \n");
    assertEquals(f + ": no data rows (only blank lines and comments)", message(f));
    Path t = file("data.txt", "x y\n\n");
    assertEquals(t + ": no data rows (only a header)", message(t));
  }

  @Test
  void ioProblems() throws IOException {
    Path missing = dir.resolve("missing.csv");
    assertEquals(missing + ": cannot read: no such file or directory", message(missing));
    assertEquals(dir + ": cannot read: is a directory", message(dir));
    Path locked = file("locked.csv", "1,2\n");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Assumptions.assumeFalse(Files.isReadable(locked), "running as root: permissions are not enforced");
    assertEquals(locked + ": cannot read: permission denied", message(locked));
  }

  @Test
  void vectorsAndMatrices() throws IOException {
    Path w = file("w.csv", "weight\n1\n2.5\n\n4\n");
    assertArrayEquals(new double[] {1, 2.5, 4}, CsvReader.readVector(w, "sample weights"));
    Path two = file("w2.csv", "1,2\n3,4\n");
    assertEquals(two + ": sample weights: 2 columns; expected one value per line",
        assertThrows(InputException.class, () -> CsvReader.readVector(two, "sample weights")).getMessage());
    double[][] m = CsvReader.readMatrix(file("c.csv", "x,y\n1e6,2\n3,4\n"), "initial centres");
    assertArrayEquals(new double[] {1e6, 2}, m[0]);
    assertArrayEquals(new double[] {3, 4}, m[1]);
  }

  @Test
  void unclosedQuotesAreNamed() throws IOException {
    Path f = dir.resolve("data.csv");
    Files.writeString(f, "a,b\n1,2\n3,\"" + "1".repeat((1 << 24) + 10) + "\n");
    assertEquals(f + ", line 3: a field is too long to be a number; is a quote (\") missing its closing quote?", message(f));
  }

  @Test
  void longLinesAreRefused() throws IOException {
    Path f = dir.resolve("long.txt");
    byte[] b = new byte[WhitespaceRecords.MAX_LINE_CHARS + 10];
    java.util.Arrays.fill(b, (byte) '1');
    Files.write(f, b);
    assertEquals(f + ", line 1: longer than 16777216 characters", message(f));
  }
}
