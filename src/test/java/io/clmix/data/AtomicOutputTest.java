package io.clmix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAndReplaces() throws IOException {
    Path f = dir.resolve("out.txt");
    AtomicOutput.write(f, out -> out.write("one".getBytes(StandardCharsets.UTF_8)));
    assertEquals("one", Files.readString(f));
    AtomicOutput.write(f, out -> {
      try (var w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8)) {
        w.write("two"); // closing the stream early is harmless
      }
    });
    assertEquals("two", Files.readString(f));
    assertEquals(List.of("out.txt"), names());
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path f = dir.resolve("model.json");
    Files.writeString(f, "old");
    InputException e = assertThrows(InputException.class, () -> AtomicOutput.write(f, out -> {
      out.write(new byte[100_000]);
      throw new IOException("No space left on device");
    }));
    assertEquals(f + ": cannot write: no space left on device", e.getMessage());
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("model.json"), names());

    IllegalStateException bug = new IllegalStateException("bug");
    assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicOutput.write(f, out -> {
      out.write(1);
      throw bug;
    })));
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("model.json"), names());
  }

  @Test
  void aFailedFirstWriteLeavesNothing() throws IOException {
    Path f = dir.resolve("new.npy");
    assertThrows(InputException.class, () -> AtomicOutput.write(f, out -> {
      throw new IOException("boom");
    }));
    assertEquals(List.of(), names());
  }

  @Test
  void unwritableTargets() {
    Path nowhere = dir.resolve("no/such/dir/out.csv");
    assertEquals(nowhere + ": cannot write: directory " + dir.resolve("no/such/dir") + " does not exist",
        assertThrows(InputException.class, () -> AtomicOutput.write(nowhere, out -> {})).getMessage());
    assertEquals(dir + ": cannot write: is a directory",
        assertThrows(InputException.class, () -> AtomicOutput.write(dir, out -> {})).getMessage());
  }
}
