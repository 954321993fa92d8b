package io.ironlake.jobs.rules;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules topic: creates it (compacted, one partition) and publishes catalogs on it, each
 * validated first, as one record per catalog name with the next version number.
 *
 * <pre>{@code
 * PublishedCatalog p = RuleTopic.publish("127.0.0.1:9092", "rules.v1", Path.of("rules.yaml"),
 *     Clock.systemUTC());
 * }</pre>
 */
public final class RuleTopic {
  private static final Logger LOG = LoggerFactory.getLogger(RuleTopic.class);
  private static final long TIMEOUT_SECONDS = 30;

  private RuleTopic() {}

  /** Validates the file (throws {@link RuleCatalogException}) and publishes it. */
  public static PublishedCatalog publish(
      String bootstrapServers, String topic, Path file, Clock clock) {
    MatchingRuleCatalog catalog = RuleCatalogFile.load(file);
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (java.io.IOException e) {
      throw new RuleCatalogException(List.of("Cannot read rule catalog " + file + ": " + e));
    }
    return publish(bootstrapServers, topic, catalog.name(), yaml, clock);
  }

  /**
   * Validates the text and publishes it under {@code name}, with version one above the newest on
   * the topic for that name; creates the topic if missing.
   */
  public static PublishedCatalog publish(
      String bootstrapServers, String topic, String name, String yaml, Clock clock) {
    RuleCatalogFile.parse(yaml, "catalog " + name);
    createIfMissing(bootstrapServers, topic);
    long version = latestVersion(bootstrapServers, topic, name) + 1;
    PublishedCatalog p = PublishedCatalog.of(name, version, clock.millis(), yaml);
    send(bootstrapServers, topic, name, p.toJson());
    LOG.info("rules published: topic={}, catalog={}", topic, p.label());
    return p;
  }

  /** Writes one raw record (for tools and tests; the jobs refuse what does not validate). */
  public static void send(String bootstrapServers, String topic, String key, String value) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "ironlake-rules-publisher");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot publish rules to " + topic + ": interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("Cannot publish rules to " + topic + ": " + cause, e);
    }
  }

  /** The highest version published under {@code name} (0: none), reading the whole topic. */
  public static long latestVersion(String bootstrapServers, String topic, String name) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ironlake-rules-publisher");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    long latest = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos =
          consumer.partitionsFor(topic, Duration.ofSeconds(TIMEOUT_SECONDS));
      List<TopicPartition> parts =
          infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      Map<TopicPartition, Long> end = consumer.endOffsets(parts);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Cannot read rules topic " + topic + ": timed out before its end");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() == null
              || r.value() == null
              || !name.equals(new String(r.key(), StandardCharsets.UTF_8))) {
            continue;
          }
          try {
            latest =
                Math.max(
                    latest,
                    PublishedCatalog.fromJson(new String(r.value(), StandardCharsets.UTF_8))
                        .version());
          } catch (IllegalArgumentException e) {
            // Not ours (another tool's record); it has no version to continue from.
          }
        }
      }
    }
    return latest;
  }

  /**
   * Creates the topic compacted with one partition, if missing (an existing topic is left as it
   * is).
   */
  public static void createIfMissing(String bootstrapServers, String topic) {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "ironlake-rules-admin"))) {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (existing.contains(topic)) {
        return;
      }
      NewTopic t =
          new NewTopic(topic, Optional.of(1), Optional.empty())
              .configs(
                  Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      try {
        admin.createTopics(List.of(t)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("rules topic created: topic={}, cleanupPolicy=compact, partitions=1", topic);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot create rules topic " + topic + ": interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("Cannot create rules topic " + topic + ": " + cause, e);
    }
  }
}
