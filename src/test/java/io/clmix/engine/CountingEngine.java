package io.clmix.engine;

import io.clmix.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine that records the rows of every data set opened on it, for tests of sharding. It
 * does not pass {@link Engine#shardRows} on, so a sharded engine of these cuts the data as for
 * engines that need no alignment (a piece per device for data of one chunk).
 */
public final class CountingEngine implements Engine {
  private final Engine engine;
  private final List<Long> opened;

  /** Wraps {@code engine} (closed with this one); each open adds its rows to {@code opened}. */
  public CountingEngine(Engine engine, List<Long> opened) {
    this.engine = engine;
    this.opened = opened;
  }

  /** {@code engines}, each wrapped, recording into one shared list. */
  public static List<Engine> all(List<? extends Engine> engines, List<Long> opened) {
    List<Engine> out = new ArrayList<>();
    for (Engine e : engines) {
      out.add(new CountingEngine(e, opened));
    }
    return out;
  }

  @Override
  public EngineInfo info() {
    return engine.info();
  }

  @Override
  public DataSession open(Dataset data) {
    synchronized (opened) {
      opened.add(data.rows());
    }
    return engine.open(data);
  }

  @Override
  public void close() {
    engine.close();
  }
}
