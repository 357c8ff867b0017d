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
    int[] labels = new int[maxChunk];
    float[] values = new float[maxChunk];
    float[] comps = all ? new float[maxChunk * k] : null;
    ClBuffer outLabel = cl.buffer("pointwise labels", 4L * segment);
    ClBuffer outDist = cl.buffer("pointwise distances", 4L * segment);
    ClBuffer outComp = cl.buffer("pointwise components", all ? 4L * segment * k : 4);
    Throwable failure = null;
    try {
      int rpg = config.rowsPerGroup();
      kernel.arg(3, rpg).arg(4, centres.rowMajor()).arg(5, centres.transposed()).arg(6, centres.norms())
          .arg(7, k).arg(8, centres.kPad()).arg(9, plan.tileK())
          .arg(10, outLabel).arg(11, outDist).arg(12, outComp).arg(13, all ? 1 : 0)
          .local(14, 4L * plan.tileK() * d).local(15, 4L * plan.tileK());
      int wg = config.workGroupSize();
      for (int chunk = 0; chunk < data.chunkCount(); chunk++) {
        long chunkStart = data.chunkStart(chunk);
        int rows = data.rowsIn(chunk);
        for (int done = 0; done < rows; ) {
          int want = Math.min(segment, rows - done);
          int[] got = new int[1];
          int offset = done;
          blocks.forDataRange(chunkStart + done, want, (buf, at, m, before) -> {
            kernel.arg(0, buf).arg(1, at).arg(2, m);
            kernel.launch((m + (long) rpg - 1) / rpg * wg, wg);
            outLabel.read(0, labels, offset + before, m);
            outDist.read(0, values, offset + before, m);
            if (all) {
              outComp.read(0, comps, (offset + before) * k, m * k);
            }
            got[0] += m;
          });
          done += got[0];
        }
        sink.accept(chunk, chunkStart, rows, labels, values, comps);
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      // Released now rather than with the session; a release failure never hides a pass failure.
      for (ClBuffer b : new ClBuffer[] {outComp, outDist, outLabel}) {
        if (failure != null) {
          ClContext.closeAfterFailure(b, failure);
        } else {
          b.close();
        }
      }
    }
  }
}
