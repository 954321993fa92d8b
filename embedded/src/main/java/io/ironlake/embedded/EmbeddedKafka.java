package io.ironlake.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real one-node Apache Kafka broker (KRaft, combined broker and controller) running in this JVM.
 *
 * <p>It listens on 127.0.0.1 only, on free ports, keeps its logs under {@code <dataDir>/kafka} and
 * survives a restart over the same folder. Usage:
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
 *   kafka.createTopic("telemetry.v1", 3);
 *   producerProps.put("bootstrap.servers", kafka.bootstrapServers());
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String LOOPBACK = "127.0.0.1";
  private static final int START_ATTEMPTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  /** Bytes each partition keeps at most (the oldest segments go first); no time retention. */
  public static final long RETENTION_BYTES = 1L << 30;

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;
  private final Object adminLock = new Object();
  private Admin admin;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path logDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.logDir = logDir;
  }

  /**
   * Formats (first time only) and starts a broker whose data lives under {@code dataDir/kafka}, and
   * waits until it serves clients.
   */
  public static EmbeddedKafka start(Path dataDir) {
    return start(dataDir, 0);
  }

  /**
   * Like {@link #start(Path)}, with the client listener on {@code port} (0 = a free port). A fixed
   * port lets a test stop the broker and start it again at the same address, as clients of a real
   * broker see it; the controller still takes a free port.
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port " + port + ": expected 0..65535");
    }
    Path logDir = dataDir.toAbsolutePath().resolve("kafka");
    long startNanos = System.nanoTime();
    try {
      Files.createDirectories(logDir);
      format(logDir);
    } catch (Exception e) {
      throw new EmbeddedBrokerException(
          "Cannot start embedded Kafka: formatting " + logDir + " failed: " + e.getMessage(), e);
    }
    RuntimeException last = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      int brokerPort = port == 0 ? freeLoopbackPort() : port;
      int controllerPort = freeLoopbackPort();
      KafkaRaftServer server =
          new KafkaRaftServer(
              new KafkaConfig(config(logDir, brokerPort, controllerPort), false), Time.SYSTEM);
      try {
        server.startup();
      } catch (RuntimeException e) {
        shutdownQuietly(server);
        if (isBindFailure(e) && port == 0) {
          LOG.warn(
              "Embedded Kafka port taken, retrying: attempt={}, brokerPort={}, controllerPort={}",
              attempt,
              brokerPort,
              controllerPort);
          last = e;
          continue;
        }
        throw new EmbeddedBrokerException("Cannot start embedded Kafka: " + e.getMessage(), e);
      }
      String bootstrap = LOOPBACK + ":" + brokerPort;
      EmbeddedKafka kafka = new EmbeddedKafka(server, bootstrap, logDir);
      try {
        kafka.awaitReady();
      } catch (RuntimeException e) {
        kafka.close();
        throw e;
      }
      LOG.info(
          "Embedded Kafka started: bootstrapServers={}, logDir={}, startMillis={}",
          bootstrap,
          logDir,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      return kafka;
    }
    throw new EmbeddedBrokerException(
        "Cannot start embedded Kafka: no free port after " + START_ATTEMPTS + " attempts", last);
  }

  /** The address clients connect to, {@code "127.0.0.1:PORT"}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Creates a topic with replication factor 1 unless it exists already, and waits until every
   * partition has a leader.
   */
  public void createTopic(String name, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "Invalid partition count " + partitions + " for topic " + name + ": expected >= 1");
    }
    Admin client = admin();
    try {
      client
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      LOG.info("Topic created: topic={}, partitions={}", name, partitions);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new EmbeddedBrokerException(
            "Cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
      }
    } catch (TimeoutException e) {
      throw new EmbeddedBrokerException(
          "Cannot create topic " + name + ": no answer within " + TOPIC_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedBrokerException("Cannot create topic " + name + ": interrupted", e);
    }
    awaitLeaders(client, name);
  }

  /** Stops the broker; its data stays in the data folder. Calling it twice does nothing. */
  @Override
  public void close() {
    synchronized (adminLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
      }
    }
    long startNanos = System.nanoTime();
    shutdownQuietly(server);
    LOG.info(
        "Embedded Kafka stopped: bootstrapServers={}, stopMillis={}",
        bootstrapServers,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + bootstrapServers + ", " + logDir + "]";
  }

  private Admin admin() {
    synchronized (adminLock) {
      if (closed) {
        throw new EmbeddedBrokerException("Cannot use embedded Kafka: it is closed");
      }
      if (admin == null) {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ironlake-embedded-admin");
        admin = Admin.create(props);
      }
      return admin;
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (!admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedBrokerException("Cannot start embedded Kafka: interrupted", e);
      }
      pause();
    }
    throw new EmbeddedBrokerException(
        "Cannot start embedded Kafka: broker not ready within " + READY_TIMEOUT, last);
  }

  private static void awaitLeaders(Admin client, String topic) {
    long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        KafkaFuture<TopicDescription> future =
            client.describeTopics(Set.of(topic)).topicNameValues().get(topic);
        TopicDescription description = future.get(5, TimeUnit.SECONDS);
        if (description.partitions().stream().allMatch(EmbeddedKafka::hasLeader)) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new EmbeddedBrokerException(
              "Cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        }
      } catch (TimeoutException e) {
        // retry until the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedBrokerException("Cannot create topic " + topic + ": interrupted", e);
      }
      pause();
    }
    throw new EmbeddedBrokerException(
        "Cannot create topic " + topic + ": partitions have no leader after " + TOPIC_TIMEOUT);
  }

  private static boolean hasLeader(TopicPartitionInfo partition) {
    return partition.leader() != null && !partition.leader().isEmpty();
  }

  /** Short back-off between readiness probes (production code, not a test wait). */
  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedBrokerException("Cannot start embedded Kafka: interrupted", e);
    }
  }

  /**
   * Formats the log folder once, with Kafka's own storage tool (what {@code kafka-storage.sh
   * format} runs): a new cluster id, this node's id, the latest production metadata version.
   */
  private static void format(Path logDir) throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path configFile = Files.createTempFile(logDir.getParent(), "kafka-format-", ".properties");
    try {
      Properties props = new Properties();
      int port = freeLoopbackPort();
      config(logDir, port, port + 1).forEach((k, v) -> props.setProperty(k, v.toString()));
      try (Writer out = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
        props.store(out, "Ironlake embedded Kafka: used only to format the log folder");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      String[] args = {
        "format",
        "--cluster-id",
        Uuid.randomUuid().toString(),
        "--config",
        configFile.toString(),
        "--ignore-formatted"
      };
      int rc;
      try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        rc = StorageTool.execute(args, print);
      }
      if (rc != 0) {
        throw new IOException(
            "kafka-storage format exited with "
                + rc
                + ": "
                + output.toString(StandardCharsets.UTF_8).trim());
      }
    } finally {
      Files.deleteIfExists(configFile);
    }
  }

  private static Map<String, Object> config(Path logDir, int brokerPort, int controllerPort) {
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    props.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + LOOPBACK
            + ":"
            + controllerPort);
    props.put("advertised.listeners", BROKER_LISTENER + "://" + LOOPBACK + ":" + brokerPort);
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("log.dirs", logDir.toString());
    props.put("metadata.log.dir", logDir.toString());
    // One node: internal topics must not ask for more replicas than exist (STACK.md gotcha 2).
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    // Records keep their producers' timestamps, and replays, the simulator's history and tests
    // write event times months old: a time retention (7 days by default) would delete them at the
    // broker's first retention check, 30 s after start. Each partition is bounded by size instead.
    props.put("log.retention.ms", "-1");
    props.put("log.retention.bytes", Long.toString(RETENTION_BYTES));
    // Small machine: few threads, small cleaner buffer.
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "2");
    props.put("background.threads", "2");
    props.put("num.recovery.threads.per.data.dir", "1");
    props.put("log.cleaner.threads", "1");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    return props;
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new EmbeddedBrokerException(
          "Cannot start embedded Kafka: no free loopback port: " + e.getMessage(), e);
    }
  }

  private static boolean isBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
      String message = String.valueOf(t.getMessage());
      if (message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  private static void shutdownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Embedded Kafka did not stop cleanly: error={}", e.toString());
    }
  }
}
