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
   * replays in order, and a device's points stay on one partition).
   */
  void assertInSeqOrderPerPartition() {
    Map<String, Long> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TelemetryPoint p = TelemetryCodec.decode(r.value());
      String key = r.partition() + "/" + p.collectorId() + "/" + p.source();
      Long before = last.put(key, p.seq());
      if (before != null) {
        assertThat(p.seq())
            .as("seq order in partition %d of %s/%s", r.partition(), p.collectorId(), p.source())
            .isGreaterThan(before);
      }
    }
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
