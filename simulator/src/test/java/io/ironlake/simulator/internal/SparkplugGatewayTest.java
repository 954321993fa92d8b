package io.ironlake.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.sparkplug.DecodedPoint;
import io.ironlake.connectors.sparkplug.SparkplugDecoder;
import io.ironlake.connectors.sparkplug.SparkplugPathMapping;
import io.ironlake.connectors.sparkplug.SparkplugResult;
import io.ironlake.embedded.EmbeddedMqttBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A crashed edge node: the broker publishes its NDEATH will, and the node comes back born. */
class SparkplugGatewayTest {

  @TempDir Path dataDir;

  @Test
  void theWillMessageIsTheNodeDeathAndTheNodeIsBornAgainAfterReconnecting() throws Exception {
    Instant start = Instant.parse("2026-03-02T08:00:00Z");
    SparkplugDecoder decoder =
        SparkplugDecoder.builder().mapping(SparkplugPathMapping.groupAsSite("assembly")).build();
    List<String> topics = new CopyOnWriteArrayList<>();
    List<SparkplugResult> results = new CopyOnWriteArrayList<>();
    try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0, dataDir)) {
      MqttClient host = new MqttClient(broker.url(), "will-test-host", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      host.connect(options);
      host.subscribe(
          "spBv1.0/#",
          1,
          (topic, message) -> {
            topics.add(topic);
            results.add(decoder.decode(topic, message.getPayload()));
          });
      try (SparkplugGateway gateway =
          SparkplugGateway.connect(
              broker.url(), "plant-sh", Map.of("line-3", List.of("m01")), Tags.ALL, start, null)) {
        Map<String, PointValue> values = new LinkedHashMap<>();
        values.put(Tags.POWER_KW, PointValue.of(31.5));
        values.put(Tags.STATE, PointValue.of("RUNNING"));
        assertThat(gateway.publish("line-3", "m01", start.toEpochMilli() * 1000, values)).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> topics.size() >= 3);

        gateway.dropConnection("line-3");

        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    topics.contains("spBv1.0/plant-sh/NDEATH/line-3")
                        && gateway.births("line-3") == 2);
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> decoder.status("plant-sh", "line-3").orElseThrow().births() == 2);
      } finally {
        host.disconnect();
        host.close();
      }
    }
    assertThat(topics)
        .containsSubsequence(
            "spBv1.0/plant-sh/NBIRTH/line-3",
            "spBv1.0/plant-sh/DBIRTH/line-3/m01",
            "spBv1.0/plant-sh/DDATA/line-3/m01",
            "spBv1.0/plant-sh/NDEATH/line-3",
            "spBv1.0/plant-sh/NBIRTH/line-3",
            "spBv1.0/plant-sh/DBIRTH/line-3/m01");
    SparkplugResult death = results.get(topics.indexOf("spBv1.0/plant-sh/NDEATH/line-3"));
    assertThat(death).isInstanceOf(SparkplugResult.Points.class);
    assertThat(((SparkplugResult.Points) death).points())
        .extracting(DecodedPoint::tag, DecodedPoint::value, DecodedPoint::quality)
        .contains(
            org.assertj.core.groups.Tuple.tuple(Tags.POWER_KW, PointValue.of(31.5), Quality.BAD),
            org.assertj.core.groups.Tuple.tuple(Tags.STATE, PointValue.of("RUNNING"), Quality.BAD));
  }
}
