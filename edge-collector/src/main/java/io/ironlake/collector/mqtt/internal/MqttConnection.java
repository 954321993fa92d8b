package io.ironlake.collector.mqtt.internal;

/**
 * One MQTT client connection as the MQTT source uses it, the same for MQTT 5 (Paho mqttv5) and
 * 3.1.1 (Paho mqttv3): manual acknowledgements, a persistent session, reconnects after a lost
 * connection (by the client itself or by the source, see {@link #reconnectsItself}).
 */
public interface MqttConnection extends AutoCloseable {

  /** A will the broker publishes when the connection dies without a DISCONNECT. */
  record Will(String topic, byte[] payload, int qos, boolean retain) {}

  /** What the connection reports, on Paho's threads. */
  interface Listener {
    /** The will to register with the next CONNECT (asked before each one), or null for none. */
    Will willForNextConnect();

    /** Connected (the first time, or again after a reconnect); subscribe now. */
    void connected(boolean reconnect);

    /** The connection dropped; Paho reconnects on its own. */
    void connectionLost(String cause);

    /** A message; acknowledge it with {@link #ack} once it is stored. */
    void messageArrived(String topic, byte[] payload, int messageId, int qos, boolean duplicate);
  }

  /**
   * Connects once, waiting for the broker's answer.
   *
   * @throws io.ironlake.collector.mqtt.MqttClientException with the reason, e.g. a refused login
   */
  void connect();

  /**
   * Subscribes to the filters, waiting for the broker's answer.
   *
   * @throws io.ironlake.collector.mqtt.MqttClientException when the broker refuses one
   */
  void subscribe(String[] filters, int qos);

  /**
   * Unsubscribes from the filters, waiting for the broker's answer.
   *
   * @throws io.ironlake.collector.mqtt.MqttClientException when it fails
   */
  void unsubscribe(String[] filters);

  /** Publishes without waiting (Sparkplug rebirth requests); false when not connected. */
  boolean publish(String topic, byte[] payload, int qos, boolean retain);

  /** Acknowledges a QoS 1/2 message; a no-op for QoS 0 or when the connection is gone. */
  void ack(int messageId, int qos);

  /**
   * Whether the client reconnects on its own after a lost connection (Paho mqttv3 without a will);
   * otherwise the source calls {@link #connect} again with back-off (Paho mqttv5, whose automatic
   * reconnect was seen not to come back after a Mosquitto restart, and any client with a will,
   * which must carry the time of its own CONNECT).
   */
  boolean reconnectsItself();

  /** Disconnects (waiting a little for the broker) and frees the client. */
  @Override
  void close();
}
