package io.ironlake.bench.collector;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Telemetry shaped like the simulator's: seven tags per device and tick (doubles, counters, a state
 * string), as the simulator's JSON payload and as the points and Kafka records the collector makes
 * of it.
 */
final class SampleTelemetry {
  static final String SITE = "plant-sh";
  static final String AREA = "assembly";
  static final String LINE = "line-1";
  static final List<String> TAGS =
      List.of(
          "power_kw",
          "energy_kwh",
          "state",
          "good_count",
          "total_count",
          "diameter_mm",
          "temperature_c");
  static final Map<String, String> UNITS =
      Map.of(
          "power_kw", "kW",
          "energy_kwh", "kWh",
          "diameter_mm", "mm",
          "temperature_c", "°C");
  private static final List<String> STATES = List.of("RUNNING", "RUNNING", "RUNNING", "IDLE");

  private SampleTelemetry() {}

  static String device(int index) {
    return String.format("m%03d", index + 1);
  }

  static String topic(int device) {
    return "factory/" + SITE + "/" + AREA + "/" + LINE + "/" + device(device) + "/telemetry";
  }

  /** The seven values of one device at one tick, in the simulator's tag order. */
  static Map<String, PointValue> values(int device, long tick) {
    SplittableRandom r = new SplittableRandom(device * 1_000_003L + tick);
    Map<String, PointValue> v = new LinkedHashMap<>();
    v.put("power_kw", PointValue.of(round(15 + 30 * r.nextDouble(), 1_000)));
    v.put("energy_kwh", PointValue.of(round(1_000 + tick * 0.01 + device, 1_000)));
    v.put("state", PointValue.of(STATES.get(r.nextInt(STATES.size()))));
    v.put("good_count", PointValue.of(tick * 2));
    v.put("total_count", PointValue.of(tick * 2 + tick / 40));
    v.put("diameter_mm", PointValue.of(round(12 + (r.nextDouble() - 0.5) * 0.02, 10_000)));
    v.put("temperature_c", PointValue.of(round(22 + 20 * r.nextDouble(), 100)));
    return v;
  }

  /**
   * The simulator's JSON payload: {@code {"ts":<epoch ms>,"values":{"power_kw":12.5,...}}}, doubles
   * always with a fraction, counters as integers.
   */
  static byte[] json(long tsMillis, Map<String, PointValue> values) {
    StringBuilder b = new StringBuilder(200).append("{\"ts\":").append(tsMillis);
    b.append(",\"values\":{");
    boolean first = true;
    for (Map.Entry<String, PointValue> e : values.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append('"').append(e.getKey()).append("\":");
      PointValue v = e.getValue();
      if (v instanceof PointValue.StringValue s) {
        b.append('"').append(s.value()).append('"');
      } else {
        b.append(v.asText());
      }
    }
    return b.append("}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One point as the collector makes it, with its Kafka record (key = device path). */
  static ProducerRecord<byte[], byte[]> record(
      String topic,
      String line,
      String device,
      String tag,
      long tsMicros,
      PointValue value,
      String collectorId,
      String source,
      long seq) {
    TelemetryPoint p =
        new TelemetryPoint(
            SITE,
            AREA,
            line,
            device,
            tag,
            tsMicros,
            System.currentTimeMillis() * 1_000,
            value,
            Quality.GOOD,
            0L,
            UNITS.getOrDefault(tag, ""),
            collectorId,
            source,
            seq);
    return new ProducerRecord<>(
        topic, p.devicePath().getBytes(StandardCharsets.UTF_8), TelemetryCodec.encode(p));
  }

  /**
   * {@code count} points shaped like the collector's OPC UA points of {@code lines} x {@code
   * machines} devices, tick by tick, as Kafka records (the raw producer's input).
   */
  static List<ProducerRecord<byte[], byte[]>> opcUaRecords(
      int lines, int machines, int tickMs, int count) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    long startMicros = System.currentTimeMillis() * 1_000;
    long seq = 0;
    for (long tick = 0; records.size() < count; tick++) {
      for (int line = 1; line <= lines && records.size() < count; line++) {
        for (int m = 0; m < machines; m++) {
          for (Map.Entry<String, PointValue> v : values(m, tick).entrySet()) {
            records.add(
                record(
                    Topics.TELEMETRY,
                    "line-" + line,
                    String.format("m%02d", m + 1),
                    v.getKey(),
                    startMicros + tick * tickMs * 1_000L,
                    v.getValue(),
                    "bench-raw",
                    "opcua-bench",
                    seq++));
          }
        }
      }
    }
    return records;
  }

  private static double round(double v, int scale) {
    return Math.round(v * scale) / (double) scale;
  }
}
