package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.sparkplug.DecodedPoint;
import io.ironlake.connectors.sparkplug.SparkplugDecoder;
import io.ironlake.connectors.sparkplug.SparkplugPathMapping;
import io.ironlake.connectors.sparkplug.SparkplugResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * A host that subscribes after the edge node was born cannot read its DDATA (aliases only): it
 * dead-letters them, asks for a rebirth, and reads everything from the new births on.
 */
class SparkplugLateHostTest {

  @Test
  void aLateHostAsksForARebirthAndThenDecodesEveryValue() throws Exception {
    try (SimulatedFactory factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .site("plant-late")
                .opcUaLines(0)
                .mqttLines(1)
                .machinesPerLine(2)
                .speed(20)
                .startTime(Instant.parse("2026-03-02T08:00:00Z"))
                .mqttPayload(MqttPayload.SPARKPLUG_B)
                .build())) {
      // The node has sent its births and data is flowing before the host subscribes.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> factory.ticksEmitted() >= 3);

      SparkplugDecoder decoder =
          SparkplugDecoder.builder().mapping(SparkplugPathMapping.groupAsSite("assembly")).build();
      List<SparkplugResult> results = new CopyOnWriteArrayList<>();
      ConcurrentLinkedQueue<SparkplugResult> toAnswer = new ConcurrentLinkedQueue<>();
      MqttClient host =
          new MqttClient(factory.mqttBrokerUrl(), "late-host", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      host.connect(options);
      try {
        host.subscribe(
            "spBv1.0/plant-late/#",
            1,
            (topic, message) -> {
              SparkplugResult result = decoder.decode(topic, message.getPayload());
              results.add(result);
              if (result.rebirth().isPresent()) {
                toAnswer.add(result);
              }
            });

        // What a collector does with a RebirthNeeded: send the NCMD (not from Paho's callback).
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !toAnswer.isEmpty());
        SparkplugResult first = toAnswer.poll();
        assertThat(first).isInstanceOf(SparkplugResult.RebirthNeeded.class);
        assertThat(first.deadLetterReason().orElseThrow())
            .matches("DDATA from plant-late/line-1/m0[12] before its NBIRTH");
        host.publish(
            first.rebirth().orElseThrow().topic(),
            first.rebirth().orElseThrow().payload(),
            0,
            false);

        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> decodedData(results).size() >= 2 * 7 * 10);
      } finally {
        host.disconnect();
        host.close();
      }

      assertThat(toAnswer).as("one rebirth request was enough").isEmpty();
      long deadLetters = results.stream().filter(r -> r.deadLetterReason().isPresent()).count();
      assertThat(deadLetters).as("only messages before the new births").isBetween(1L, 20L);

      // Every value decoded after the rebirth is the one the simulator emitted at that time. The
      // simulator logs an MQTT point once the broker acknowledged it, which can come after a
      // subscriber already got it: wait for the log to catch up.
      List<DecodedPoint> decoded = decodedData(results);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Map<String, EmittedPoint> emitted =
                    factory.emissions().points().stream()
                        .collect(Collectors.toMap(SparkplugLateHostTest::key, e -> e, (a, b) -> a));
                for (DecodedPoint d : decoded) {
                  EmittedPoint e = emitted.get(d.path() + "|" + d.tag() + "|" + d.tsMicros());
                  assertThat(e).as(d.path() + "/" + d.tag() + " at " + d.tsMicros()).isNotNull();
                  assertThat(d.value()).isEqualTo(e.value());
                }
              });
      Set<Long> ticks = decoded.stream().map(DecodedPoint::tsMicros).collect(Collectors.toSet());
      long first = ticks.stream().min(Long::compare).orElseThrow();
      long last = ticks.stream().max(Long::compare).orElseThrow();
      assertThat(ticks)
          .as("no tick missing after the births")
          .hasSize((int) ((last - first) / 1_000_000 + 1));
    }
  }

  private static List<DecodedPoint> decodedData(List<SparkplugResult> results) {
    List<DecodedPoint> points = new ArrayList<>();
    for (SparkplugResult r : results) {
      if (r instanceof SparkplugResult.Points p) {
        points.addAll(p.points());
      }
    }
    return points;
  }

  private static String key(EmittedPoint e) {
    return e.devicePath() + "|" + e.tag() + "|" + e.tsMicros();
  }
}
