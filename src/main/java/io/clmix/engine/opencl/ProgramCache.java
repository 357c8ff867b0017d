package io.clmix.engine.opencl;

import io.clmix.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Programs built in one {@link ClContext}, keyed by device id, source text and build options,
 * so every session of an engine with the same definitions shares one compiled program.
 * Thread-safe: concurrent requests for one key build once. A failed build is not cached (the
 * next request tries again) and surfaces as an {@link EngineException} of kind BUILD carrying
 * the compiler's log. The programs are released when the context closes.
 *
 * <p>Every program is built with {@link #QUIET} after its definitions, unless the cache was made
 * for a test that wants to read the compiler's warnings.
 */
public final class ProgramCache {
  /**
   * The option added to every build: {@code -w}, the standard OpenCL option that inhibits
   * warnings. Some drivers' compilers print a summary of their warnings straight to the process's
   * stderr (PoCL's clang: "57 warnings generated." on the first build of a kernel on a machine),
   * past clmix's own messages, which must be one line. The kernels are kept free of warnings on
   * the test device instead ({@code KernelBuildLogTest}); a build that fails still carries its
   * errors in the exception's build log.
   */
  static final String QUIET = "-w";

  private record Key(String deviceId, String source, String options) {}

  private final ClContext context;
  private final String extraOptions;
  private final ConcurrentHashMap<Key, ClProgram> programs = new ConcurrentHashMap<>();

  /** A cache of programs built in (and owned by) {@code context}, with {@link #QUIET}. */
  public ProgramCache(ClContext context) {
    this(context, QUIET);
  }

  /**
   * A cache whose builds add {@code extraOptions} (empty for none) after the definitions instead
   * of {@link #QUIET}: tests build without {@code -w} to see the compiler's warnings.
   */
  ProgramCache(ClContext context, String extraOptions) {
    this.context = context;
    this.extraOptions = extraOptions;
  }

  /**
   * The program for {@code source} built with {@code defines}, built now if it is not cached.
   *
   * @throws EngineException of kind BUILD when it does not compile
   */
  public ClProgram get(KernelSource source, Defines defines) {
    if (context.isClosed()) {
      throw new IllegalStateException("the program cache's OpenCL context is closed");
    }
    String options = defines.options();
    if (!extraOptions.isEmpty()) {
      options = options.isEmpty() ? extraOptions : options + " " + extraOptions;
    }
    Key key = new Key(context.device().id(), source.text(), options);
    return programs.computeIfAbsent(key, k -> context.program(source.name(), k.source(), k.options()));
  }

  /** Number of programs built so far. */
  public int size() {
    return programs.size();
  }

  /** The programs built so far, in no particular order (for tests that read their build logs). */
  List<ClProgram> programs() {
    return new ArrayList<>(programs.values());
  }
}
