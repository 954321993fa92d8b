package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.simulator.EmissionLog;
import io.ironlake.simulator.EmittedPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What reached a telemetry topic, checked against what the simulator emitted: nothing missing,
 * every value as emitted, and no point under two identities {@code (collector_id, source, seq)}.
 * Copies of one identity (a resend after a crash) are allowed where a test says so: downstream
 * dedup on the identity removes them, provided the copies are identical.
 */
final class Deliveries {
  private final List<ConsumerRecord<byte[], byte[]>> records;
  private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byIdentity =
      new LinkedHashMap<>();

  Deliveries(List<ConsumerRecord<byte[], byte[]>> records) {
    this.records = List.copyOf(records);
    for (ConsumerRecord<byte[], byte[]> r : records) {
      byIdentity
          .computeIfAbsent(identity(TelemetryCodec.decode(r.value())), k -> new ArrayList<>())
          .add(r);
    }
  }

  static String identity(TelemetryPoint p) {
    return p.collectorId() + "/" + p.source() + "/" + p.seq();
  }

  static String content(String devicePath, String tag, long tsMicros) {
    return devicePath + "|" + tag + "|" + tsMicros;
  }

  /** Distinct identities, what a consumer deduplicating on them keeps. */
  int distinct() {
    return byIdentity.size();
  }

  /** Records beyond the first of their identity. */
  int copies() {
    return records.size() - byIdentity.size();
  }

  /** One point per identity, in first-seen order. */
  List<TelemetryPoint> deduplicated() {
    List<TelemetryPoint> out = new ArrayList<>();
    byIdentity.values().forEach(list -> out.add(TelemetryCodec.decode(list.get(0).value())));
    return out;
  }

  /**
   * Asserts that after dedup on the identity the topic holds exactly the emitted points, each with
   * its emitted value, each under one identity, and that copies of an identity are identical.
   */
  void assertExactlyTheEmittedPoints(EmissionLog emissions) {
    byIdentity.forEach(
        (id, list) ->
            assertThat(list)
                .as("every copy of %s is the same record", id)
                .allSatisfy(
                    r -> {
                      assertThat(r.value()).isEqualTo(list.get(0).value());
                      assertThat(r.key()).isEqualTo(list.get(0).key());
                    }));
    Map<String, Set<String>> identitiesOfContent = new HashMap<>();
    Map<String, PointValue> received = new HashMap<>();
    for (TelemetryPoint p : deduplicated()) {
      String c = content(p.devicePath(), p.tag(), p.tsMicros());
      identitiesOfContent.computeIfAbsent(c, k -> new TreeSet<>()).add(identity(p));
      received.put(c, p.value());
    }
    Map<String, Set<String>> doubled = new TreeMap<>();
    identitiesOfContent.forEach(
        (c, ids) -> {
          if (ids.size() > 1) {
            doubled.put(c, ids);
          }
        });
    assertThat(doubled).as("points under more than one identity").isEmpty();

    Map<String, PointValue> emitted = new HashMap<>();
    for (EmittedPoint e : emissions.points()) {
      emitted.put(content(e.devicePath(), e.tag(), e.tsMicros()), e.value());
    }
    assertThat(emitted).as("the log keeps every point").hasSize((int) emissions.total());
    Map<String, PointValue> missing = new TreeMap<>(emitted);
    missing.keySet().removeAll(received.keySet());
    assertThat(missing.keySet()).as("emitted points missing on the topic").isEmpty();
    assertThat(received).as("values as emitted, nothing else").isEqualTo(emitted);
    assertThat(countsOf(deduplicated())).isEqualTo(new TreeMap<>(emissions.counts()));
  }

  /**
   * Asserts that within each partition every source's points appear in sequence order (the spool
   * replays in order, and a device's points stay on one partition). A copy of an identity already
   * seen is skipped: a resend repeats older points after newer ones, and dedup keeps the first.
   */
  void assertInSeqOrderPerPartition() {
    Map<String, Long> last = new HashMap<>();
    Map<String, Long> lastOffset = new HashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TelemetryPoint p = TelemetryCodec.decode(r.value());
      if (!seen.add(identity(p))) {
        continue;
      }
      String key = r.partition() + "/" + p.collectorId() + "/" + p.source();
      Long before = last.put(key, p.seq());
      Long beforeOffset = lastOffset.put(key, r.offset());
      if (before != null) {
        assertThat(p.seq())
            .as(
                "seq order in partition %d of %s/%s (offset %d after offset %d)",
                r.partition(), p.collectorId(), p.source(), r.offset(), beforeOffset)
            .isGreaterThan(before);
      }
    }
  }

  /**
   * Per source: how many distinct seqs, the lowest and highest, and the missing ranges between them
   * (at most 10), to tell a loss after numbering (a gap) from one before it (no gap).
   */
  String seqSummary() {
    Map<String, TreeSet<Long>> bySource = new TreeMap<>();
    for (TelemetryPoint p : deduplicated()) {
      bySource
          .computeIfAbsent(p.collectorId() + "/" + p.source(), k -> new TreeSet<>())
          .add(p.seq());
    }
    StringBuilder sb = new StringBuilder();
    bySource.forEach(
        (source, seqs) -> {
          List<String> gaps = new ArrayList<>();
          long expect = seqs.first();
          for (long s : seqs) {
            if (s != expect && gaps.size() < 10) {
              gaps.add(expect + ".." + (s - 1));
            }
            expect = s + 1;
          }
          sb.append(source)
              .append("[n=")
              .append(seqs.size())
              .append(", ")
              .append(seqs.first())
              .append("..")
              .append(seqs.last())
              .append(", gaps=")
              .append(gaps)
              .append("] ");
        });
    return sb.toString().trim();
  }

  static Map<String, Map<String, Long>> countsOf(List<TelemetryPoint> points) {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    for (TelemetryPoint p : points) {
      counts.computeIfAbsent(p.devicePath(), d -> new TreeMap<>()).merge(p.tag(), 1L, Long::sum);
    }
    return counts;
  }

  @Override
  public String toString() {
    return "Deliveries[records=" + records.size() + ", distinct=" + distinct() + "]";
  }
}
