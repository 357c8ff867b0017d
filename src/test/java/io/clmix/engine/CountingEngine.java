package io.clmix.engine;

import io.clmix.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * An engine that records the rows of every data set opened on it, for tests of sharding. Made
 * with the constructor it does not pass {@link Engine#shardRows} on, so a sharded engine of
 * these cuts the data as for engines that need no alignment (a piece per device for data of one
 * chunk); made with {@link #aligned} it does, and the cut is the wrapped engines'.
 */
public final class CountingEngine implements Engine {
  private final Engine engine;
  private final List<Long> opened;
  private final boolean forwardShardRows;

  /** Wraps {@code engine} (closed with this one); each open adds its rows to {@code opened}. */
  public CountingEngine(Engine engine, List<Long> opened) {
    this(engine, opened, false);
  }

  private CountingEngine(Engine engine, List<Long> opened, boolean forwardShardRows) {
    this.engine = engine;
    this.opened = opened;
    this.forwardShardRows = forwardShardRows;
  }

  /** {@code engines}, each wrapped and passing its {@link Engine#shardRows} on, recording into one list. */
  public static List<Engine> aligned(List<? extends Engine> engines, List<Long> opened) {
    List<Engine> out = new ArrayList<>();
    for (Engine e : engines) {
      out.add(new CountingEngine(e, opened, true));
    }
    return out;
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
  public long shardRows(Dataset data) {
    return forwardShardRows ? engine.shardRows(data) : Engine.super.shardRows(data);
  }

  @Override
  public void close() {
    engine.close();
  }
}
