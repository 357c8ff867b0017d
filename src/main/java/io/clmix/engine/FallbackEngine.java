package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A device engine guarded against its own failures, so that a fit survives a device that
 * runs out of memory or returns an error in the middle of an iteration.
 *
 * <p>Every session it opens is a {@link FallbackSession}: it records the few inputs that
 * define the device session's state, and when a call throws an {@link EngineException} it
 *
 * <ol>
 *   <li>for an allocation failure, first retries on the same device with data streamed in
 *       chunks, when the engine is a {@link StreamingEngine} (not for rows too wide for the
 *       device's local memory, {@link EngineException.Kind#LOCAL_MEMORY}: every chunk has them);
 *   <li>otherwise (auto mode, {@link #withBackup}) opens a session on the backup engine (the
 *       Java engine) over the same data, replays the recorded calls, and repeats the failed
 *       call there: the fit carries on from its last completed pass and ends with the result it
 *       would have had on the backup from the start;
 *   <li>or (a device named by the user, {@link #strict}) stops with an {@link InputException}
 *       naming the device, the pass and the reason.
 * </ol>
 *
 * <p>The session's {@link DataSession#fallbackReason()} says what happened; listeners added
 * with {@link #onFallback} hear it as it happens (the command line warns once on stderr). A
 * device that failed for any reason but the data's size or width
 * ({@link EngineException.Kind#dependsOnData()}) is remembered: later sessions go straight to
 * the backup (Aparapi's discipline), since the same kernels would fail the same way.
 *
 * <p>Thread-safe when the wrapped engines are.
 */
public final class FallbackEngine implements Engine {
  private final Engine primary;
  private final Supplier<? extends Engine> backupFactory;
  private final String requestedAs;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private Engine backup; // created on first need; guarded by this
  private volatile String knownFailure;
  private volatile boolean closed;

  private FallbackEngine(Engine primary, Supplier<? extends Engine> backupFactory, String requestedAs) {
    this.primary = InputException.required(primary, "primary", "the device's engine to guard");
    this.backupFactory = backupFactory;
    this.requestedAs = requestedAs;
  }

  /**
   * Auto mode: runs on {@code primary} and continues on the engine {@code backup} creates (once,
   * on the first failure) when the primary fails. Closing this engine closes both.
   */
  public static FallbackEngine withBackup(Engine primary, Supplier<? extends Engine> backup) {
    InputException.required(backup, "backup",
        "a factory of the engine to continue on (JavaEngine::create); FallbackEngine.strict for none");
    return new FallbackEngine(primary, backup, null);
  }

  /**
   * A device named by the user: no fallback. A failure (after a streaming retry for memory)
   * becomes an {@link InputException} such as {@code "--device opencl:0:0: opencl:0:0 (GeForce)
   * failed in pass 3 (assign): ..."}.
   *
   * @param requestedAs how the user asked for the device, for messages ({@code "--device opencl:0:0"})
   */
  public static FallbackEngine strict(Engine primary, String requestedAs) {
    return new FallbackEngine(primary, null, requestedAs);
  }

  /** The guarded device's engine. */
  public Engine primary() {
    return primary;
  }

  /** What the guarded device is; a session's {@link DataSession#engine()} says where it actually ran. */
  @Override
  public EngineInfo info() {
    return primary.info();
  }

  /** Calls {@code listener} with the reason each time a session leaves the device (or streams). */
  public void onFallback(Consumer<String> listener) {
    listeners.add(listener);
  }

  /**
   * Opens {@code data} on the device, or where the device's failure sends it.
   *
   * @throws InputException in strict mode when the device cannot take the data
   */
  /** The primary engine's: the shards run there unless they fail. */
  @Override
  public long shardRows(Dataset data) {
    return primary.shardRows(data);
  }

  @Override
  public DataSession open(Dataset data) {
    if (closed) {
      throw new IllegalStateException("the engine on " + primary.info() + " is closed");
    }
    Engine.requiredData(data);
    String known = knownFailure;
    if (known != null && backupFactory != null) {
      DataSession s = backup().open(data);
      return new FallbackSession(this, data, s, FallbackSession.Stage.BACKUP, known);
    }
    return FallbackSession.open(this, data);
  }

  // ------------------------------------------------------------------ for FallbackSession

  /** Whether a backup engine may take over (auto mode). */
  boolean hasBackup() {
    return backupFactory != null;
  }

  /**
   * The backup engine, created on first use; never once this engine is closed, since nothing
   * would close it then (its worker threads would stay for the life of the JVM).
   *
   * @throws IllegalStateException when this engine is closed
   */
  synchronized Engine backup() {
    if (closed) {
      throw new IllegalStateException("the engine on " + primary.info() + " is closed");
    }
    if (backup == null) {
      backup = backupFactory.get();
    }
    return backup;
  }

  /** A streaming session on the device, or null when the device offers none. */
  DataSession openStreaming(Dataset data) {
    return primary instanceof StreamingEngine s ? s.openStreaming(data) : null;
  }

  /** A session left the device; failures that do not depend on the data are remembered for later sessions. */
  void fellBack(DeviceFailure failure, String reason, boolean toBackup) {
    if (toBackup && !failure.kind().dependsOnData()) {
      knownFailure = primary.info() + " failed earlier and is not used again: " + failure.describe();
    }
    for (Consumer<String> l : listeners) {
      l.accept(reason);
    }
  }

  /** The error for a strict engine whose device failed. */
  InputException strictFailure(DeviceFailure failure, EngineException cause) {
    // Data too wide for the device fail on it however they are sent: say where they do run.
    String advice = failure.kind() == EngineException.Kind.LOCAL_MEMORY ? "; the Java engine has no such limit" : "";
    return new InputException(requestedAs + ": " + failure.describe() + advice, cause);
  }

  /** Closes the device engine and the backup; the first failure is thrown, later ones suppressed. */
  @Override
  public void close() {
    Engine b;
    synchronized (this) {
      // Under the lock backup() takes, so a backup is either seen here or never created.
      if (closed) {
        return;
      }
      closed = true;
      b = backup;
    }
    RuntimeException failure = null;
    for (Engine e : new Engine[] {primary, b}) {
      if (e == null) {
        continue;
      }
      try {
        e.close();
      } catch (RuntimeException ex) {
        if (failure == null) {
          failure = ex;
        } else {
          failure.addSuppressed(ex);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "FallbackEngine[" + primary.info() + (backupFactory == null ? ", strict" : ", with backup") + "]";
  }
}
