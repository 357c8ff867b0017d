package io.clmix.engine.opencl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_program;

/**
 * Writes each built program's binary (on NVIDIA's driver: the PTX it generated) and its build
 * options into the folder named by {@value #PROPERTY}, for reading what the device compiler made
 * of a kernel ({@code ptxas -v} on the PTX gives its registers and spills). A diagnostic: off
 * unless the property is set; a program is written once per options, as {@code NAME-HASH.bin}
 * and {@code NAME-HASH.txt}.
 */
final class ProgramDump {
  /** The system property naming the folder. */
  static final String PROPERTY = "clmix.opencl.dumpBinaries";

  private ProgramDump() {
  }

  /** Writes {@code program}'s binary when {@value #PROPERTY} is set. */
  static void maybeWrite(cl_program program, String name, String options) {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      return;
    }
    long[] sizes = new long[1];
    CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null);
    byte[] binary = new byte[(int) sizes[0]];
    CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
    String stem = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + Integer.toHexString(options.hashCode());
    try {
      Path folder = Files.createDirectories(Path.of(dir));
      Files.write(folder.resolve(stem + ".bin"), binary);
      Files.writeString(folder.resolve(stem + ".txt"), options + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("-D" + PROPERTY + "=" + dir + ": " + e.getMessage(), e);
    }
  }
}
