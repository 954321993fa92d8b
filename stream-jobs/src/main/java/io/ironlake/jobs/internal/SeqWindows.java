package io.ironlake.jobs.internal;

import java.util.Arrays;

/**
 * The dedup state of one device: a {@link SeqWindow} per {@code (collector_id, source)} that sent
 * its points (almost always one). Not thread-safe; one per keyed state entry.
 */
public final class SeqWindows {
  private SeqWindow[] windows;

  /** No windows yet. */
  public SeqWindows() {
    this(new SeqWindow[0]);
  }

  SeqWindows(SeqWindow[] windows) {
    this.windows = windows;
  }

  /** The window of {@code collectorId} and {@code source}, added with {@code size} if missing. */
  public SeqWindow window(String collectorId, String source, int size) {
    for (SeqWindow w : windows) {
      if (w.isFor(collectorId, source)) {
        return w;
      }
    }
    SeqWindow w = new SeqWindow(collectorId, source, size);
    windows = Arrays.copyOf(windows, windows.length + 1);
    windows[windows.length - 1] = w;
    return w;
  }

  /** How many {@code (collector_id, source)} windows there are. */
  public int count() {
    return windows.length;
  }

  SeqWindow[] windows() {
    return windows;
  }
}
