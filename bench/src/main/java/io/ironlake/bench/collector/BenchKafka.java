package io.ironlake.bench.collector;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The benchmark's Kafka broker: {@code telemetry.v1} with broker-side timestamps ({@code
 * message.timestamp.type=LogAppendTime}, so each record carries the time the broker appended it)
 * and {@code deadletter.v1}; it can be stopped and started again at the same address. It runs in
 * the benchmark's JVM, or with {@link #startJvm} in a JVM of its own ({@link BrokerProcess}).
 */
final class BenchKafka implements AutoCloseable {
  private final int partitions;
  private final Broker broker;

  private BenchKafka(int partitions, Broker broker) {
    this.partitions = partitions;
    this.broker = broker;
  }

  /** Starts the broker in this JVM. */
  static BenchKafka start(Path dir, int partitions) {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir);
    createTopics(kafka, partitions);
    return new BenchKafka(partitions, new InJvm(dir, kafka));
  }

  /** Starts the broker in a JVM of its own with {@code jvmOpts} (options separated by spaces). */
  static BenchKafka startJvm(Path dir, int partitions, String jvmOpts) throws IOException {
    return new BenchKafka(
        partitions,
        new OwnJvm(dir, partitions, jvmOpts, BrokerProcess.start(dir, 0, partitions, jvmOpts)));
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /**
   * CPU time of the broker's own JVM since it first started, nanoseconds; 0 when the broker runs in
   * this JVM (its CPU time is this process's). A stopped broker JVM counts up to its stop request.
   */
  long cpuNanos() {
    return broker.cpuNanos();
  }

  /** Stops the broker; its data stays. */
  void stop() {
    broker.stop();
  }

  /** Starts the broker again over the same data, at the same address. */
  void restart() {
    broker.restart();
  }

  /** Where the broker runs; it can be stopped and started again at the same address. */
  private interface Broker {
    String bootstrapServers();

    long cpuNanos();

    void stop();

    void restart();

    /** Stops the broker if it runs. */
    void close();
  }

  /** The broker in this JVM. */
  private static final class InJvm implements Broker {
    private final Path dir;
    private final String bootstrapServers;
    private EmbeddedKafka kafka; // null while stopped

    InJvm(Path dir, EmbeddedKafka kafka) {
      this.dir = dir;
      this.kafka = kafka;
      this.bootstrapServers = kafka.bootstrapServers();
    }

    @Override
    public String bootstrapServers() {
      return bootstrapServers;
    }

    @Override
    public long cpuNanos() {
      return 0;
    }

    @Override
    public void stop() {
      kafka.close();
      kafka = null;
    }

    @Override
    public void restart() {
      kafka = EmbeddedKafka.start(dir, port(bootstrapServers));
    }

    @Override
    public void close() {
      if (kafka != null) {
        stop();
      }
    }
  }

  /** The broker in a JVM of its own ({@link BrokerProcess}). */
  private static final class OwnJvm implements Broker {
    private final Path dir;
    private final int partitions;
    private final String jvmOpts;
    private final String bootstrapServers;
    private BrokerProcess process; // null while stopped
    private long retiredCpuNanos;

    OwnJvm(Path dir, int partitions, String jvmOpts, BrokerProcess process) {
      this.dir = dir;
      this.partitions = partitions;
      this.jvmOpts = jvmOpts;
      this.process = process;
      this.bootstrapServers = process.bootstrapServers();
    }

    @Override
    public String bootstrapServers() {
      return bootstrapServers;
    }

    @Override
    public long cpuNanos() {
      return process == null ? retiredCpuNanos : retiredCpuNanos + process.cpuNanos();
    }

    @Override
    public void stop() {
      retiredCpuNanos += process.cpuNanos();
      process.close();
      process = null;
    }

    @Override
    public void restart() {
      try {
        process = BrokerProcess.start(dir, port(bootstrapServers), partitions, jvmOpts);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot restart the Kafka broker JVM: " + e, e);
      }
    }

    @Override
    public void close() {
      if (process != null) {
        stop();
      }
    }
  }

  private static int port(String bootstrapServers) {
    return Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
  }

  /**
   * Creates the benchmark's topics on {@code kafka}: telemetry with {@code LogAppendTime} and
   * {@code partitions} partitions, and the dead letters, each once its partitions have leaders.
   */
  static void createTopics(EmbeddedKafka kafka, int partitions) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      NewTopic telemetry =
          new NewTopic(Topics.TELEMETRY, partitions, (short) 1)
              .configs(Map.of("message.timestamp.type", "LogAppendTime"));
      admin.createTopics(List.of(telemetry)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create " + Topics.TELEMETRY, e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot create topics: interrupted", e);
    }
    kafka.createTopic(Topics.TELEMETRY, partitions); // waits for the leaders
    kafka.createTopic(Topics.DEADLETTER, 1);
  }

  /** The end offset of each partition of the telemetry topic. */
  Map<TopicPartition, Long> endOffsets() {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      return c.endOffsets(telemetryPartitions());
    }
  }

  /**
   * Reads the telemetry records written since {@code from} and returns, for each point of {@code
   * collectorId} that the collector read between {@code fromMicros} and {@code toMicros}, the
   * broker's append time minus the point's {@code ingest_ts}, in microseconds.
   */
  List<Long> appendLatenciesMicros(
      Map<TopicPartition, Long> from, String collectorId, long fromMicros, long toMicros) {
    List<Long> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts = telemetryPartitions();
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      c.assign(parts);
      parts.forEach(p -> c.seek(p, from.getOrDefault(p, 0L)));
      Map<TopicPartition, Long> position = new HashMap<>(from);
      while (parts.stream().anyMatch(p -> position.getOrDefault(p, 0L) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          position.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
            throw new IllegalStateException("Cannot measure latency: records lack LogAppendTime");
          }
          TelemetryPoint p = TelemetryCodec.decode(r.value());
          if (p.collectorId().equals(collectorId)
              && p.ingestTsMicros() >= fromMicros
              && p.ingestTsMicros() < toMicros) {
            out.add(r.timestamp() * 1_000 - p.ingestTsMicros());
          }
        }
      }
    }
    return out;
  }

  /**
   * Reads the telemetry records written since {@code from} and gives, per source of {@code
   * collectorId}, which {@code seq} numbers Kafka holds ({@link Identities}: gaps and duplicates).
   */
  Map<String, Identities> identities(Map<TopicPartition, Long> from, String collectorId) {
    Map<String, long[]> seqs = new HashMap<>();
    Map<String, Integer> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts = telemetryPartitions();
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      c.assign(parts);
      parts.forEach(p -> c.seek(p, from.getOrDefault(p, 0L)));
      Map<TopicPartition, Long> position = new HashMap<>(from);
      while (parts.stream().anyMatch(p -> position.getOrDefault(p, 0L) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          position.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
          TelemetryPoint p = TelemetryCodec.decode(r.value());
          if (!p.collectorId().equals(collectorId)) {
            continue;
          }
          int n = counts.getOrDefault(p.source(), 0);
          long[] a = seqs.computeIfAbsent(p.source(), s -> new long[1 << 16]);
          if (n == a.length) {
            a = java.util.Arrays.copyOf(a, n * 2);
            seqs.put(p.source(), a);
          }
          a[n] = p.seq();
          counts.put(p.source(), n + 1);
        }
      }
    }
    Map<String, Identities> out = new java.util.TreeMap<>();
    seqs.forEach((source, a) -> out.put(source, Identities.of(a, counts.get(source))));
    return out;
  }

  /**
   * Counts the records in the telemetry topic beyond {@code from} (what a collector in its own JVM
   * delivered), asking the broker at most every 50 ms; close it when done.
   */
  final class Written implements java.util.function.LongSupplier, AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer = consumer();
    private final long base;
    private long last;
    private long askedNanos;

    Written(Map<TopicPartition, Long> from) {
      base = from.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public synchronized long getAsLong() {
      if (System.nanoTime() - askedNanos >= 50_000_000L) {
        long end =
            consumer.endOffsets(telemetryPartitions()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        last = end - base;
        askedNanos = System.nanoTime();
      }
      return last;
    }

    @Override
    public synchronized void close() {
      consumer.close();
    }
  }

  private List<TopicPartition> telemetryPartitions() {
    List<TopicPartition> parts = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      parts.add(new TopicPartition(Topics.TELEMETRY, i));
    }
    return parts;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    return new KafkaConsumer<>(p);
  }

  @Override
  public void close() {
    broker.close();
  }
}
