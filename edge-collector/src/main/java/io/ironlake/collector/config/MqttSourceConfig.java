package io.ironlake.collector.config;

import java.util.List;
import java.util.Objects;

/**
 * An MQTT broker to subscribe to ({@code type: mqtt}).
 *
 * @param name {@code sources[].name}
 * @param broker {@code broker}: tcp:// or ssl:// URL
 * @param mqttVersion {@code mqtt-version}: only {@code 3.1.1} for now
 * @param clientId {@code client-id}
 * @param qos {@code qos}: 0, 1 or 2
 * @param cleanSession {@code clean-session}
 * @param keepAliveSeconds {@code keep-alive-s}
 * @param maxPayloadBytes {@code max-payload-bytes}
 * @param topics {@code topics}
 */
public record MqttSourceConfig(
    String name,
    String broker,
    String mqttVersion,
    String clientId,
    int qos,
    boolean cleanSession,
    int keepAliveSeconds,
    int maxPayloadBytes,
    List<TopicMapping> topics)
    implements SourceConfig {

  public static final String MQTT_3_1_1 = "3.1.1";
  public static final int QOS_DEFAULT = 1;
  public static final int KEEP_ALIVE_S_DEFAULT = 30;
  public static final int MAX_PAYLOAD_BYTES_DEFAULT = 1024 * 1024;

  public MqttSourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(mqttVersion, "mqttVersion");
    Objects.requireNonNull(clientId, "clientId");
    topics = List.copyOf(topics);
  }

  /** A source with MQTT 3.1.1, QoS 1, a persistent session and the other defaults. */
  public static MqttSourceConfig of(
      String name, String broker, String clientId, List<TopicMapping> topics) {
    return new MqttSourceConfig(
        name,
        broker,
        MQTT_3_1_1,
        clientId,
        QOS_DEFAULT,
        false,
        KEEP_ALIVE_S_DEFAULT,
        MAX_PAYLOAD_BYTES_DEFAULT,
        topics);
  }
}
