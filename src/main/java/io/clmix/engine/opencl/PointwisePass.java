package io.clmix.engine.opencl;

import io.clmix.data.Dataset;
import io.clmix.engine.Centroids;
import io.clmix.engine.PointSink;

/**
 * The predict pass: {@code km_pointwise} scores rows with the same code as the Lloyd pass and
 * writes per-row labels, nearest distances and, on request, the distances to all centres into
 * output buffers, which are read back and handed to the sink one data set chunk at a time, in
 * chunk order. Rows go through the outputs in segments, so the component buffer stays bounded
 * however large k is.
 */
final class PointwisePass {
  /** Largest component buffer, in bytes. */
  static final long COMPONENTS_BUDGET = 128L << 20;
  /** Largest number of rows per launch without components. */
  static final int MAX_SEGMENT_ROWS = 1 << 22;

  private final ClContext cl;
  private final RowBlocks blocks;
  private final CentreBuffers centres;
  private final KernelConfig config;
  private final ClKernel resident;
  private final ClKernel tiled;
  private final int d;

  PointwisePass(ClContext cl, RowBlocks blocks, CentreBuffers centres, KernelConfig config, ClKernel resident,
      ClKernel tiled) {
    this.cl = cl;
    this.blocks = blocks;
    this.centres = centres;
    this.config = config;
    this.resident = resident;
    this.tiled = tiled;
    this.d = blocks.data().cols();
  }

  void run(Centroids c, PointSink sink) {
    Dataset data = blocks.data();
    int k = c.k();
    boolean all = sink.wantsComponents();
    int maxChunk = 0;
    for (int i = 0; i < data.chunkCount(); i++) {
      maxChunk = Math.max(maxChunk, data.rowsIn(i));
    }
    if (all && (long) maxChunk * k > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("distances to " + k + " centres for chunks of " + maxChunk
          + " rows do not fit one Java array; use smaller chunks");
    }
    int tileRows = config.tileRows();
    long limit = all ? Math.min(COMPONENTS_BUDGET, cl.device().maxAllocBytes()) / (4L * k) : MAX_SEGMENT_ROWS;
    int segment = (int) Math.max(tileRows, Math.min(Math.min(limit, MAX_SEGMENT_ROWS), maxChunk));

    centres.upload(c.values(), k);
    LocalPlan plan = LocalPlan.forPointwise(cl.device(), config, k, d);
    ClKernel kernel = plan.tileK() >= centres.kPad() ? resident : tiled;
    PointOutputs out = new PointOutputs(cl, "pointwise", "distances", "components", maxChunk, segment, k, all);
    Throwable failure = null;
    try {
      int rpg = config.rowsPerGroup();
      kernel.arg(3, rpg).arg(4, centres.rowMajor()).arg(5, centres.transposed()).arg(6, centres.norms())
          .arg(7, k).arg(8, centres.kPad()).arg(9, plan.tileK())
          .arg(10, out.outLabel).arg(11, out.outValue).arg(12, out.outComp).arg(13, all ? 1 : 0)
          .local(14, 4L * plan.tileK() * d).local(15, 4L * plan.tileK());
      out.forEachChunk(blocks, kernel, rpg, config.workGroupSize(),
          (chunk, chunkStart, rows) -> sink.accept(chunk, chunkStart, rows, out.labels, out.values, out.comps));
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      out.release(failure);
    }
  }
}
