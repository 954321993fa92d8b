package io.ironlake.bench.collector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The MQTT side of the benchmark: the messages (simulator JSON, seven values each, round-robin over
 * the devices), a publisher that sends them at QoS 1 as fast as the broker acknowledges them (a
 * window of {@value #WINDOW} unacknowledged publishes), and a count-only subscriber (ceiling A).
 */
final class MqttLoad {
  static final String FILTER = "factory/+/+/+/+/telemetry";
  static final String PATTERN = "factory/{site}/{area}/{line}/{device}/telemetry";

  /**
   * Unacknowledged publishes at a time. Moquette drops a publish (no PUBACK, message lost) when its
   * session command queue is full, which a wider window caused here when the broker's thread was
   * short of CPU; 64 keeps the publisher ahead of every consumer measured.
   */
  static final int WINDOW = 64;

  private static final int PUBACK_TIMEOUT_S = 30;

  final List<String> topics;
  final List<byte[]> payloads;

  private MqttLoad(List<String> topics, List<byte[]> payloads) {
    this.topics = topics;
    this.payloads = payloads;
  }

  /** {@code messages} messages over {@code devices} devices, one tick per device per round. */
  static MqttLoad generate(int messages, int devices, long startMillis) {
    List<String> topics = new ArrayList<>(messages);
    List<byte[]> payloads = new ArrayList<>(messages);
    for (int i = 0; i < messages; i++) {
      int device = i % devices;
      long tick = i / devices;
      topics.add(SampleTelemetry.topic(device));
      payloads.add(
          SampleTelemetry.json(startMillis + tick * 100, SampleTelemetry.values(device, tick)));
    }
    return new MqttLoad(List.copyOf(topics), List.copyOf(payloads));
  }

  int messages() {
    return payloads.size();
  }

  long points() {
    return (long) payloads.size() * SampleTelemetry.TAGS.size();
  }

  /** Connects a publisher for these messages; its threads live until {@link Publisher#close()}. */
  Publisher publisher(String brokerUrl, String clientId) {
    return new Publisher(brokerUrl, clientId);
  }

  /**
   * Publishes every message at QoS 1 on its own thread, as fast as the broker acknowledges them.
   */
  final class Publisher implements AutoCloseable {
    private final MqttAsyncClient client;
    private final ExecutorService thread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "ironlake-bench-publisher"));

    private Publisher(String brokerUrl, String clientId) {
      try {
        client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        MqttConnectOptions o = options(true);
        o.setMaxInflight(WINDOW);
        client.connect(o).waitForCompletion(10_000);
      } catch (MqttException e) {
        throw new IllegalStateException("Cannot connect publisher to " + brokerUrl, e);
      }
    }

    /** Starts publishing every message; completes once the broker acknowledged them all. */
    CompletableFuture<Void> publishAll() {
      return CompletableFuture.runAsync(this::publish, thread);
    }

    private void publish() {
      try {
        Semaphore window = new Semaphore(WINDOW);
        AtomicLong failures = new AtomicLong();
        IMqttActionListener release =
            new IMqttActionListener() {
              @Override
              public void onSuccess(IMqttToken token) {
                window.release();
              }

              @Override
              public void onFailure(IMqttToken token, Throwable e) {
                failures.incrementAndGet();
                window.release();
              }
            };
        for (int i = 0; i < payloads.size(); i++) {
          if (!window.tryAcquire(PUBACK_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                "Cannot publish: no PUBACK for "
                    + PUBACK_TIMEOUT_S
                    + " s; the broker dropped publishes (a full Moquette session queue logs"
                    + " a WARN)");
          }
          MqttMessage m = new MqttMessage(payloads.get(i));
          m.setQos(1);
          client.publish(topics.get(i), m, null, release);
        }
        if (!window.tryAcquire(WINDOW, PUBACK_TIMEOUT_S, TimeUnit.SECONDS)) {
          throw new IllegalStateException(
              "Cannot publish: the broker did not acknowledge the last publishes in time");
        }
        window.release(WINDOW);
        if (failures.get() > 0) {
          throw new IllegalStateException(
              "Cannot publish: " + failures.get() + " publishes failed");
        }
      } catch (MqttException e) {
        throw new IllegalStateException("Cannot publish: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot publish: interrupted", e);
      }
    }

    @Override
    public void close() {
      thread.shutdownNow();
      try {
        client.disconnect(5_000).waitForCompletion(6_000);
        client.close();
      } catch (MqttException e) {
        throw new IllegalStateException("Cannot close publisher", e);
      }
    }
  }

  static MqttConnectOptions options(boolean cleanSession) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(cleanSession);
    o.setConnectionTimeout(10);
    return o;
  }

  /**
   * Makes the broker forget the persistent session of {@code clientId}, so it stops queueing
   * messages for a client that is gone.
   */
  static void forgetSession(String brokerUrl, String clientId) {
    try {
      MqttAsyncClient c = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
      c.connect(options(true)).waitForCompletion(10_000);
      c.disconnect(5_000).waitForCompletion(6_000);
      c.close();
    } catch (MqttException e) {
      throw new IllegalStateException("Cannot clear MQTT session " + clientId, e);
    }
  }

  /**
   * Ceiling A's subscriber: QoS 1, a persistent session and automatic acknowledgements like the
   * collector's defaults; it only counts messages.
   */
  static final class CountingSubscriber implements AutoCloseable {
    private final MqttAsyncClient client;
    private final String brokerUrl;
    private final String clientId;
    private final AtomicLong messages = new AtomicLong();

    CountingSubscriber(String brokerUrl, String clientId) {
      this.brokerUrl = brokerUrl;
      this.clientId = clientId;
      try {
        client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(
            new MqttCallback() {
              @Override
              public void connectionLost(Throwable cause) {}

              @Override
              public void messageArrived(String topic, MqttMessage message) {
                messages.incrementAndGet();
              }

              @Override
              public void deliveryComplete(IMqttDeliveryToken token) {}
            });
        client.connect(options(false)).waitForCompletion(10_000);
        client.subscribe(FILTER, 1).waitForCompletion(10_000);
      } catch (MqttException e) {
        throw new IllegalStateException("Cannot subscribe to " + brokerUrl, e);
      }
    }

    long messages() {
      return messages.get();
    }

    @Override
    public void close() {
      try {
        client.disconnect(5_000).waitForCompletion(6_000);
        client.close();
      } catch (MqttException e) {
        throw new IllegalStateException("Cannot close subscriber " + clientId, e);
      }
      forgetSession(brokerUrl, clientId);
    }
  }
}
