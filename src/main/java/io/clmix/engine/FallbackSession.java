package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import java.util.function.Function;

/**
 * A session of a {@link FallbackEngine}: passes each call to the session in use, and when the
 * device throws an {@link EngineException}, moves to a streaming session on the same device
 * (failures to allocate memory only: rows too wide for the device's local memory are as wide in
 * every chunk) or to the backup engine, brings the new session to the old one's state by
 * replaying the recorded calls ({@link ReplayLog}), and repeats the failed call there. The
 * caller sees only the result, so the fit continues from its last completed pass.
 *
 * <p>Per-point output already delivered to a {@link PointSink} before a failure is not
 * delivered twice: the repeated pass skips the chunks the sink has seen.
 *
 * <p>Not thread-safe, as every session.
 */
final class FallbackSession implements DataSession {

  /** Where the session runs now. */
  enum Stage {
    /** On the device, data resident. */
    DEVICE,
    /** On the device, data streamed after a memory failure. */
    STREAMING,
    /** On the backup engine; failures from here on are thrown. */
    BACKUP
  }

  private final FallbackEngine owner;
  private final Dataset data;
  private final ReplayLog log = new ReplayLog();
  private DataSession current;
  private Stage stage;
  private String reason;
  private long passes;
  private boolean closed;

  FallbackSession(FallbackEngine owner, Dataset data, DataSession current, Stage stage, String reason) {
    this.owner = owner;
    this.data = data;
    this.current = current;
    this.stage = stage;
    this.reason = reason;
  }

  /** Opens {@code data} on the owner's device, recovering at once if the upload fails. */
  static FallbackSession open(FallbackEngine owner, Dataset data) {
    FallbackSession s = new FallbackSession(owner, data, null, Stage.DEVICE, null);
    try {
      s.current = owner.primary().open(data);
    } catch (EngineException e) {
      s.recover(e, "open");
    }
    return s;
  }

  @Override
  public Dataset data() {
    return data;
  }

  /** The engine the session runs on now: after a fallback, the backup. */
  @Override
  public EngineInfo engine() {
    return current.engine();
  }

  @Override
  public String fallbackReason() {
    return reason;
  }

  /** Where the session runs now (for tests). */
  Stage stage() {
    return stage;
  }

  // ------------------------------------------------------------------ K-means

  @Override
  public SufficientStats assign(Centroids centres) {
    return assign(centres, null);
  }

  /**
   * Passes the link on to the session in use. A pass repeated after a failure continues the
   * same carry; on the backup engine, which cannot continue it, the shard's own statistics.
   */
  @Override
  public SufficientStats assign(Centroids centres, ChainLink link) {
    SufficientStats st = run("assign", s -> s.assign(centres, link));
    log.assigned(centres);
    return st;
  }

  @Override
  public Labels labels() {
    return run("labels", DataSession::labels);
  }

  @Override
  public long[] farthest(int m) {
    return run("farthest", s -> s.farthest(m));
  }

  // ------------------------------------------------------------------ seeding

  @Override
  public double seedStart(float[] centre) {
    return seedStart(centre, null);
  }

  /** Passes the link on to the session in use, as {@link #assign(Centroids, ChainLink)} does. */
  @Override
  public double seedStart(float[] centre, ChainLink link) {
    double potential = run("seedStart", s -> s.seedStart(centre, link));
    log.seedStarted(centre);
    return potential;
  }

  @Override
  public long[] seedSample(double[] targets) {
    return run("seedSample", s -> s.seedSample(targets));
  }

  @Override
  public SeedDraws seedDraw(double[] targets, double start) {
    return run("seedSample", s -> s.seedDraw(targets, start));
  }

  @Override
  public SeedDraws seedDrawOn(double[] targets, double[] runs) {
    return run("seedSample", s -> s.seedDrawOn(targets, runs));
  }

  @Override
  public double[] seedTrial(float[] candidates, int m) {
    return seedTrial(candidates, m, null);
  }

  /** Passes the link on to the session in use, as {@link #assign(Centroids, ChainLink)} does. */
  @Override
  public double[] seedTrial(float[] candidates, int m, ChainLink link) {
    return run("seedTrial", s -> s.seedTrial(candidates, m, link));
  }

  @Override
  public void seedCommit(float[] centre) {
    run("seedCommit", s -> {
      s.seedCommit(centre);
      return null;
    });
    log.seedCommitted(centre);
  }

  /** Passes the link on to the session in use, as {@link #assign(Centroids, ChainLink)} does. */
  @Override
  public double seedCommit(float[] centre, ChainLink link) {
    double potential = run("seedCommit", s -> s.seedCommit(centre, link));
    log.seedCommitted(centre);
    return potential;
  }

