package io.ironlake.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.HttpConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The health and metrics endpoint, scraped over HTTP while the collector reads a simulated OPC UA
 * line into a real Kafka broker: the counters match what reached the topic, and readiness follows
 * the OPC UA server going away and coming back.
 */
class CollectorOpsEndpointTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void metricsMatchTheTopicAndReadinessFollowsTheServer() throws Exception {
    kafka.createTopic("telemetry-ops", 2);
    kafka.createTopic("deadletter-ops", 1);
    KafkaConfig kafkaConfig =
        new KafkaConfig(
            kafka.bootstrapServers(), "telemetry-ops", "deadletter-ops", 5, "lz4", Map.of());
    SimulatorConfig.Builder plant =
        SimulatorConfig.builder()
            .opcUaLines(1)
            .mqttLines(0)
            .machinesPerLine(2)
            .speed(10)
            .duration(Duration.ofSeconds(20))
            .emitOnStart(false)
            .dataDir(dir.resolve("sim"));
    SimulatedFactory first = SimulatedFactory.start(plant.build());
    int opcPort = URI.create(first.opcUaEndpoint().replace("opc.tcp://", "http://")).getPort();
    CollectorConfig config =
        Plants.collectorConfig("edge-ops", first, kafkaConfig, dir.resolve("state"))
            .withHttp(HttpConfig.onPort(Plants.freePort()));
    try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC());
        TopicReader telemetry = new TopicReader(kafka.bootstrapServers(), "telemetry-ops")) {
      String base = "http://127.0.0.1:" + collector.httpPort();
      assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);

      await().atMost(WAIT).until(() -> get(base + "/health/ready").statusCode() == 200);
      assertThat(get(base + "/health/ready").body())
          .isEqualTo(
              "{\"status\":\"ready\",\"sources\":[{\"name\":\"opcua-plant\",\"type\":\"opcua\","
                  + "\"state\":\"READY\"}]}");

      first.startEmitting();
      assertThat(first.awaitFinished(WAIT)).isTrue();
      long total = first.emissions().total();
      assertThat(total).isGreaterThan(0);
      // Wait until the collector has sent everything it read and the topic holds it all. (The
      // last ticks of a short simulator run do not always reach the collector on a loaded machine,
      // also without this change, so the test compares with what the collector read.)
      await()
          .atMost(WAIT)
          .during(Duration.ofSeconds(3))
          .until(
              () -> {
                long n = telemetry.poll().size();
                CollectorStats s = collector.stats();
                return n > 0 && s.pointsRead() == s.pointsSent() && s.pointsSent() == n;
              });
      collector.flush();
      long onTopic = telemetry.poll().size();
      long read = collector.stats().pointsRead();

      String metrics = get(base + "/metrics").body();
      String src = "{source=\"opcua-plant\"}";
      assertThat(value(metrics, "ironlake_collector_points_read_total" + src)).isEqualTo(read);
      assertThat(value(metrics, "ironlake_collector_points_sent_total" + src)).isEqualTo(onTopic);
      assertThat(onTopic).isEqualTo(read).isPositive().isLessThanOrEqualTo(total);
      assertThat(value(metrics, "ironlake_collector_spool_points")).isZero();
      assertThat(value(metrics, "ironlake_collector_spool_bytes")).isZero();
      assertThat(value(metrics, "ironlake_collector_kafka_send_errors_total")).isZero();
      assertThat(value(metrics, "ironlake_collector_points_dropped_total")).isZero();
      assertThat(value(metrics, "ironlake_collector_kafka_send_latency_seconds_count"))
          .isEqualTo(onTopic);
      // The producer's batching, from its own metrics.
      assertThat(gauge(metrics, "ironlake_collector_kafka_records_per_request"))
          .isGreaterThanOrEqualTo(1);
      assertThat(gauge(metrics, "ironlake_collector_kafka_batch_size_bytes")).isPositive();
      assertThat(gauge(metrics, "ironlake_collector_kafka_requests_per_second")).isPositive();
      assertThat(value(metrics, "ironlake_collector_source_to_kafka_latency_seconds_count"))
          .isEqualTo(onTopic);
      // Every point reached Kafka within a minute of being read.
      assertThat(
              value(
                  metrics,
                  "ironlake_collector_source_to_kafka_latency_seconds_bucket{le=\"60.0\"}"))
          .isEqualTo(onTopic);
      assertThat(
              value(
                  metrics,
                  "ironlake_collector_source_state"
                      + "{source=\"opcua-plant\",state=\"READY\",type=\"opcua\"}"))
          .isEqualTo(1);
      assertThat(value(metrics, "ironlake_collector_ready")).isEqualTo(1);
      assertThat(metrics).contains("jvm_memory_used_bytes{area=\"heap\"}");

      // The server goes away: not ready, with the source's state in the body.
      first.close();
      await().atMost(WAIT).until(() -> get(base + "/health/ready").statusCode() == 503);
      assertThat(get(base + "/health/ready").body())
          .contains("\"status\":\"not ready\"")
          .contains("\"name\":\"opcua-plant\"")
          .containsPattern("\"state\":\"(RECONNECTING|CONNECTING)\"");
      assertThat(value(get(base + "/metrics").body(), "ironlake_collector_ready")).isZero();
      assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);

      // ... and comes back on the same port: ready again.
      try (SimulatedFactory second =
          SimulatedFactory.start(plant.seed(2).opcUaPort(opcPort).build())) {
        await().atMost(WAIT).until(() -> get(base + "/health/ready").statusCode() == 200);
        assertThat(value(get(base + "/metrics").body(), "ironlake_collector_ready")).isEqualTo(1);
      }
    } finally {
      first.close();
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample in Prometheus text format, e.g. {@code name{label="x"} 12.0}. */
  static double gauge(String metrics, String sample) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(metrics);
    assertThat(m.find()).as("sample %s in%n%s", sample, metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The same, rounded (counters). */
  static long value(String metrics, String sample) {
    return Math.round(gauge(metrics, sample));
  }
}
