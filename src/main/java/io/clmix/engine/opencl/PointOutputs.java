package io.clmix.engine.opencl;

import io.clmix.data.Dataset;

/**
 * The per-row outputs of a per-point pass ({@link PointwisePass}, {@link GmmPass#pointwise}) and
 * their read-back: device buffers for one segment of rows (label, value and, when components are
 * wanted, k values per row), host arrays for one data set chunk, and the loop that runs the
 * pass's kernel over each chunk segment by segment and reads every piece back before the chunk
 * is handed on. The kernel takes its rows as arguments 0 to 2 (data buffer, first row, rows);
 * the pass sets the others, these buffers among them.
 */
final class PointOutputs {
  /** What a pass does with a chunk once all its rows are in the host arrays. */
  @FunctionalInterface
  interface ChunkDone {
    void accept(int chunk, long chunkStart, int rows);
  }

  /** Host copies of the current chunk's outputs; {@code comps} (k per row) is null when unwanted. */
  final int[] labels;
  final float[] values;
  final float[] comps;
  /** The kernel's outputs for one segment; {@code outComp} is a placeholder when components are unwanted. */
  final ClBuffer outLabel;
  final ClBuffer outValue;
  final ClBuffer outComp;
  private final int k;
  private final int segment;

  /**
   * Allocates the outputs for chunks of at most {@code maxChunk} rows read back in segments of
   * at most {@code segment} rows; the buffers are named {@code pass} followed by "labels",
   * {@code value} and {@code component}.
   */
  PointOutputs(ClContext cl, String pass, String value, String component, int maxChunk, int segment, int k,
      boolean all) {
    this.k = k;
    this.segment = segment;
    labels = new int[maxChunk];
    values = new float[maxChunk];
    comps = all ? new float[maxChunk * k] : null;
    ClBuffer label = cl.buffer(pass + " labels", 4L * segment);
    ClBuffer val = null;
    try {
      val = cl.buffer(pass + " " + value, 4L * segment);
      outComp = cl.buffer(pass + " " + component, all ? 4L * segment * k : 4);
    } catch (RuntimeException | Error e) {
      // An allocation that fails part-way gives back what it already had.
      ClContext.closeAfterFailure(label, e);
      ClContext.closeAfterFailure(val, e);
      throw e;
    }
    outLabel = label;
    outValue = val;
  }

  /**
   * Runs {@code kernel} over every chunk of {@code blocks}' data set, in chunk order, reading
   * each launch's outputs into the host arrays, and calls {@code done} once a chunk is complete.
   */
  void forEachChunk(RowBlocks blocks, ClKernel kernel, int rowsPerGroup, int workGroupSize, ChunkDone done) {
    Dataset data = blocks.data();
    for (int chunk = 0; chunk < data.chunkCount(); chunk++) {
      long chunkStart = data.chunkStart(chunk);
      int rows = data.rowsIn(chunk);
      for (int read = 0; read < rows; ) {
        int want = Math.min(segment, rows - read);
        int[] got = new int[1];
        int offset = read;
        blocks.forDataRange(chunkStart + read, want, (buf, at, m, before) -> {
          kernel.arg(0, buf).arg(1, at).arg(2, m);
          kernel.launch((m + (long) rowsPerGroup - 1) / rowsPerGroup * workGroupSize, workGroupSize);
          outLabel.read(0, labels, offset + before, m);
          outValue.read(0, values, offset + before, m);
          if (comps != null) {
            outComp.read(0, comps, (offset + before) * k, m * k);
          }
          got[0] += m;
        });
        read += got[0];
      }
      done.accept(chunk, chunkStart, rows);
    }
  }

  /**
   * Releases the buffers now rather than with the session. After a pass failure ({@code failure}
   * not null) all are released and a release failure is only added to it, so it never hides the
   * pass failure.
   */
  void release(Throwable failure) {
    for (ClBuffer b : new ClBuffer[] {outComp, outValue, outLabel}) {
      if (failure != null) {
        ClContext.closeAfterFailure(b, failure);
      } else {
        b.close();
      }
    }
  }
}
