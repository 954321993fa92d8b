package io.ironlake.collector.mqtt.internal;

import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.mqtt.MqttClientException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link MqttConnection} over Paho mqttv5: clean start false with a session expiry interval. */
public final class PahoV5Connection implements MqttConnection {
  private static final Logger LOG = LoggerFactory.getLogger(PahoV5Connection.class);

  private final MqttSourceConfig config;
  private final Listener listener;
  private volatile MqttAsyncClient client;

  public PahoV5Connection(MqttSourceConfig config, Listener listener) {
    this.config = config;
    this.listener = listener;
    this.client = newClient();
  }

  private MqttAsyncClient newClient() {
    MqttAsyncClient c;
    try {
      c = new MqttAsyncClient(config.broker(), config.clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new MqttClientException(
          "Cannot create an MQTT client for " + config.broker() + ": " + e.getMessage(),
          e.getReasonCode(),
          e);
    }
    c.setManualAcks(true);
    c.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            listener.connectionLost(String.valueOf(response));
          }

          @Override
          public void mqttErrorOccurred(MqttException e) {
            LOG.warn("mqtt error: source={}, error={}", config.name(), e.toString());
          }

          @Override
          public void messageArrived(String topic, MqttMessage m) {
            listener.messageArrived(topic, m.getPayload(), m.getId(), m.getQos(), m.isDuplicate());
          }

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {
            listener.connected(reconnect);
          }

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    return c;
  }

  @Override
  public void connect() {
    MqttConnectionOptions o = new MqttConnectionOptions();
    o.setCleanStart(config.cleanSession());
    o.setSessionExpiryInterval(config.cleanSession() ? 0L : config.sessionExpirySeconds());
    o.setKeepAliveInterval(config.keepAliveSeconds());
    o.setAutomaticReconnect(false); // the source reconnects, see reconnectsItself()
    o.setConnectionTimeout(10);
    o.setReceiveMaximum(io.ironlake.collector.mqtt.MqttSource.RECEIVE_MAXIMUM);
    if (config.auth() != null) {
      o.setUserName(config.auth().username());
      char[] password = ClientSecurity.password(config.auth());
      if (password != null) {
        o.setPassword(new String(password).getBytes(StandardCharsets.UTF_8));
        Arrays.fill(password, '\0');
      }
    }
    SocketFactory sockets = ClientSecurity.sockets(config);
    if (sockets != null) {
      o.setSocketFactory(sockets);
    }
    if (config.tls() != null) {
      o.setHttpsHostnameVerificationEnabled(config.tls().verifyHostname());
    }
    Will will = listener.willForNextConnect();
    if (will != null) {
      o.setWill(will.topic(), new MqttMessage(will.payload(), will.qos(), will.retain(), null));
    }
    try {
      client.connect(o).waitForCompletion(15_000);
    } catch (MqttException e) {
      // A connect that timed out leaves Paho mqttv5 "connecting" for good (32110 on every later
      // attempt): start the next attempt with a fresh client (same client id, same session).
      MqttAsyncClient stuck = client;
      try {
        stuck.disconnectForcibly(0, 1000, false);
      } catch (MqttException ignored) {
        // not connected: nothing to disconnect
      }
      try {
        stuck.close(true);
      } catch (MqttException ignored) {
        // closing is best effort
      }
      client = newClient();
      throw PahoV3Connection.connectFailure(config, e.getReasonCode(), e.getMessage(), e, true);
    }
  }

  @Override
  public void subscribe(String[] filters, int qos) {
    MqttSubscription[] subs = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subs[i] = new MqttSubscription(filters[i], qos);
    }
    try {
      IMqttToken token = client.subscribe(subs);
      token.waitForCompletion(15_000);
      int[] codes = token.getReasonCodes();
      for (int i = 0; codes != null && i < codes.length && i < filters.length; i++) {
        if (codes[i] >= 0x80) {
          String why = MqttReasons.describe(codes[i], true);
          throw new MqttClientException(
              "Cannot subscribe to "
                  + filters[i]
                  + " on "
                  + config.broker()
                  + ": "
                  + (why == null ? "refused" : why)
                  + " (reason code "
                  + codes[i]
                  + ")",
              codes[i],
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
      MqttMessage m = new MqttMessage(payload, qos, retain, null);
      client.publish(topic, m);
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
    return false;
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
