package io.clmix.cli;

import io.clmix.fit.FitListener;
import io.clmix.fit.IterationStats;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Timer;
import java.util.TimerTask;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr for work that takes more than about a second: fits (restarts),
 * model selections (fits), benchmarks (runs). The bar counts units of work; its message shows
 * what the current fit is doing (restart r/n, iteration, objective and its change).
 *
 * <p>It appears only when stderr is a terminal (a person is watching) and {@code --quiet} is
 * not given, and only once the work has run for {@link #DELAY}, so quick commands print
 * nothing extra. It goes to stderr and is cleared when done, so stdout, and the JSON line
 * especially, never changes because of it.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("select", fits, common.quiet)) {
 *   for (...) { GaussianMixture.k(k).listener(p.fitListener("k = " + k, "log-likelihood", false)).fit(session); p.step(); }
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
  /** How long work runs before the bar appears. */
  public static final Duration DELAY = Duration.ofMillis(1000);

  private final String task;
  private long max;
  private final ProgressBarConsumer consumer;
  private final long started = System.nanoTime();
  private final Timer timer;
  private ProgressBar bar;
  private long current;
  private String message = "";
  private boolean closed;

  private Progress(String task, long max, ProgressBarConsumer consumer, long delayMillis, boolean enabled) {
    this.task = task;
    this.max = max;
    this.consumer = consumer;
    if (enabled) {
      timer = new Timer("clmix-progress", true);
      timer.schedule(new TimerTask() {
        @Override
        public void run() {
          show();
        }
      }, Math.max(0, delayMillis));
    } else {
      timer = null;
    }
  }

  /**
   * A bar for {@code max} units of work ({@code max <= 0}: unknown) that shows itself after
   * {@link #DELAY} if stderr is a terminal and {@code quiet} is false; otherwise a no-op.
   */
  public static Progress start(String task, long max, boolean quiet) {
    return new Progress(task, max, null, DELAY.toMillis(), !quiet && onTerminal());
  }

  /** A bar drawn through {@code consumer} after {@code delayMillis}, whatever the terminal (tests). */
  static Progress start(String task, long max, ProgressBarConsumer consumer, long delayMillis) {
    return new Progress(task, max, consumer, delayMillis, true);
  }

  /** A progress that shows nothing. */
  public static Progress none() {
    return new Progress("", 0, null, 0, false);
  }

  /**
   * Whether a person is probably watching: the JVM has a console (a terminal on stdin and
   * stdout) and, where the {@code ./clmix} launcher says so, standard error is a terminal too.
   */
  static boolean onTerminal() {
    return System.console() != null && !"0".equals(System.getenv(LAUNCHER_STDERR));
  }

  /**
   * Set by the {@code ./clmix} launcher to 1 when its standard error is a terminal, 0 when not:
   * the JVM's own standard error is then a pipe through the launcher's filter of the JVM's and
   * OpenCL compilers' notices, which holds a bar's carriage-return redraws back until a line
   * end, so the bar is drawn on {@code /dev/tty} instead.
   */
  static final String LAUNCHER_STDERR = "CLMIX_STDERR_TERMINAL";

  /** The line the bar is drawn on: the terminal itself behind the launcher, else stderr. */
  private static TerminalLine barLine() {
    if ("1".equals(System.getenv(LAUNCHER_STDERR))) {
      try {
        return TerminalLine.owning(new PrintStream(new FileOutputStream("/dev/tty"), true, StandardCharsets.UTF_8));
      } catch (IOException | SecurityException e) {
        // No controlling terminal after all: stderr, through the filter, is all there is.
      }
    }
    return TerminalLine.on(System.err);
  }

  /** One unit of work done. */
  public synchronized void step() {
    current++;
    if (bar != null) {
      bar.stepTo(current);
    }
  }

  /** {@code done} units of work done. */
  public synchronized void stepTo(long done) {
    current = done;
    if (bar != null) {
      bar.stepTo(current);
    }
  }

  /** The text after the bar. */
  public synchronized void message(String text) {
    message = text == null ? "" : text;
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  /** Whether the bar is on screen (it appears after the delay, on a terminal). */
  public synchronized boolean shown() {
    return bar != null;
  }

  /** Changes the number of units of work (when it is known only once the work starts). */
  public synchronized void maxHint(long units) {
    max = units;
    if (bar != null) {
      bar.maxHint(units);
    }
  }

  /**
   * A listener that writes a fit's state into the message: {@code prefix}, the restart, the
   * iteration, the objective (named {@code objective}) and its change. With
   * {@code stepPerRun}, the bar counts the fit's restarts (a bar for one fit); otherwise the
   * caller steps it (a bar over many fits).
   */
  public FitListener fitListener(String prefix, String objective, boolean stepPerRun) {
    return new FitListener() {
      private int runs = 1;

      @Override
      public void runStarted(int run, int runs) {
        this.runs = runs;
        if (prefix != null && !prefix.isEmpty()) {
          message(runs > 1 ? prefix + " · restart " + (run + 1) + "/" + runs : prefix); // until the first iteration
        }
        if (stepPerRun && run == 0) {
          maxHint(runs);
        }
      }

      @Override
      public void runDone(int run, double objective, int iterations, boolean converged) {
        if (stepPerRun) {
          step();
        }
      }

      @Override
      public void iterationDone(IterationStats s) {
        try {
          StringBuilder sb = new StringBuilder();
          if (prefix != null && !prefix.isEmpty()) {
            sb.append(prefix).append(" · ");
          }
          if (runs > 1) {
            sb.append("restart ").append(s.run() + 1).append('/').append(runs).append(" · ");
          }
          sb.append("iter ").append(s.iteration()).append(" · ").append(objective).append(' ')
              .append(String.format(Locale.ROOT, "%.6g", s.objective()));
          if (s.iteration() > 1 && Double.isFinite(s.change())) {
            sb.append(" (Δ ").append(String.format(Locale.ROOT, "%.1e", s.change())).append(')');
          }
          message(sb.toString());
        } catch (RuntimeException e) {
          // A progress bar must never break a fit.
        }
      }
    };
  }

  private synchronized void show() {
    if (closed || bar != null) {
      return;
    }
    try {
      ProgressBarBuilder b = new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(max > 0 ? max : -1)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .clearDisplayOnFinish()
          .startsFrom(current, Duration.ofNanos(System.nanoTime() - started));
      // Created only now: probing the terminal costs time a quick command need not spend.
      b.setConsumer(consumer != null ? consumer : barLine());
      bar = b.build();
      bar.setExtraMessage(message);
    } catch (RuntimeException | LinkageError e) {
      // No terminal support after all: go on without a bar.
      bar = null;
      closed = true;
    }
  }

  /** Same as {@link #done()}. */
  @Override
  public void close() {
    done();
  }

  /**
   * Removes the bar (if shown) and stops its timer; call before printing results to the
   * terminal. Idempotent.
   */
  public synchronized void done() {
    closed = true;
    if (timer != null) {
      timer.cancel();
    }
    if (bar != null) {
      bar.stepTo(current);
      bar.close();
      bar = null;
    }
  }
}
