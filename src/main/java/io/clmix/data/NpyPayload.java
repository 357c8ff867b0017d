package io.clmix.data;

import java.io.IOException;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;

/**
 * The values of a {@code .npy} file read as doubles through memory-mapped regions of the file,
 * so that no byte array of the file's size is ever made and files larger than 2 GiB (the limit
 * of one mapping) read the same way as small ones. Regions are mapped when first touched and
 * start at multiples of the element size, so no element straddles two regions.
 */
final class NpyPayload {
  /** Bytes per mapped region: 1 GiB, comfortably below the 2 GiB limit of one mapping. */
  static final long DEFAULT_REGION_BYTES = 1L << 30;

  private final FileChannel channel;
  private final long offset;
  private final NpyDtype dtype;
  private final long elements;
  private final long regionElements;
  private final Buffer[] views;
  private float[] floatBuffer;

  /**
   * @param channel an open channel on the file, kept open while this payload is read
   * @param offset where the values start
   * @param dtype their type
   * @param elements how many there are (the file has been checked to hold them)
   * @param regionBytes the largest mapping to make; rounded down to a multiple of 8
   */
  NpyPayload(FileChannel channel, long offset, NpyDtype dtype, long elements, long regionBytes) {
    this.channel = channel;
    this.offset = offset;
    this.dtype = dtype;
    this.elements = elements;
    this.regionElements = Math.max(1, (regionBytes & ~7L) / dtype.size());
    long regions = (elements + regionElements - 1) / regionElements;
    this.views = new Buffer[(int) Math.max(1, regions)];
  }

  /** Copies elements {@code [index, index + count)} into {@code dst[dstOff...]} as doubles. */
  void read(long index, int count, double[] dst, int dstOff) throws IOException {
    if (index < 0 || count < 0 || index + count > elements) {
      throw new IndexOutOfBoundsException("elements [" + index + ", " + (index + count) + ") of " + elements);
    }
    while (count > 0) {
      int region = (int) (index / regionElements);
      int within = (int) (index % regionElements);
      int take = (int) Math.min(count, regionElements - within);
      copy(view(region), within, take, dst, dstOff);
      index += take;
      dstOff += take;
      count -= take;
    }
  }

  private void copy(Buffer view, int from, int n, double[] dst, int off) {
    if (view instanceof DoubleBuffer db) {
      db.get(from, dst, off, n);
    } else if (view instanceof FloatBuffer fb) {
      // Widen through a reusable float array: bulk gets are much faster than one value at a time.
      for (int done = 0; done < n; ) {
        int step = Math.min(n - done, 1 << 16);
        if (floatBuffer == null || floatBuffer.length < step) {
          floatBuffer = new float[Math.max(step, 1024)];
        }
        fb.get(from + done, floatBuffer, 0, step);
        for (int i = 0; i < step; i++) {
          dst[off + done + i] = floatBuffer[i];
        }
        done += step;
      }
    } else if (view instanceof LongBuffer lb) {
      boolean unsigned = dtype.kind() == 'u';
      for (int i = 0; i < n; i++) {
        long v = lb.get(from + i);
        dst[off + i] = unsigned && v < 0 ? (double) (v >>> 1) * 2.0 + (v & 1) : v;
      }
    } else if (view instanceof IntBuffer ib) {
      boolean unsigned = dtype.kind() == 'u';
      for (int i = 0; i < n; i++) {
        int v = ib.get(from + i);
        dst[off + i] = unsigned ? Integer.toUnsignedLong(v) : v;
      }
    } else if (view instanceof ShortBuffer sb) {
      boolean unsigned = dtype.kind() == 'u';
      for (int i = 0; i < n; i++) {
        short v = sb.get(from + i);
        dst[off + i] = unsigned ? (v & 0xffff) : v;
      }
    } else {
      ByteBuffer bb = (ByteBuffer) view;
      boolean unsigned = dtype.kind() == 'u';
      for (int i = 0; i < n; i++) {
        byte v = bb.get(from + i);
        dst[off + i] = unsigned ? (v & 0xff) : v;
      }
    }
  }

  private Buffer view(int region) throws IOException {
    Buffer v = views[region];
    if (v == null) {
      long first = (long) region * regionElements;
      long count = Math.min(regionElements, elements - first);
      ByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, offset + first * dtype.size(), count * dtype.size())
          .order(dtype.order());
      v = switch (dtype.size()) {
        case 8 -> dtype.isFloat() ? map.asDoubleBuffer() : map.asLongBuffer();
        case 4 -> dtype.isFloat() ? map.asFloatBuffer() : map.asIntBuffer();
        case 2 -> map.asShortBuffer();
        default -> map;
      };
      views[region] = v;
    }
    return v;
  }
}