  // ------------------------------------------------------------------ mixture and per-point

  @Override
  public SufficientStats expect(MixtureParams params, Responsibilities mode) {
    return expect(params, mode, null);
  }

  /** Passes the link on to the session in use, as {@link #assign(Centroids, ChainLink)} does. */
  @Override
  public SufficientStats expect(MixtureParams params, Responsibilities mode, ChainLink link) {
    return run("expect", s -> s.expect(params, mode, link));
  }

  @Override
  public void pointwise(Centroids centres, PointSink sink) {
    ResumingSink resuming = new ResumingSink(sink);
    run("pointwise", s -> {
      s.pointwise(centres, resuming);
      return null;
    });
  }

  @Override
  public void pointwise(MixtureParams params, PointSink sink) {
    ResumingSink resuming = new ResumingSink(sink);
    run("pointwise", s -> {
      s.pointwise(params, resuming);
      return null;
    });
  }

  // ------------------------------------------------------------------ recovery

  /** One pass: on a device failure, recover and repeat it where the session runs next. */
  private <T> T run(String call, Function<DataSession, T> op) {
    if (closed) {
      throw new IllegalStateException("the session is closed");
    }
    if (current == null) {
      // Only after a strict engine's failure, which the caller has already been told about.
      throw new IllegalStateException("the session's device failed; open a new session");
    }
    passes++;
    while (true) {
      try {
        return op.apply(current);
      } catch (EngineException e) {
        if (stage == Stage.BACKUP) {
          throw e;
        }
        recover(e, call);
      }
    }
  }

  /**
   * Leaves the failed session: to a streaming session on the device for a memory failure when
   * the device offers one, else to the backup engine, else (strict) throws the user's error.
   */
  private void recover(EngineException e, String call) {
    EngineInfo where = current != null ? current.engine() : owner.info();
    DeviceFailure failure = DeviceFailure.of(where, call.equals("open") ? 0 : passes, call, e);
    closeAfterFailure(current, e);
    current = null;
    String streamingProblem = null;
    // Streaming helps data too large for the device's memory; rows too wide for its local memory
    // (LOCAL_MEMORY) are as wide in every chunk, so those go straight to the backup or the error.
    if (e.kind() == EngineException.Kind.ALLOCATION && stage == Stage.DEVICE) {
      try {
        DataSession streamed = adopt(owner.openStreaming(data));
        if (streamed != null) {
          current = streamed;
          stage = Stage.STREAMING;
          note(failure, failure.describe() + "; continued with data streamed in chunks on the same device", false);
          return;
        }
      } catch (EngineException again) {
        e.addSuppressed(again);
        streamingProblem = DeviceFailure.of(where, passes, call, again).message();
      }
    }
    if (!owner.hasBackup()) {
      throw owner.strictFailure(failure, e);
    }
    current = adopt(owner.backup().open(data));
    stage = Stage.BACKUP;
    note(failure, failure.describe()
        + (streamingProblem == null ? "" : "; streaming the data failed too: " + streamingProblem)
        + "; continued on " + current.engine() + " from the last completed pass", true);
  }

  /** Replays the recorded state onto {@code s} (closing it if that fails); null stays null. */
  private DataSession adopt(DataSession s) {
    if (s == null) {
      return null;
    }
    try {
      log.replay(s);
      return s;
    } catch (RuntimeException | Error t) {
      closeAfterFailure(s, t);
      throw t;
    }
  }

  private void note(DeviceFailure failure, String what, boolean toBackup) {
    reason = reason == null ? what : reason + "; then " + what;
    owner.fellBack(failure, what, toBackup);
  }

  /** Closes {@code s} after {@code original} went wrong, keeping a close failure as suppressed. */
  private static void closeAfterFailure(DataSession s, Throwable original) {
    if (s == null) {
      return;
    }
    try {
      s.close();
    } catch (RuntimeException | Error t) {
      if (t != original) {
        original.addSuppressed(t);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Passes chunks on, skipping those delivered before a failure: engines deliver chunks in
   * order from 0, so after a repeat the first {@code delivered} chunks are ones the sink has.
   */
  private static final class ResumingSink implements PointSink {
    private final PointSink target;
    private int delivered;

    ResumingSink(PointSink target) {
      this.target = target;
    }

    @Override
    public boolean wantsComponents() {
      return target.wantsComponents();
    }

    @Override
    public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
      if (chunk < delivered) {
        return;
      }
      target.accept(chunk, firstRow, rows, labels, values, components);
      delivered = chunk + 1;
    }
  }
}
