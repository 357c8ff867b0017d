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
 */
public final class ProgramCache {
  private record Key(String deviceId, String source, String options) {}

  private final ClContext context;
  private final ConcurrentHashMap<Key, ClProgram> programs = new ConcurrentHashMap<>();

  /** A cache of programs built in (and owned by) {@code context}. */
  public ProgramCache(ClContext context) {
    this.context = context;
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
    Key key = new Key(context.device().id(), source.text(), defines.options());
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
