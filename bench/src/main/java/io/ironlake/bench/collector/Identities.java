package io.ironlake.bench.collector;

import java.util.Arrays;

/**
 * What Kafka holds of one {@code (collector_id, source)}: its records' {@code seq} numbers, and
 * whether every number from the first to the last is there (nothing lost) and how many came more
 * than once (duplicates).
 *
 * @param records records read
 * @param distinct distinct seq numbers
 * @param firstSeq the smallest seq (-1 without records)
 * @param lastSeq the largest seq (-1 without records)
 * @param missing seq numbers between the first and the last that no record carries
 * @param duplicates records beyond the first of their seq
 */
record Identities(
    long records, long distinct, long firstSeq, long lastSeq, long missing, long duplicates) {

  /** Counts the seq numbers (the array is sorted in place). */
  static Identities of(long[] seqs, int count) {
    if (count == 0) {
      return new Identities(0, 0, -1, -1, 0, 0);
    }
    Arrays.sort(seqs, 0, count);
    long distinct = 1;
    for (int i = 1; i < count; i++) {
      if (seqs[i] != seqs[i - 1]) {
        distinct++;
      }
    }
    long first = seqs[0];
    long last = seqs[count - 1];
    return new Identities(
        count, distinct, first, last, last - first + 1 - distinct, count - distinct);
  }

  /** Whether every seq from the first to the last is there, and {@code expected} of them. */
  boolean complete(long expected) {
    return missing == 0 && distinct == expected;
  }
}
