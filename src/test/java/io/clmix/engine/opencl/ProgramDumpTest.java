package io.clmix.engine.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dclmix.opencl.dumpBinaries=DIR}: every program built while the property is set leaves
 * its binary and build options in DIR; a DIR that cannot be written is bad input.
 */
class ProgramDumpTest {
  private static final KernelSource SOURCE = KernelSource.of("dump_probe.cl",
      "__kernel void dump_probe(__global float* x) { x[get_global_id(0)] *= 2.0f; }\n");

  @Test
  void builtProgramsLeaveTheirBinaryAndOptions(@TempDir Path dir) throws IOException {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    String before = System.getProperty(ProgramDump.PROPERTY);
    System.setProperty(ProgramDump.PROPERTY, dir.toString());
    try (ClContext cl = ClContext.create(device)) {
      ClProgram p = new ProgramCache(cl).get(SOURCE, Defines.empty().with("DIM", 7));
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.sorted().collect(Collectors.toList());
      }
      assertEquals(2, files.size(), files.toString());
      Path bin = files.stream().filter(f -> f.toString().endsWith(".bin")).findFirst().orElseThrow();
      Path txt = files.stream().filter(f -> f.toString().endsWith(".txt")).findFirst().orElseThrow();
      assertTrue(bin.getFileName().toString().startsWith("dump_probe.cl-"), bin.toString());
      assertTrue(Files.size(bin) > 0, "a binary");
      assertEquals(p.options(), Files.readString(txt).strip());
    } finally {
      if (before == null) {
        System.clearProperty(ProgramDump.PROPERTY);
      } else {
        System.setProperty(ProgramDump.PROPERTY, before);
      }
    }
  }

  /** A folder that cannot be made (a file stands in its path) is bad input naming the property. */
  @Test
  void anUnwritableFolderIsBadInput(@TempDir Path dir) throws IOException {
    ClDeviceInfo device = OpenClTestSupport.requireDevice();
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    String before = System.getProperty(ProgramDump.PROPERTY);
    System.setProperty(ProgramDump.PROPERTY, file.resolve("sub").toString());
    try (ClContext cl = ClContext.create(device)) {
      InputException e = assertThrows(InputException.class,
          () -> new ProgramCache(cl).get(SOURCE, Defines.empty().with("DIM", 9)));
      assertTrue(e.getMessage().startsWith("-D" + ProgramDump.PROPERTY + ": "), e.getMessage());
    } finally {
      if (before == null) {
        System.clearProperty(ProgramDump.PROPERTY);
      } else {
        System.setProperty(ProgramDump.PROPERTY, before);
      }
    }
  }
}
