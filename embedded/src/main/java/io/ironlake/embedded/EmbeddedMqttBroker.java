package io.ironlake.embedded;

import io.moquette.BrokerConstants;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 3.1.1 broker (Moquette) running in this JVM on 127.0.0.1, for the quickstart and the
 * tests.
 *
 * <p>It accepts anonymous clients and has no TLS: never expose it beyond the local machine. Usage:
 *
 * <pre>{@code
 * try (EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0, dir)) {
 *   MqttClient client = new MqttClient(broker.url(), "me");
 * }
 * }</pre>
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

  private static final String LOOPBACK = "127.0.0.1";

  private final Server server;
  private final int port;
  private boolean closed;

  private EmbeddedMqttBroker(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts a broker on 127.0.0.1 and {@code port} (0 picks a free port). Sessions and queued QoS
   * 1/2 messages persist under {@code dataDir/mqtt}; a null {@code dataDir} keeps them in memory.
   */
  public static EmbeddedMqttBroker start(int port, Path dataDir) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Invalid MQTT port " + port + ": expected 0 (a free port) to 65535");
    }
    long startNanos = System.nanoTime();
    int listenPort = port == 0 ? freeLoopbackPort() : port;
    Properties props = new Properties();
    props.setProperty(BrokerConstants.HOST_PROPERTY_NAME, LOOPBACK);
    props.setProperty(BrokerConstants.PORT_PROPERTY_NAME, Integer.toString(listenPort));
    props.setProperty(
        BrokerConstants.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    props.setProperty(BrokerConstants.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
    // Moquette reports usage to its authors over the internet unless told not to.
    props.setProperty(BrokerConstants.ENABLE_TELEMETRY_NAME, "false");
    props.setProperty(BrokerConstants.BUFFER_FLUSH_MS_PROPERTY_NAME, "0");
    props.setProperty(BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, Integer.toString(256 * 1024));
    if (dataDir != null) {
      Path mqttDir = dataDir.toAbsolutePath().resolve("mqtt");
      try {
        Files.createDirectories(mqttDir);
      } catch (IOException e) {
        throw new EmbeddedBrokerException(
            "Cannot start embedded MQTT broker: cannot create " + mqttDir + ": " + e.getMessage(),
            e);
      }
      props.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "true");
      props.setProperty(BrokerConstants.DATA_PATH_PROPERTY_NAME, mqttDir + "/");
    } else {
      props.setProperty(BrokerConstants.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
    }
    Server server = new Server();
    try {
      server.startServer(new MemoryConfig(props), List.of());
    } catch (IOException | RuntimeException e) {
      server.stopServer();
      throw new EmbeddedBrokerException(
          "Cannot start embedded MQTT broker on "
              + LOOPBACK
              + ":"
              + listenPort
              + ": "
              + e.getMessage(),
          e);
    }
    // Moquette logs a failed bind instead of throwing: check that the port answers.
    if (!answers(listenPort)) {
      server.stopServer();
      throw new EmbeddedBrokerException(
          "Cannot start embedded MQTT broker on "
              + LOOPBACK
              + ":"
              + listenPort
              + ": nothing listens there after start (port in use?)");
    }
    int boundPort = listenPort;
    LOG.warn(
        "Embedded MQTT broker accepts anonymous clients without TLS (quickstart/tests only):"
            + " url=tcp://{}:{}",
        LOOPBACK,
        boundPort);
    LOG.info(
        "Embedded MQTT broker started: url=tcp://{}:{}, persistent={}, startMillis={}",
        LOOPBACK,
        boundPort,
        dataDir != null,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    return new EmbeddedMqttBroker(server, boundPort);
  }

  /** The broker URL for Paho clients, {@code "tcp://127.0.0.1:PORT"}. */
  public String url() {
    return "tcp://" + LOOPBACK + ":" + port;
  }

  /** The TCP port the broker listens on. */
  public int port() {
    return port;
  }

  /** Stops the broker. Calling it twice does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    server.stopServer();
    LOG.info(
        "Embedded MQTT broker stopped: url={}, stopMillis={}",
        url(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new EmbeddedBrokerException(
          "Cannot start embedded MQTT broker: no free loopback port: " + e.getMessage(), e);
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "EmbeddedMqttBroker[" + url() + "]";
  }
}
