package io.clmix.engine.java;

import io.clmix.data.Dataset;
import io.clmix.data.InputException;
import io.clmix.engine.DataSession;
import io.clmix.engine.Engine;
import io.clmix.engine.EngineInfo;
import io.clmix.engine.pruning.Pruning;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The pure-Java engine: multithreaded passes over row blocks with double-precision
 * accumulators. It runs wherever a JVM does, so it is the fallback for every other engine, and
 * it is the reference the OpenCL engine is tested against.
 *
 * <p>Results do not depend on the thread count: work is cut into {@link Blocks slabs} by the
 * data's shape alone and slab results are added in slab order. Nor do they depend on pruning:
 * the Lloyd pass skips the full search for points whose label Hamerly's bounds prove
 * ({@link LloydPass}), and returns the bits of the unpruned pass.
 */
public final class JavaEngine implements Engine {
  private final int threads;
  private final boolean pruning;
  private final boolean plainLoopsForSmallPasses;
  private final ExecutorService pool;
  private final EngineInfo info;
  private volatile boolean closed;

  /** An engine with one thread per available processor. */
  public static JavaEngine create() {
    return new JavaEngine(Runtime.getRuntime().availableProcessors());
  }

  /**
   * An engine with {@code threads} worker threads (at least 1), pruning by default ({@link Pruning}).
   *
   * @throws InputException when {@code threads} is below 1
   */
  public JavaEngine(int threads) {
    this(threads, Pruning.enabledByDefault());
  }

  /**
   * An engine with {@code threads} worker threads (at least 1) whose Lloyd passes prune with
   * Hamerly's bounds when {@code pruning} is true (same results, fewer distance computations).
   */
  public JavaEngine(int threads, boolean pruning) {
    this(threads, pruning, true);
  }

  /**
   * As {@link #JavaEngine(int, boolean)}; {@code plainLoopsForSmallPasses} false makes every
   * pass take the vector kernels, small ones too ({@link GaussianPass#SMALL_PASS},
   * {@link DistanceKernels#SMALL_PASS}): for tests that must exercise those kernels on small data.
   */
  public JavaEngine(int threads, boolean pruning, boolean plainLoopsForSmallPasses) {
    if (threads < 1) {
      // Bad input, as --device java:0 is: a thread count often comes from a user's settings.
      throw InputException.parameter("threads", threads, "an integer >= 1");
    }
    this.threads = threads;
    this.pruning = pruning;
    this.plainLoopsForSmallPasses = plainLoopsForSmallPasses;
    AtomicInteger counter = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "clmix-java-" + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.info = new EngineInfo("java", "Java engine, " + threads + (threads == 1 ? " thread" : " threads")
        + (pruning ? "" : ", no pruning"), "java");
  }

  /** Number of worker threads. */
  public int threads() {
    return threads;
  }

  /** Whether Lloyd passes prune with Hamerly's bounds. */
  public boolean pruning() {
    return pruning;
  }

  /** Whether small passes run plain loops rather than the vector kernels (the default). */
  public boolean plainLoopsForSmallPasses() {
    return plainLoopsForSmallPasses;
  }

  /**
   * Whether K-means work of {@code multiplyAdds} (a pass's {@code n k d}, a k-means++ step's
   * {@code n d m}, n the whole data set's rows) runs the vector kernels: where they are
   * available, and either every pass takes them ({@link #plainLoopsForSmallPasses} false) or
   * the work reaches {@link DistanceKernels#SMALL_PASS}.
   */
  boolean vectorLoops(long multiplyAdds) {
    return plainLoopsForSmallPasses ? DistanceKernels.vectorFor(multiplyAdds) : DistanceKernels.VECTOR;
  }

  @Override
  public EngineInfo info() {
    return info;
  }

  @Override
  public DataSession open(Dataset data) {
    if (closed) {
      throw new IllegalStateException("the Java engine is closed");
    }
    Engine.requiredData(data);
    return new JavaSession(this, data);
  }

  /**
   * Runs {@code task(s)} for s in {@code [0, count)} on the pool and the calling thread and
   * returns the results in index order, so callers can combine them in a fixed order. The first
   * failure is rethrown once every thread has stopped.
   */
  <T> List<T> parallel(int count, IntFunction<T> task) {
    if (closed) {
      // A fit on another thread while this engine was closed: its next pass stops here.
      throw new IllegalStateException("the Java engine is closed");
    }
    if (count == 1 || threads == 1) {
      List<T> out = new ArrayList<>(count);
      for (int s = 0; s < count; s++) {
        out.add(task.apply(s));
      }
      return out;
    }
    // One runner per thread, each taking the next index until none is left, the caller running
    // one of them: a pass of 64 slabs used to be 64 tasks, each a queue hand-off and a wake-up
    // of the waiting caller, which on this VM's virtual CPUs cost 4% of a mixture pass in futex
    // calls and interrupts (docs/benchmarks.md, "Fewer wake-ups"). Results go by index, so the
    // order in which runners take them changes nothing.
    AtomicInteger next = new AtomicInteger();
    Object[] results = new Object[count];
    Callable<Void> runner = () -> {
      for (int s = next.getAndIncrement(); s < count; s = next.getAndIncrement()) {
        try {
          results[s] = task.apply(s);
        } catch (Throwable t) {
          next.set(count); // the others stop after their current index
          throw t;
        }
      }
      return null;
    };
    int helpers = Math.min(threads, count) - 1;
    List<Future<Void>> futures = new ArrayList<>(helpers);
    try {
      for (int i = 0; i < helpers; i++) {
        futures.add(pool.submit(runner));
      }
    } catch (java.util.concurrent.RejectedExecutionException e) {
      next.set(count);
      throw new IllegalStateException("the Java engine is closed", e);
    }
    Throwable failure = null;
    try {
      runner.call();
    } catch (Throwable t) {
      failure = t;
    }
    for (Future<Void> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        next.set(count);
        futures.forEach(g -> g.cancel(true));
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during a pass", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
    if (failure != null) {
      throw new IllegalStateException(failure);
    }
    List<T> out = new ArrayList<>(count);
    for (Object r : results) {
      @SuppressWarnings("unchecked")
      T t = (T) r;
      out.add(t);
    }
    return out;
  }

  /**
   * Closes the engine: a fit running on it finishes its current pass and then fails with an
   * {@code IllegalStateException}. The pool is shut down gently: discarding queued tasks
   * ({@code shutdownNow}) would leave a pass in flight waiting for them for ever.
   */
  @Override
  public void close() {
    closed = true;
    pool.shutdown();
  }
}
