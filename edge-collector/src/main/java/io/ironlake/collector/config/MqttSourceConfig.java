package io.ironlake.collector.config;

import java.util.List;
import java.util.Objects;

/**
 * An MQTT broker to subscribe to ({@code type: mqtt}).
 *
 * @param name {@code sources[].name}
 * @param broker {@code broker}: tcp:// or ssl:// URL
 * @param mqttVersion {@code mqtt-version}: {@code 5} (Paho mqttv5) or {@code 3.1.1} (Paho mqttv3)
 * @param clientId {@code client-id}
 * @param qos {@code qos}: 0, 1 or 2
 * @param cleanSession {@code clean-session}: false keeps the session (MQTT 5: clean start false)
 * @param sessionExpirySeconds {@code session-expiry-s}: MQTT 5 only, how long the broker keeps the
 *     session after a disconnect
 * @param keepAliveSeconds {@code keep-alive-s}
 * @param maxPayloadBytes {@code max-payload-bytes}
 * @param sharedGroup {@code shared-group}: subscribe as {@code $share/<group>/<filter>}, or {@code
 *     null}
 * @param auth user name and password, or {@code null} for none
 * @param tls TLS settings for {@code ssl://} brokers, or {@code null} for the JVM defaults
 * @param topics {@code topics}
 * @param sparkplugHostId {@code sparkplug-host-id}: the Sparkplug 3.0 Primary Host Application id
 *     this source announces on {@code spBv1.0/STATE/<id>}, or {@code null} for none
 */
public record MqttSourceConfig(
    String name,
    String broker,
    String mqttVersion,
    String clientId,
    int qos,
    boolean cleanSession,
    long sessionExpirySeconds,
    int keepAliveSeconds,
    int maxPayloadBytes,
    String sharedGroup,
    MqttAuthConfig auth,
    MqttTlsConfig tls,
    List<TopicMapping> topics,
    String sparkplugHostId)
    implements SourceConfig {

  public static final String MQTT_3_1_1 = "3.1.1";
  public static final String MQTT_5 = "5";
  public static final String MQTT_VERSION_DEFAULT = MQTT_5;
  public static final int QOS_DEFAULT = 1;
  public static final int KEEP_ALIVE_S_DEFAULT = 30;
  public static final int MAX_PAYLOAD_BYTES_DEFAULT = 1024 * 1024;
  public static final long SESSION_EXPIRY_S_DEFAULT = 86_400;

  public MqttSourceConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(mqttVersion, "mqttVersion");
    Objects.requireNonNull(clientId, "clientId");
    topics = List.copyOf(topics);
  }

  /** A source without shared subscription, login or TLS settings (the earlier constructor). */
  public MqttSourceConfig(
      String name,
      String broker,
      String mqttVersion,
      String clientId,
      int qos,
      boolean cleanSession,
      int keepAliveSeconds,
      int maxPayloadBytes,
      List<TopicMapping> topics) {
    this(
        name,
        broker,
        mqttVersion,
        clientId,
        qos,
        cleanSession,
        SESSION_EXPIRY_S_DEFAULT,
        keepAliveSeconds,
        maxPayloadBytes,
        null,
        null,
        null,
        topics,
        null);
  }

  /**
   * A source with MQTT 3.1.1 (what the embedded Moquette speaks), QoS 1, a persistent session and
   * the other defaults; {@link #withMqttVersion} switches to MQTT 5.
   */
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

  /** Whether this source announces itself as a Sparkplug Primary Host Application. */
  public boolean sparkplugHost() {
    return sparkplugHostId != null;
  }

  /** Whether this source speaks MQTT 5. */
  public boolean mqtt5() {
    return MQTT_5.equals(mqttVersion);
  }

  /** A copy announcing the Sparkplug Primary Host Application {@code hostId} (null: none). */
  public MqttSourceConfig withSparkplugHostId(String hostId) {
    Copy c = new Copy(this);
    c.sparkplugHostId = hostId;
    return c.build();
  }

  /** A copy with a clean session (true) or a kept one (false). */
  public MqttSourceConfig withCleanSession(boolean clean) {
    Copy c = new Copy(this);
    c.cleanSession = clean;
    return c.build();
  }

  /** A copy with another protocol version, {@link #MQTT_5} or {@link #MQTT_3_1_1}. */
  public MqttSourceConfig withMqttVersion(String version) {
    Copy c = new Copy(this);
    c.mqttVersion = version;
    return c.build();
  }

  /** A copy with another client id. */
  public MqttSourceConfig withClientId(String id) {
    Copy c = new Copy(this);
    c.clientId = id;
    return c.build();
  }

  /** A copy subscribing through the shared subscription group {@code group}. */
  public MqttSourceConfig withSharedGroup(String group) {
    Copy c = new Copy(this);
    c.sharedGroup = group;
    return c.build();
  }

  /** A copy logging in as {@code auth}. */
  public MqttSourceConfig withAuth(MqttAuthConfig login) {
    Copy c = new Copy(this);
    c.auth = login;
    return c.build();
  }

  /** A copy with these TLS settings. */
  public MqttSourceConfig withTls(MqttTlsConfig settings) {
    Copy c = new Copy(this);
    c.tls = settings;
    return c.build();
  }

  /** A copy with another largest payload. */
  public MqttSourceConfig withMaxPayloadBytes(int bytes) {
    Copy c = new Copy(this);
    c.maxPayloadBytes = bytes;
    return c.build();
  }

  /** The components of a source, to change some and build a new one. */
  private static final class Copy {
    private final String name;
    private final String broker;
    private String mqttVersion;
    private String clientId;
    private final int qos;
    private boolean cleanSession;
    private final long sessionExpirySeconds;
    private final int keepAliveSeconds;
    private int maxPayloadBytes;
    private String sharedGroup;
    private MqttAuthConfig auth;
    private MqttTlsConfig tls;
    private final List<TopicMapping> topics;
    private String sparkplugHostId;

    Copy(MqttSourceConfig c) {
      name = c.name;
      broker = c.broker;
      mqttVersion = c.mqttVersion;
      clientId = c.clientId;
      qos = c.qos;
      cleanSession = c.cleanSession;
      sessionExpirySeconds = c.sessionExpirySeconds;
      keepAliveSeconds = c.keepAliveSeconds;
      maxPayloadBytes = c.maxPayloadBytes;
      sharedGroup = c.sharedGroup;
      auth = c.auth;
      tls = c.tls;
      topics = c.topics;
      sparkplugHostId = c.sparkplugHostId;
    }

    MqttSourceConfig build() {
      return new MqttSourceConfig(
          name,
          broker,
          mqttVersion,
          clientId,
          qos,
          cleanSession,
          sessionExpirySeconds,
          keepAliveSeconds,
          maxPayloadBytes,
          sharedGroup,
          auth,
          tls,
          topics,
          sparkplugHostId);
    }
  }
}
