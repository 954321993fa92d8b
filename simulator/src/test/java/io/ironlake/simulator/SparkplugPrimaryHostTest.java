package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.sparkplug.DecodedPoint;
import io.ironlake.connectors.sparkplug.SparkplugDecoder;
import io.ironlake.connectors.sparkplug.SparkplugHostState;
import io.ironlake.connectors.sparkplug.SparkplugPathMapping;
import io.ironlake.connectors.sparkplug.SparkplugResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * Edge nodes configured with a Sparkplug Primary Host Application: nothing before the host's STATE
 * says online, then births and every value kept meanwhile; while the host is offline an NDEATH and
 * the data kept again; a STATE older than the last one changes nothing.
 */
class SparkplugPrimaryHostTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String HOST = "scada-ph";

  @Test
  void theNodesWaitForTheirPrimaryHostAndKeepTheirDataWhileItIsOffline() throws Exception {
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .site("plant-ph")
                .opcUaLines(0)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(20)
                .startTime(Instant.parse("2026-03-02T08:00:00Z"))
                .mqttPayload(MqttPayload.SPARKPLUG_B)
                .sparkplugPrimaryHost(HOST)
                .emitOnStart(false)
                .build())) {
      SparkplugDecoder decoder =
          SparkplugDecoder.builder().mapping(SparkplugPathMapping.groupAsSite("assembly")).build();
      List<SparkplugResult> results = new CopyOnWriteArrayList<>();
      MqttClient host = new MqttClient(factory.mqttBrokerUrl(), HOST, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      host.connect(options);
      try {
        host.subscribe(
            "spBv1.0/plant-ph/#",
            1,
            (topic, message) -> {
              if (!topic.startsWith("spBv1.0/STATE/")) {
                results.add(decoder.decode(topic, message.getPayload()));
              }
            });

        // No STATE yet: the node publishes nothing, not even its births; its ticks are kept.
        factory.startEmitting();
        await().atMost(WAIT).until(() -> factory.ticksEmitted() >= 5);
        factory.holdTicks();
        assertThat(results).as("nothing before the host is online").isEmpty();

        // Online: births, then every value kept, in order.
        long first = System.currentTimeMillis();
        state(host, new SparkplugHostState(true, first));
        await().atMost(WAIT).until(() -> keys(results) >= factory.emissions().total());
        assertEveryValueAsEmitted(factory, good(results));
        assertThat(results.get(0).origin()).as("the births come first").contains("/NBIRTH/");

        // Offline: an NDEATH (every metric BAD), and the data is kept again.
        state(host, new SparkplugHostState(false, first));
        await()
            .atMost(WAIT)
            .until(() -> points(results).stream().anyMatch(p -> p.quality() == Quality.BAD));
        int before = good(results).size();
        long ticks = factory.ticksEmitted();
        factory.releaseTicks();
        await().atMost(WAIT).until(() -> factory.ticksEmitted() >= ticks + 5);
        factory.holdTicks();
        assertThat(good(results)).as("nothing while the host is offline").hasSize(before);

        // A STATE older than the last one seen is not the host's current state: ignored. (Taken,
        // it would bring births, and the offline after it a second NDEATH.)
        state(host, new SparkplugHostState(true, first - 1));
        state(host, new SparkplugHostState(false, first + 1));
        // Online again (a later session of the host): births, then what was kept.
        state(host, new SparkplugHostState(true, first + 2));
        await().atMost(WAIT).until(() -> keys(results) >= factory.emissions().total());
        assertEveryValueAsEmitted(factory, good(results));
        assertThat(count(results, "/NBIRTH/")).as("births: first online, last online").isEqualTo(2);
        assertThat(count(results, "/NDEATH/")).as("deaths: the first offline only").isEqualTo(1);
      } finally {
        host.disconnect();
        host.close();
      }
    }
  }

  private static long count(List<SparkplugResult> results, String type) {
    return results.stream().filter(r -> r.origin().contains(type)).count();
  }

  /** Distinct device, tag and time among the good points. */
  private static long keys(List<SparkplugResult> results) {
    return good(results).stream()
        .map(d -> d.path() + "|" + d.tag() + "|" + d.tsMicros())
        .distinct()
        .count();
  }

  private static void state(MqttClient host, SparkplugHostState state) throws Exception {
    host.publish(SparkplugHostState.topic(HOST), state.toJson(), 1, true);
  }

  private static List<DecodedPoint> points(List<SparkplugResult> results) {
    List<DecodedPoint> points = new ArrayList<>();
    for (SparkplugResult r : results) {
      if (r instanceof SparkplugResult.Points p) {
        points.addAll(p.points());
      }
    }
    return points;
  }

  private static List<DecodedPoint> good(List<SparkplugResult> results) {
    return points(results).stream().filter(p -> p.quality() == Quality.GOOD).toList();
  }

  /**
   * Every decoded value is the one emitted for that device, tag and time, and none is missing. (A
   * birth after an NDEATH repeats each metric's last value, as Sparkplug births do: the same
   * device, tag, time and value again.)
   */
  private static void assertEveryValueAsEmitted(
      SimulatedFactory factory, List<DecodedPoint> decoded) {
    Map<String, EmittedPoint> emitted =
        factory.emissions().points().stream()
            .collect(
                Collectors.toMap(e -> e.devicePath() + "|" + e.tag() + "|" + e.tsMicros(), e -> e));
    Map<String, List<DecodedPoint>> seen =
        decoded.stream()
            .collect(Collectors.groupingBy(d -> d.path() + "|" + d.tag() + "|" + d.tsMicros()));
    assertThat(seen.keySet()).isEqualTo(emitted.keySet());
    seen.forEach(
        (key, copies) ->
            assertThat(copies)
                .as(key)
                .allSatisfy(d -> assertThat(d.value()).isEqualTo(emitted.get(key).value())));
  }
}
