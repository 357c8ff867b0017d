package io.clmix.engine;

import io.clmix.engine.EngineException.Kind;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which calls of a {@link FaultInjectingEngine} fail and how: simulated device faults (a kernel
 * that will not build, memory that runs out at upload or mid-fit, an error in the n-th pass).
 * Passes are counted over all sessions of the engine, one per session call that touches the
 * data, so a test can run a fault-free fit first to learn how many passes it makes.
 *
 * <p>Built fluently; thread-safe counters.
 */
public final class FaultPlan {
  private Kind createFault;
  private Kind openFault;
  private long failingPass;
  private Kind passFault;
  private int failAfterChunks = -1;
  private boolean streaming;
  private Kind streamingFault;
  private boolean closeFails;
  private final AtomicLong passes = new AtomicLong();
  private final AtomicInteger opens = new AtomicInteger();
  private final AtomicInteger streamingOpens = new AtomicInteger();

  /** A plan with no faults. */
  public static FaultPlan none() {
    return new FaultPlan();
  }

  /** Creating the engine fails (a kernel build failure is {@link Kind#BUILD}). */
  public FaultPlan failCreate(Kind kind) {
    createFault = kind;
    return this;
  }

  /** Every resident {@code open} fails (data too large for the device is {@link Kind#ALLOCATION}). */
  public FaultPlan failOpen(Kind kind) {
    openFault = kind;
    return this;
  }

  /** Pass {@code n} (1-based, over all sessions of the engine) fails. */
  public FaultPlan failPass(long n, Kind kind) {
    failingPass = n;
    passFault = kind;
    return this;
  }

  /** A per-point pass fails after delivering {@code chunks} chunks (once). */
  public FaultPlan failPointwiseAfterChunks(int chunks) {
    failAfterChunks = chunks;
    return this;
  }

  /** The engine offers streaming sessions ({@link StreamingEngine}), which run without faults. */
  public FaultPlan offerStreaming() {
    streaming = true;
    return this;
  }

  /** The engine offers streaming sessions, but opening one fails too. */
  public FaultPlan failStreaming(Kind kind) {
    streaming = true;
    streamingFault = kind;
    return this;
  }

  /** Closing a session fails (after releasing it), as a failing clRelease* would. */
  public FaultPlan failClose() {
    closeFails = true;
    return this;
  }

  /** Passes made so far, over all sessions. */
  public long passes() {
    return passes.get();
  }

  /** Resident sessions opened so far (including failed attempts). */
  public int opens() {
    return opens.get();
  }

  /** Streaming sessions opened so far (including failed attempts). */
  public int streamingOpens() {
    return streamingOpens.get();
  }

  boolean streaming() {
    return streaming;
  }

  // ------------------------------------------------------------------ hooks for the engine

  void onCreate() {
    if (createFault != null) {
      throw new EngineException(createFault, "injected " + createFault + " while creating the engine\nbuild log:\n(injected)");
    }
  }

  void onOpen() {
    opens.incrementAndGet();
    if (openFault != null) {
      throw new EngineException(openFault, "injected " + openFault + " while uploading the data");
    }
  }

  void onOpenStreaming() {
    streamingOpens.incrementAndGet();
    if (streamingFault != null) {
      throw new EngineException(streamingFault, "injected " + streamingFault + " while opening a streaming session");
    }
  }

  void onPass(String call) {
    long n = passes.incrementAndGet();
    if (passFault != null && n == failingPass) {
      throw new EngineException(passFault, "injected " + passFault + " in " + call);
    }
  }

  /** Whether the per-point pass should fail now, having delivered {@code delivered} chunks; fires once. */
  synchronized boolean failAfter(int delivered) {
    if (failAfterChunks >= 0 && delivered == failAfterChunks) {
      failAfterChunks = -1;
      return true;
    }
    return false;
  }

  void onClose() {
    if (closeFails) {
      throw new EngineException(Kind.EXECUTION, "injected failure while releasing a session");
    }
  }
}
