package io.clmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clmix.data.Blobs;
import io.clmix.data.InputException;
import io.clmix.engine.java.JavaEngine;
import io.clmix.fit.GaussianMixture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.api.Test;

/** The progress bar, the -k parser and the cluster matching of the people-facing commands. */
class ProgressTest {

  /** Collects what the bar would print. */
  static final class Capture implements ProgressBarConsumer {
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile boolean closed;

    @Override
    public int getMaxRenderedLength() {
      return 200;
    }

    @Override
    public void accept(String s) {
      lines.add(s);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void barShowsRestartIterationObjectiveAndChange() throws Exception {
    Capture c = new Capture();
    try (JavaEngine engine = new JavaEngine(2);
        Progress p = Progress.start("fit", 2, c, 0)) {
      // The bar appears on its timer's thread: wait for it (a fixed sleep could end first on a
      // loaded machine), up to a bound that only a hung timer reaches.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!p.shown() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(p.shown(), "the bar appeared");
      GaussianMixture.k(3).nInit(2).seed(1).listener(p.fitListener("k = 3", "log-lik", true))
          .fit(Blobs.of(3000, 2, 3, 1).generate(), engine);
      assertTrue(p.shown());
      p.stepTo(2); // the last render happens on close
    }
    // The very last line blanks the bar out (it is cleared when done); the one before is its final state.
    assertTrue(c.lines.get(c.lines.size() - 1).isBlank());
    String last = c.lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow();
    assertTrue(last.contains("2/2"), last);
    assertTrue(last.contains("k = 3 · restart 2/2 · iter "), last);
    assertTrue(last.contains("log-lik -"), last);
    assertTrue(c.closed);
  }

  @Test
  void barStaysHiddenForQuickWorkAndWithoutATerminal() throws Exception {
    Capture c = new Capture();
    try (Progress p = Progress.start("quick", 1, c, 60_000)) {
      p.step();
      assertFalse(p.shown());
    }
    assertTrue(c.lines.isEmpty());
    // Tests run without a console, so a real bar never shows, quiet or not.
    try (Progress p = Progress.start("fit", 1, false)) {
      Thread.sleep(Progress.DELAY.toMillis() + 200);
      assertFalse(p.shown());
    }
  }

  @Test
  void kRangesListsAndMixtures() {
    assertArrayEquals(new int[] {1, 2, 3, 4}, KRange.parse("-k", "1..4"));
    assertArrayEquals(new int[] {1, 2, 5}, KRange.parse("-k", "5,1,2,2"));
    assertArrayEquals(new int[] {1, 2, 3, 8}, KRange.parse("-k", " 1..3 , 8"));
    // The header says what runs: repeats gone, runs of three or more as ranges.
    assertEquals("1,2", KRange.describe(KRange.parse("-k", "1,1,2")));
    assertEquals("1..4,8,10..12", KRange.describe(KRange.parse("-k", "8,1..3,4,10..12,3")));
    assertEquals("5", KRange.describe(KRange.parse("-k", "5..5")));
    assertArrayEquals(new int[] {7}, KRange.parse("-k", "7..7"));
    for (String bad : new String[] {"", "3..1", "0", "-1..2", "x", "1..y", "1,,2", "1..5000"}) {
      InputException e = assertThrows(InputException.class, () -> KRange.parse("-k", bad), bad);
      assertTrue(e.getMessage().startsWith("-k: "), e.getMessage());
    }
  }

  @Test
  void matchingPairsNearestCentres() {
    double[][] truth = {{0, 0}, {6, 3}, {-5, 5}};
    double[][] found = {{-5.1, 4.9}, {0.2, 0.1}, {6.1, 2.8}};
    int[] perm = Matching.permutation(found, truth);
    assertArrayEquals(new int[] {1, 2, 0}, perm);
    assertArrayEquals(new int[] {2, 0, 1}, Matching.inverse(perm));
    // Greedy beyond eight clusters still gives a permutation.
    double[][] many = new double[12][];
    double[][] shuffled = new double[12][];
    for (int i = 0; i < 12; i++) {
      many[i] = new double[] {i * 10, 0};
      shuffled[(i * 5) % 12] = new double[] {i * 10 + 0.5, 0};
    }
    int[] p = Matching.permutation(shuffled, many);
    for (int i = 0; i < 12; i++) {
      assertEquals(i * 10 + 0.5, shuffled[p[i]][0], 1e-9);
    }
  }
}
