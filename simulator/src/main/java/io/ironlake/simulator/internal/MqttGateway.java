package io.ironlake.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.simulator.SimulatorException;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated shop-floor gateway: one JSON message per machine per tick, QoS 1, on {@code
 * factory/<site>/<area>/<line>/<device>/telemetry}.
 *
 * <p>Payload: {@code {"ts": <epoch millis>, "values": {"power_kw": 12.5, "energy_kwh": 1034.25,
 * "state": "RUNNING", "good_count": 120, "total_count": 124, "diameter_mm": 12.003,
 * "temperature_c": 41.2}}}; doubles are always JSON floats, counters JSON integers.
 */
public final class MqttGateway implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MqttGateway.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MqttClient client;
  private final String brokerUrl;
  private long failures;

  private MqttGateway(MqttClient client, String brokerUrl) {
    this.client = client;
    this.brokerUrl = brokerUrl;
  }

  /** Connects to the broker (MQTT 3.1.1, clean session, automatic reconnect). */
  public static MqttGateway connect(String brokerUrl, String site) {
    String clientId = "ironlake-sim-" + site + "-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      MqttClient client = new MqttClient(brokerUrl, clientId, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setCleanSession(true);
      options.setAutomaticReconnect(true);
      options.setConnectionTimeout(10);
      options.setMaxInflight(1000);
      client.setTimeToWait(10_000);
      client.connect(options);
      LOG.info("MQTT gateway simulator connected: broker={}, clientId={}", brokerUrl, clientId);
      return new MqttGateway(client, brokerUrl);
    } catch (MqttException e) {
      throw new SimulatorException(
          "Cannot connect MQTT gateway simulator to "
              + brokerUrl
              + ": "
              + e.getMessage()
              + " (reason code "
              + e.getReasonCode()
              + ")",
          e);
    }
  }

  /** The topic of one device's messages. */
  public static String topic(String site, String area, String line, String device) {
    return "factory/" + site + "/" + area + "/" + line + "/" + device + "/telemetry";
  }

  /** The JSON payload of one tick of one device. */
  public static byte[] payload(long tsMillis, Map<String, PointValue> values) {
    ObjectNode root = JSON.createObjectNode();
    root.put("ts", tsMillis);
    ObjectNode fields = root.putObject("values");
    values.forEach(
        (tag, value) -> {
          if (value instanceof PointValue.DoubleValue d) {
            fields.put(tag, d.value());
          } else if (value instanceof PointValue.LongValue l) {
            fields.put(tag, l.value());
          } else if (value instanceof PointValue.BooleanValue b) {
            fields.put(tag, b.value());
          } else {
            fields.put(tag, value.asText());
          }
        });
    try {
      return JSON.writeValueAsBytes(root);
    } catch (Exception e) {
      throw new SimulatorException("Cannot encode MQTT payload: " + e.getMessage(), e);
    }
  }

  /**
   * Publishes one message with QoS 1 and waits for the broker's acknowledgement.
   *
   * @return true if the broker acknowledged it; false if it was dropped (gateway offline)
   */
  public boolean publish(String topic, byte[] payload) {
    try {
      client.publish(topic, payload, 1, false);
      return true;
    } catch (MqttException e) {
      failures++;
      if (failures == 1 || failures % 1000 == 0) {
        LOG.warn(
            "MQTT gateway simulator dropped a message: broker={}, topic={}, droppedSoFar={},"
                + " reasonCode={}, error={}",
            brokerUrl,
            topic,
            failures,
            e.getReasonCode(),
            e.getMessage());
      }
      return false;
    }
  }

  /** Messages dropped because the broker was unreachable. */
  public long failures() {
    return failures;
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(2_000);
      }
    } catch (MqttException e) {
      LOG.debug("MQTT gateway disconnect: error={}", e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("MQTT gateway close: error={}", e.toString());
    }
  }
}
