package io.clmix.engine;

import io.clmix.data.Dataset;
import io.clmix.data.Labels;
import io.clmix.engine.EngineException.Kind;

/**
 * An engine that behaves like the one it wraps except where its {@link FaultPlan} says a call
 * fails: the device faults of a GPU (build failure, out of memory, an error mid-pass), played
 * on any engine, so the fallback machinery can be tested without a failing GPU.
 *
 * <p>With {@link FaultPlan#offerStreaming()} the engine is a {@link StreamingEngine} whose
 * streaming sessions are ordinary sessions of the wrapped engine, counted by the plan.
 */
public class FaultInjectingEngine implements Engine {
  final Engine delegate;
  final FaultPlan plan;
  private final EngineInfo info;

  private FaultInjectingEngine(Engine delegate, FaultPlan plan) {
    this.delegate = delegate;
    this.plan = plan;
    EngineInfo d = delegate.info();
    this.info = new EngineInfo("faulty:" + d.id(), "fault-injecting " + d.name(), d.kind());
  }

  /**
   * Wraps {@code delegate} (which this engine then owns and closes).
   *
   * @throws EngineException when the plan says creation fails; {@code delegate} is closed then
   */
  public static FaultInjectingEngine wrap(Engine delegate, FaultPlan plan) {
    try {
      plan.onCreate();
    } catch (EngineException e) {
      delegate.close();
      throw e;
    }
    return plan.streaming() ? new Streaming(delegate, plan) : new FaultInjectingEngine(delegate, plan);
  }

  @Override
  public EngineInfo info() {
    return info;
  }

  @Override
  public DataSession open(Dataset data) {
    plan.onOpen();
    return new Session(delegate.open(data));
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** The variant that offers streaming sessions. */
  static final class Streaming extends FaultInjectingEngine implements StreamingEngine {
    Streaming(Engine delegate, FaultPlan plan) {
      super(delegate, plan);
    }

    @Override
    public DataSession openStreaming(Dataset data) {
      plan.onOpenStreaming();
      return new Session(delegate.open(data));
    }
  }

  /** A session that consults the plan before every pass. */
  final class Session implements DataSession {
    private final DataSession s;

    Session(DataSession s) {
      this.s = s;
    }

    @Override
    public Dataset data() {
      return s.data();
    }

    @Override
    public EngineInfo engine() {
      return info;
    }

    @Override
    public SufficientStats assign(Centroids centres) {
      plan.onPass("assign");
      return s.assign(centres);
    }

    @Override
    public Labels labels() {
      plan.onPass("labels");
      return s.labels();
    }

    @Override
    public long[] farthest(int m) {
      plan.onPass("farthest");
      return s.farthest(m);
    }

    @Override
    public double seedStart(float[] centre) {
      plan.onPass("seedStart");
      return s.seedStart(centre);
    }

    @Override
    public long[] seedSample(double[] targets) {
      plan.onPass("seedSample");
      return s.seedSample(targets);
    }

    @Override
    public double[] seedTrial(float[] candidates, int m) {
      plan.onPass("seedTrial");
      return s.seedTrial(candidates, m);
    }

    @Override
    public void seedCommit(float[] centre) {
      plan.onPass("seedCommit");
      s.seedCommit(centre);
    }

    @Override
    public SufficientStats expect(MixtureParams params, Responsibilities mode) {
      plan.onPass("expect");
      return s.expect(params, mode);
    }

    @Override
    public void pointwise(Centroids centres, PointSink sink) {
      plan.onPass("pointwise");
      s.pointwise(centres, failing(sink));
    }

    @Override
    public void pointwise(MixtureParams params, PointSink sink) {
      plan.onPass("pointwise");
      s.pointwise(params, failing(sink));
    }

    /** The sink, failing the pass after as many chunks as the plan says. */
    private PointSink failing(PointSink sink) {
      return new PointSink() {
        private int delivered;

        @Override
        public boolean wantsComponents() {
          return sink.wantsComponents();
        }

        @Override
        public void accept(int chunk, long firstRow, int rows, int[] labels, float[] values, float[] components) {
          sink.accept(chunk, firstRow, rows, labels, values, components);
          delivered++;
          if (plan.failAfter(delivered)) {
            throw new EngineException(Kind.EXECUTION, "injected EXECUTION after " + delivered + " chunks of pointwise");
          }
        }
      };
    }

    @Override
    public void close() {
      s.close();
      plan.onClose();
    }
  }
}
