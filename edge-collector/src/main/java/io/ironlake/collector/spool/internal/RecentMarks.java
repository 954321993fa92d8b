package io.ironlake.collector.spool.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The most recent marks (input fingerprints) of each source, newest last, at most {@link
 * #PER_SOURCE} each. Enough to recognise an MQTT message the broker sends again because the
 * collector's acknowledgement did not reach it: the broker only has as many messages in flight as
 * its window (Mosquitto 20, Moquette 10 by default).
 */
public final class RecentMarks {
  public static final int PER_SOURCE = 1024;

  private final Map<String, LinkedHashSet<Long>> bySource = new HashMap<>();

  /** Remembers a mark of a source, forgetting its oldest beyond the limit. */
  public synchronized void add(String source, long mark) {
    if (mark < 0) {
      return;
    }
    LinkedHashSet<Long> set = bySource.computeIfAbsent(source, s -> new LinkedHashSet<>());
    set.remove(mark);
    set.add(mark);
    if (set.size() > PER_SOURCE) {
      var it = set.iterator();
      it.next();
      it.remove();
    }
  }

  /** Remembers every mark of a snapshot, in order. */
  public synchronized void addAll(Map<String, List<Long>> marks) {
    marks.forEach((source, list) -> list.forEach(m -> add(source, m)));
  }

  public synchronized boolean contains(String source, long mark) {
    LinkedHashSet<Long> set = bySource.get(source);
    return set != null && set.contains(mark);
  }

  /**
   * A copy of every source's newest marks, oldest first, in all at most {@code maxBytes / 8} marks
   * (at least 16 per source), so the copy that opens a segment stays a small part of it.
   */
  public synchronized Map<String, List<Long>> snapshot(long maxBytes) {
    int perSource =
        (int) Math.max(16, Math.min(PER_SOURCE, maxBytes / 8 / Math.max(1, bySource.size())));
    Map<String, List<Long>> out = new LinkedHashMap<>();
    bySource.forEach(
        (source, set) -> {
          List<Long> all = new ArrayList<>(set);
          out.put(
              source, List.copyOf(all.subList(Math.max(0, all.size() - perSource), all.size())));
        });
    return out;
  }
}
