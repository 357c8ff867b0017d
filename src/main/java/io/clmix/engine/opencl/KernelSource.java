package io.clmix.engine.opencl;

import io.clmix.engine.EngineException;
import io.clmix.engine.EngineException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The OpenCL C source of one kernel family: {@code kernels/common.cl} followed by the family's
 * file (such as {@code kernels/kmeans.cl}), both read from the classpath, where the build puts
 * the top-level {@code kernels/} directory. Never read from the working directory, so the
 * engine works from any directory and from the shaded jar.
 *
 * <p>{@code #line} directives before each part make compiler messages name the right file and
 * line.
 */
public final class KernelSource {
  /** The classpath folder of the kernel files. */
  static final String FOLDER = "kernels/";
  /** The file every family is prefixed with. */
  static final String COMMON = "common.cl";

  private final String name;
  private final String text;

  private KernelSource(String name, String text) {
    this.name = name;
    this.text = text;
  }

  /**
   * {@code common.cl} plus {@code family} (such as {@code kmeans.cl}) from the classpath.
   *
   * @throws EngineException of kind BUILD when a file is missing or unreadable
   */
  public static KernelSource load(String family) {
    return load(family, new String[0]);
  }

  /**
   * {@code common.cl}, then {@code family}, then the files {@code after} it builds on top of it
   * (such as {@code kmeans_pruned.cl} after {@code kmeans.cl}), as one source named after the last
   * file.
   *
   * @throws EngineException of kind BUILD when a file is missing or unreadable
   */
  public static KernelSource load(String family, String... after) {
    StringBuilder text = new StringBuilder();
    text.append("#line 1 \"").append(COMMON).append("\"\n").append(read(COMMON));
    String name = family;
    text.append("\n#line 1 \"").append(family).append("\"\n").append(read(family));
    for (String file : after) {
      text.append("\n#line 1 \"").append(file).append("\"\n").append(read(file));
      name = file;
    }
    return new KernelSource(name, text.toString());
  }

  /** A source given as text, such as a test's deliberately broken kernel. */
  public static KernelSource of(String name, String text) {
    return new KernelSource(name, text);
  }

  /** The family's file name, such as {@code kmeans.cl}. */
  public String name() {
    return name;
  }

  /** The complete source handed to the compiler. */
  public String text() {
    return text;
  }

  private static String read(String file) {
    String path = FOLDER + file;
    ClassLoader loader = KernelSource.class.getClassLoader();
    try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(path) : loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new EngineException(Kind.BUILD, "kernel source " + path + " is missing from the classpath"
            + " (the build copies the top-level kernels/ folder into the jar; rebuild with mvn package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new EngineException(Kind.BUILD, "kernel source " + path + " could not be read: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
