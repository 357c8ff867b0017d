package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.clmix.data.DataFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clmix generate --d} stops at the columns the readers take back from --out's kind of file. */
class GenerateColumnsTest {
  @TempDir
  Path dir;

  @Test
  void moreColumnsThanANpyFileIsReadWithAreRefusedBeforeWriting() throws IOException {
    Path out = dir.resolve("x.npy");
    int d = DataFiles.MAX_NPY_COLUMNS + 1;
    CliRun r = CliRun.of("generate", "--n", "10", "--d", Integer.toString(d), "-k", "2", "--out", out.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --d: " + d + " is not allowed; expected an integer from 1 to "
        + DataFiles.MAX_NPY_COLUMNS + "\n", r.err());
    assertFalse(Files.exists(out));
    try (var left = Files.list(dir)) {
      assertEquals(0, left.count(), "no temporary file left");
    }
  }

  @Test
  void aTextFileStopsAtTheTextReadersLimit() {
    Path out = dir.resolve("x.csv");
    int d = DataFiles.MAX_TEXT_COLUMNS + 1;
    CliRun r = CliRun.of("generate", "--n", "2", "--d", Integer.toString(d), "-k", "1", "--out", out.toString());
    assertEquals(2, r.status(), r.err());
    assertEquals("clmix: error: --d: " + d + " is not allowed; expected an integer from 1 to "
        + DataFiles.MAX_TEXT_COLUMNS + " for a text file (a .npy file takes up to " + DataFiles.MAX_NPY_COLUMNS
        + ")\n", r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void theLimitItselfIsWrittenAndReadBack() {
    // The boundary is the readers': a file generate writes at the limit, fit's reader takes.
    Path out = dir.resolve("x.csv");
    int d = DataFiles.MAX_TEXT_COLUMNS;
    CliRun r = CliRun.of("generate", "--n", "2", "--d", Integer.toString(d), "-k", "1", "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    assertEquals(d, DataFiles.read(out).cols());
  }
}
