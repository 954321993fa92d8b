package io.ironlake.jobs.internal;

import java.util.Arrays;

/**
 * The dedup state of one device: a {@link SeqWindow} per {@code (collector_id, source)} that sent
 * its points (almost always one), when its last new point came (processing time) and the expiry
 * timer registered for it ({@link SeqDedup}). Not thread-safe; one per keyed state entry.
 */
public final class SeqWindows {
  private SeqWindow[] windows;
  private long lastNewMillis;
  private long expiryTimer;

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

  /** Processing time of the device's last new point, in ms; 0 when not known (earlier builds). */
  long lastNewMillis() {
    return lastNewMillis;
  }

  void lastNewMillis(long millis) {
    this.lastNewMillis = millis;
  }

  /** The processing-time timer that checks the device for expiry, in ms; 0 when none. */
  long expiryTimer() {
    return expiryTimer;
  }

  void expiryTimer(long millis) {
    this.expiryTimer = millis;
  }
}
