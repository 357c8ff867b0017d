package io.clmix.benchmarks.jmh;

import io.clmix.bench.BenchSpec;
import io.clmix.bench.Workload;
import io.clmix.engine.DataSession;
import io.clmix.engine.EngineSelector;

/**
 * A workload uploaded to one engine for a whole JMH trial: the data are generated and uploaded
 * in the trial's setup, so the benchmarks time the passes alone.
 */
final class EngineSession implements AutoCloseable {
  final Workload workload;
  final EngineSelector.Selection selection;
  final DataSession session;

  private EngineSession(Workload workload, EngineSelector.Selection selection, DataSession session) {
    this.workload = workload;
    this.selection = selection;
    this.session = session;
  }

  /** Generates {@code spec}'s workload and opens it on {@code engine} (a {@code --device} spec). */
  static EngineSession open(String engine, BenchSpec spec) {
    Workload w = Workload.generate(spec);
    EngineSelector.Selection sel = EngineSelector.select(engine);
    try {
      return new EngineSession(w, sel, sel.engine().open(w.data()));
    } catch (RuntimeException e) {
      sel.close();
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } finally {
      selection.close();
    }
  }
}
