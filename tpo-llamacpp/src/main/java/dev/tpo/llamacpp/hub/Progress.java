package dev.tpo.llamacpp.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line download progress bar, redrawn at most five times a second. Not thread-safe; one per
 * download.
 */
final class Progress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final String name;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private long startBytes = -1;

  Progress(PrintStream out, String name, long total) {
    this.out = out;
    this.name = name;
    this.total = total;
  }

  void update(long done) {
    if (out == null) {
      return;
    }
    if (startBytes < 0) {
      startBytes = done;
    }
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    draw(done, now);
  }

  void finish(long done) {
    if (out == null) {
      return;
    }
    draw(done, System.nanoTime());
    out.println();
    out.flush();
  }

  private void draw(long done, long now) {
    double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
    double rate = (done - Math.max(0, startBytes)) / seconds / 1e6;
    StringBuilder line = new StringBuilder("\r").append(name).append(' ');
    if (total > 0) {
      int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
      line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
      line.append(String.format(Locale.ROOT, "%3d%% %.1f/%.1f MB", done * 100 / total, done / 1e6, total / 1e6));
    } else {
      line.append(String.format(Locale.ROOT, "%.1f MB", done / 1e6));
    }
    line.append(String.format(Locale.ROOT, " %.1f MB/s", rate));
    out.print(line);
    out.flush();
  }
}
