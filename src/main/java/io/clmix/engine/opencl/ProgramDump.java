package io.clmix.engine.opencl;

import io.clmix.data.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_program;

/**
 * Writes each built program's binary (on NVIDIA's driver: the PTX it generated) and its build
 * options into the folder named by {@value #PROPERTY}, for reading what the device compiler made
 * of a kernel ({@code ptxas -v} on the PTX gives its registers and spills). A diagnostic: off
 * unless the property is set. Files are named after the program and a hash of its options,
 * {@code NAME-HASH.bin} and {@code NAME-HASH.txt}; a rebuild with the same options overwrites
 * them. A folder that cannot be written is an {@link InputException} naming the property.
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
    OpenCl.check(OpenCl.guardInt("clGetProgramInfo",
        () -> CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null)),
        "clGetProgramInfo(" + name + ", binary sizes)");
    byte[] binary = new byte[(int) sizes[0]];
    OpenCl.check(OpenCl.guardInt("clGetProgramInfo",
        () -> CL.clGetProgramInfo(program, CL.CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null)),
        "clGetProgramInfo(" + name + ", binaries)");
    String stem = name.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + Integer.toHexString(options.hashCode());
    try {
      Path folder = Files.createDirectories(Path.of(dir));
      Files.write(folder.resolve(stem + ".bin"), binary);
      Files.writeString(folder.resolve(stem + ".txt"), options + "\n", StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException e) {
      throw InputException.parameter("-D" + PROPERTY, dir, "a folder clmix can write (" + e.getMessage() + ")");
    }
  }
}
