package io.ironlake.jobs.dataquality;

import java.util.Arrays;

/**
 * Reconciles the seq numbers one collector source sent in one window into a ledger row: what
 * arrived and exactly which seqs are missing (plain Java, no Flink).
 */
public final class CompletenessLedger {
  /** At most this many ranges are listed; the rest is summarised as {@code ,...}. */
  public static final int MAX_RANGES = 500;

  private CompletenessLedger() {}

  /**
   * The ledger row of a window.
   *
   * @param seqs the seqs received in the window (duplicates allowed); not empty
   * @param previousMaxSeq the highest seq of the source's previous window, or null for its first;
   *     seqs after it and before this window's lowest count as missing here
   */
  public static CompletenessRow compute(
      String collectorId,
      String source,
      long windowStartMicros,
      long windowEndMicros,
      long[] seqs,
      Long previousMaxSeq) {
    if (seqs.length == 0) {
      throw new IllegalArgumentException("Cannot reconcile seqs: none in the window");
    }
    long[] sorted = Arrays.stream(seqs).sorted().distinct().toArray();
    long min = sorted[0];
    long max = sorted[sorted.length - 1];
    long cursor = previousMaxSeq != null && previousMaxSeq < min ? previousMaxSeq + 1 : min;
    long missing = 0;
    int ranges = 0;
    StringBuilder text = new StringBuilder();
    for (long s : sorted) {
      if (s < cursor) {
        continue;
      }
      if (s > cursor) {
        missing += s - cursor;
        if (ranges < MAX_RANGES) {
          if (ranges > 0) {
            text.append(',');
          }
          text.append(cursor);
          if (s - 1 > cursor) {
            text.append('-').append(s - 1);
          }
        } else if (ranges == MAX_RANGES) {
          text.append(",...");
        }
        ranges++;
      }
      cursor = s + 1;
    }
    return new CompletenessRow(
        collectorId,
        source,
        windowStartMicros,
        windowEndMicros,
        min,
        max,
        sorted.length,
        missing,
        text.toString());
  }
}
