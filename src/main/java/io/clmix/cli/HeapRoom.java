package io.clmix.cli;

import io.clmix.data.InputException;
import java.util.Locale;

/**
 * Refuses generated data that cannot fit the heap, before they are made: {@code generate} and
 * {@code bench} make their rows in memory (float32, with a label each) beside the k x d centres
 * (float64), and without the check a size beyond the heap filled it for minutes before the
 * out-of-memory error came.
 */
final class HeapRoom {
  private HeapRoom() {}

  /**
   * Throws when {@code n x d} generated rows and {@code k x d} centres would take more than 80%
   * of the heap, naming what takes the room (the centres can, with {@code --k} close to
   * {@code --n}, be most of it) and {@code fewerRows}, what the command's user does instead
   * ("generate fewer rows").
   */
  static void checkGenerated(long n, long d, long k, String fewerRows) {
    double rowBytes = 4.0 * n * d + 4.0 * n;
    double centreBytes = 8.0 * k * d;
    double bytes = rowBytes + centreBytes;
    long heap = Runtime.getRuntime().maxMemory();
    if (bytes <= 0.8 * heap) {
      return;
    }
    String what = centreBytes >= rowBytes
        ? String.format(Locale.ROOT, "--k %d x --d %d: %.3g GB of centres and rows", k, d, bytes / 1e9)
        : String.format(Locale.ROOT, "--n %d x --d %d: %.3g GB of data", n, d, bytes / 1e9);
    String fewer = centreBytes >= rowBytes ? "ask for fewer clusters" : fewerRows;
    throw new InputException(String.format(Locale.ROOT,
        "%s do not fit this JVM's %d MiB of heap; %s or give the JVM more (CLMIX_JAVA_OPTS=-Xmx<size>)", what,
        heap >> 20, fewer));
  }
}
