package io.ironlake.collector.mqtt.internal;

import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.mqtt.MqttClientException;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MqttConnection} over Paho mqttv3, for MQTT 3.1.1 brokers: Paho's automatic reconnect,
 * except with a will (a Sparkplug host), whose CONNECTs the source makes itself.
 */
public final class PahoV3Connection implements MqttConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PahoV3Connection.class);

  private final MqttSourceConfig config;
  private final Listener listener;
  private final MqttAsyncClient client;

  public PahoV3Connection(MqttSourceConfig config, Listener listener) {
    this.config = config;
    this.listener = listener;
    try {
      client = new MqttAsyncClient(config.broker(), config.clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new MqttClientException(
          "Cannot create an MQTT client for " + config.broker() + ": " + e.getMessage(),
          e.getReasonCode(),
          e);
    }
    client.setManualAcks(true);
    client.setCallback(
        new MqttCallbackExtended() {
          @Override
          public void connectComplete(boolean reconnect, String serverUri) {
            listener.connected(reconnect);
          }

          @Override
          public void connectionLost(Throwable cause) {
            listener.connectionLost(String.valueOf(cause));
          }

          @Override
          public void messageArrived(String topic, MqttMessage m) {
            listener.messageArrived(topic, m.getPayload(), m.getId(), m.getQos(), m.isDuplicate());
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
  }

  @Override
  public void connect() {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(config.cleanSession());
    o.setKeepAliveInterval(config.keepAliveSeconds());
    Will will = listener.willForNextConnect();
    if (will != null) {
      o.setWill(will.topic(), will.payload(), will.qos(), will.retain());
    }
    o.setAutomaticReconnect(reconnectsItself());
    o.setMaxReconnectDelay(30_000);
    o.setConnectionTimeout(10);
    if (config.auth() != null) {
      o.setUserName(config.auth().username());
      char[] password = ClientSecurity.password(config.auth());
      if (password != null) {
        o.setPassword(password);
      }
    }
    SocketFactory sockets = ClientSecurity.sockets(config);
    if (sockets != null) {
      o.setSocketFactory(sockets);
    }
    if (config.tls() != null) {
      o.setHttpsHostnameVerificationEnabled(config.tls().verifyHostname());
    }
    try {
      client.connect(o).waitForCompletion(15_000);
    } catch (MqttException e) {
      throw connectFailure(config, e.getReasonCode(), e.getMessage(), e, false);
    }
  }

  /** "Cannot connect to URL[ as USER]: reason (reason code N)[: cause]". */
  static MqttClientException connectFailure(
      MqttSourceConfig config, int code, String message, Exception e, boolean mqtt5) {
    String why = MqttReasons.describe(code, mqtt5);
    Throwable cause = e.getCause();
    StringBuilder sb =
        new StringBuilder("Cannot connect to ").append(config.broker()).append(" (MQTT ");
    sb.append(config.mqttVersion()).append(", client id ").append(config.clientId());
    if (config.auth() != null) {
      sb.append(", user ").append(config.auth().username());
    }
    sb.append("): ").append(why == null ? message : why).append(" (reason code ").append(code);
    sb.append(')');
    if (cause != null) {
      sb.append(": ").append(cause.getClass().getSimpleName()).append(": ");
      sb.append(cause.getMessage());
    }
    return new MqttClientException(sb.toString(), code, e);
  }

  @Override
  public void subscribe(String[] filters, int qos) {
    int[] levels = new int[filters.length];
    java.util.Arrays.fill(levels, qos);
    try {
      IMqttToken token = client.subscribe(filters, levels);
      token.waitForCompletion(15_000);
      int[] granted = token.getGrantedQos();
      for (int i = 0; granted != null && i < granted.length && i < filters.length; i++) {
        if (granted[i] == 0x80) {
          throw new MqttClientException(
              "Cannot subscribe to " + filters[i] + " on " + config.broker() + ": refused (0x80)",
              0x80,
              null);
        }
      }
    } catch (MqttException e) {
      throw new MqttClientException(
          "Cannot subscribe on " + config.broker() + ": " + e.getMessage(), e.getReasonCode(), e);
    }
  }

  @Override
  public void unsubscribe(String[] filters) {
    try {
      client.unsubscribe(filters).waitForCompletion(15_000);
    } catch (MqttException e) {
      throw new MqttClientException(
          "Cannot unsubscribe on " + config.broker() + ": " + e.getMessage(), e.getReasonCode(), e);
    }
  }

  @Override
  public boolean publish(String topic, byte[] payload, int qos, boolean retain) {
    try {
      client.publish(topic, payload, qos, retain);
      return true;
    } catch (MqttException e) {
      LOG.warn(
          "mqtt publish failed: source={}, topic={}, error={}", config.name(), topic, e.toString());
      return false;
    }
  }

  @Override
  public void ack(int messageId, int qos) {
    if (qos == 0) {
      return;
    }
    try {
      client.messageArrivedComplete(messageId, qos);
    } catch (MqttException e) {
      LOG.debug(
          "mqtt ack failed: source={}, messageId={}, error={}",
          config.name(),
          messageId,
          e.toString());
    }
  }

  @Override
  public boolean reconnectsItself() {
    return !config.sparkplugHost();
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(5_000).waitForCompletion(6_000);
      }
    } catch (MqttException e) {
      LOG.debug("mqtt disconnect failed: source={}, error={}", config.name(), e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("mqtt close failed: source={}, error={}", config.name(), e.toString());
    }
  }
}
