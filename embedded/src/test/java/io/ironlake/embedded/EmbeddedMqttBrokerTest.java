package io.ironlake.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMqttBrokerTest {

  @TempDir static Path dataDir;

  private static EmbeddedMqttBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedMqttBroker.start(0, dataDir);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void picksAFreeLoopbackPort() {
    assertThat(broker.port()).isPositive();
    assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:" + broker.port());
  }

  @Test
  void deliversQos1MessagesFromPublisherToSubscriber() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    MqttClient subscriber = client("sub-1");
    MqttClient publisher = client("pub-1");
    try {
      subscriber.subscribe(
          "factory/#",
          1,
          (topic, message) -> {
            assertThat(message.getQos()).isEqualTo(1);
            received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
          });
      for (int i = 0; i < 50; i++) {
        publisher.publish(
            "factory/plant/line-1/m0" + (i % 3) + "/telemetry",
            ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
            1,
            false);
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 50);
      assertThat(received).hasSize(50).doesNotHaveDuplicates();
      assertThat(received).contains("factory/plant/line-1/m00/telemetry={\"n\":0}");
      assertThat(received).contains("factory/plant/line-1/m01/telemetry={\"n\":49}");
    } finally {
      disconnect(publisher);
      disconnect(subscriber);
    }
  }

  @Test
  void inMemoryBrokerOnGivenPortStartsAndStops() throws Exception {
    try (EmbeddedMqttBroker memory = EmbeddedMqttBroker.start(0, null)) {
      assertThat(memory.port()).isNotEqualTo(broker.port());
      MqttClient c = new MqttClient(memory.url(), "mem-1", new MemoryPersistence());
      c.connect();
      assertThat(c.isConnected()).isTrue();
      disconnect(c);
    }
  }

  @Test
  void rejectsInvalidPort() {
    assertThatThrownBy(() -> EmbeddedMqttBroker.start(70000, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid MQTT port 70000");
  }

  private static MqttClient client(String id) throws Exception {
    MqttClient client = new MqttClient(broker.url(), id, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(true);
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    client.connect(options);
    return client;
  }

  private static void disconnect(MqttClient client) throws Exception {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
