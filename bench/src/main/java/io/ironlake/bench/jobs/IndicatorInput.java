package io.ironlake.bench.jobs;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Deterministic plant telemetry for the indicator benchmarks: {@code lines} x {@code machines}
 * devices, one sample of eight tags per device and second of event time (power, energy meter,
 * state, good and total counts, a diameter characteristic, temperature and coolant flow), as the
 * collector would publish it. Temperature crosses its alarm limits and coolant flow drops now and
 * then, so the limit, rate-of-change and pattern alarms have work to do.
 */
final class IndicatorInput {
  static final String SITE = "plant-b";
  static final String AREA = "machining";
  static final List<String> TAGS =
      List.of(
          "power_kw",
          "energy_kwh",
          "state",
          "good_count",
          "total_count",
          "diameter_mm",
          "temperature_c",
          "coolant_flow_lpm");

  private final int lines;
  private final int machines;
  private final long startMicros;

  IndicatorInput(int lines, int machines, long startMicros) {
    this.lines = lines;
    this.machines = machines;
    this.startMicros = startMicros;
  }

  int devices() {
    return lines * machines;
  }

  /** The points of one device at one tick (one second of event time), in tag order. */
  TelemetryPoint[] tick(int device, long tick) {
    SplittableRandom r = new SplittableRandom(device * 1_000_003L + tick);
    String line = "line-" + (device / machines + 1);
    String name = String.format("m%03d", device % machines + 1);
    boolean running = (tick + device * 37) % 600 < 480; // 8 min running, 2 min idle
    // A temperature excursion of 90 s every 15 min per device, and coolant low in half of them.
    long phase = (tick + device * 53) % 900;
    double temperature = 30 + 5 * r.nextDouble() + (phase < 90 ? 20 + phase / 10.0 : 0);
    double coolant = phase < 90 && (tick / 900 + device) % 2 == 0 ? 1.5 : 8 + r.nextDouble();
    long good = tick * 2 - tick / 50;
    long total = tick * 2;
    PointValue[] values = {
      PointValue.of(running ? 30 + 10 * r.nextDouble() : 4 + r.nextDouble()),
      PointValue.of(Math.round((1_000 + device + tick * 0.0083) * 1_000) / 1_000.0),
      PointValue.of(running ? "RUNNING" : "IDLE"),
      PointValue.of(good),
      PointValue.of(total),
      PointValue.of(12 + (r.nextDouble() - 0.5) * 0.02),
      PointValue.of(temperature),
      PointValue.of(coolant)
    };
    TelemetryPoint[] out = new TelemetryPoint[TAGS.size()];
    long ts = startMicros + tick * 1_000_000L;
    for (int i = 0; i < out.length; i++) {
      out[i] =
          new TelemetryPoint(
              SITE,
              AREA,
              line,
              name,
              TAGS.get(i),
              ts,
              ts + 20_000,
              values[i],
              Quality.GOOD,
              0L,
              "",
              "bench",
              "plant",
              (tick * devices() + device) * TAGS.size() + i);
    }
    return out;
  }

  /**
   * Writes at least {@code points} points (whole ticks) to the telemetry topic; returns the count.
   */
  long produce(String bootstrapServers, long points) {
    long sent = 0;
    Future<?> last = null;
    try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
      for (long tick = 0; sent < points; tick++) {
        for (int d = 0; d < devices(); d++) {
          for (TelemetryPoint p : tick(d, tick)) {
            last = producer.send(record(p));
            sent++;
          }
        }
      }
      producer.flush();
      last.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot fill " + Topics.TELEMETRY + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot fill " + Topics.TELEMETRY + ": interrupted", e);
    }
    return sent;
  }

  static ProducerRecord<byte[], byte[]> record(TelemetryPoint p) {
    return new ProducerRecord<>(
        Topics.TELEMETRY,
        p.devicePath().getBytes(StandardCharsets.UTF_8),
        TelemetryCodec.encode(p));
  }

  static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(p);
  }
}
