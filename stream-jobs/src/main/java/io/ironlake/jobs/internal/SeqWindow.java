package io.ironlake.jobs.internal;

import java.util.Arrays;

/**
 * The seqs of one {@code (collector_id, source)} seen at one device: the highest seq seen and one
 * bit per seq for the {@code size} seqs up to it (a ring of bits), so a repeat within the window is
 * found in O(1) and the window costs {@code size / 8} bytes whatever the rate.
 *
 * <p>A seq above the highest moves the window up; one within it is new unless its bit is set (an
 * out-of-order point is fine); one below it ({@link Outcome#FAR_BEHIND}) cannot be told from a new
 * point: the window restarts at it, as when a collector's sequence started again (its state folder
 * lost), and the caller keeps the point and counts it. Not thread-safe; one per keyed state entry.
 */
public final class SeqWindow {
  /** What {@link #offer} found. */
  public enum Outcome {
    /** Not seen within the window: keep the point. */
    NEW,
    /** Seen within the window: drop the point. */
    DUPLICATE,
    /** Below the window: unknown; the window restarted at this seq. Keep the point. */
    FAR_BEHIND
  }

  /** Smallest window: one 64-bit word. */
  public static final int MIN_SIZE = 64;

  /** Largest window: 2^26 seqs (8 MiB per device and source). */
  public static final int MAX_SIZE = 1 << 26;

  private final String collectorId;
  private final String source;
  private final long[] words;
  private final int mask;
  private long highest;
  private boolean empty;

  /**
   * An empty window of {@code size} seqs (a power of two, {@link #MIN_SIZE}..{@link #MAX_SIZE}).
   */
  public SeqWindow(String collectorId, String source, int size) {
    this(collectorId, source, new long[checkSize(size) / 64], Long.MIN_VALUE, true);
  }

  SeqWindow(String collectorId, String source, long[] words, long highest, boolean empty) {
    this.collectorId = collectorId;
    this.source = source;
    this.words = words;
    this.mask = words.length * 64 - 1;
    this.highest = highest;
    this.empty = empty;
  }

  /** Checks a window size: a power of two from {@link #MIN_SIZE} to {@link #MAX_SIZE}. */
  public static int checkSize(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(
          "Invalid value "
              + size
              + " for `dedupWindow`: expected a power of two from "
              + MIN_SIZE
              + " to "
              + MAX_SIZE);
    }
    return size;
  }

  /** Whether this window is the one of {@code collectorId} and {@code source}. */
  public boolean isFor(String collectorId, String source) {
    return this.source.equals(source) && this.collectorId.equals(collectorId);
  }

  /** Notes {@code seq} and says whether it was seen. */
  public Outcome offer(long seq) {
    if (empty) {
      empty = false;
      highest = seq;
      set(seq);
      return Outcome.NEW;
    }
    if (seq > highest) {
      clearAbove(seq);
      highest = seq;
      set(seq);
      return Outcome.NEW;
    }
    if (highest - seq <= mask) {
      int bit = (int) seq & mask;
      long word = words[bit >>> 6];
      long flag = 1L << bit;
      if ((word & flag) != 0) {
        return Outcome.DUPLICATE;
      }
      words[bit >>> 6] = word | flag;
      return Outcome.NEW;
    }
    Arrays.fill(words, 0L);
    highest = seq;
    set(seq);
    return Outcome.FAR_BEHIND;
  }

  /** The highest seq seen ({@link Long#MIN_VALUE} when none). */
  public long highest() {
    return highest;
  }

  /** The window's size in seqs. */
  public int size() {
    return mask + 1;
  }

  String collectorId() {
    return collectorId;
  }

  String source() {
    return source;
  }

  long[] words() {
    return words;
  }

  boolean isEmpty() {
    return empty;
  }

  private void set(long seq) {
    int bit = (int) seq & mask;
    words[bit >>> 6] |= 1L << bit;
  }

  /** Clears the bits of (highest, seq], which now stand for new seqs. */
  private void clearAbove(long seq) {
    if (seq - highest > mask) {
      Arrays.fill(words, 0L);
      return;
    }
    long s = highest + 1;
    while (s <= seq) {
      int bit = (int) s & mask;
      if ((bit & 63) == 0 && seq - s >= 63) {
        words[bit >>> 6] = 0L;
        s += 64;
      } else {
        words[bit >>> 6] &= ~(1L << bit);
        s++;
      }
    }
  }
}
