package io.ironlake.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

  @TempDir static Path dataDir;

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start(dataDir);
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void listensOnLoopbackAndKeepsLogsUnderDataDir() {
    assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(dataDir.resolve("kafka").resolve("meta.properties")).exists();
  }

  @Test
  void createTopicIsIdempotentAndLeavesLeadersInPlace() throws Exception {
    kafka.createTopic("idempotent.v1", 3);
    kafka.createTopic("idempotent.v1", 3);

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      var description =
          admin
              .describeTopics(Set.of("idempotent.v1"))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get("idempotent.v1");
      assertThat(description.partitions()).hasSize(3);
      assertThat(description.partitions()).allSatisfy(p -> assertThat(p.leader()).isNotNull());
    }
  }

  @Test
  void rejectsInvalidPartitionCount() {
    assertThatThrownBy(() -> kafka.createTopic("bad.v1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid partition count 0");
  }

  @Test
  void doesNotCreateTopicsAutomatically() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      Properties props = producerProps();
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>("nope.v1", "k", "v")).get())
            .hasMessageContaining("nope.v1");
      }
      assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).doesNotContain("nope.v1");
    }
  }

  @Test
  void producesAndConsumesWithIdempotentProducerAndCommittedGroupOffsets() throws Exception {
    String topic = "roundtrip.v1";
    kafka.createTopic(topic, 2);
    int count = 200;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
      for (int i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "device-" + (i % 5), "value-" + i));
      }
      producer.flush();
    }

    List<String> received = new ArrayList<>();
    long closeMillis;
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps("group-a"))) {
      consumer.subscribe(List.of(topic));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                  received.add(r.value());
                }
                return received.size() >= count;
              });
      consumer.commitSync(Duration.ofSeconds(10));
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(
              Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)),
              Duration.ofSeconds(10));
      assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
          .isEqualTo(count);
      long start = System.nanoTime();
      consumer.close(Duration.ofSeconds(10));
      closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
    assertThat(received).hasSize(count).doesNotHaveDuplicates();
    assertThat(closeMillis).as("consumer close time (ms)").isLessThan(5_000);
  }

  @Test
  void restartsOverTheSameDataDirAndKeepsTopicsAndRecords(@TempDir Path ownDir) throws Exception {
    String firstAddress;
    try (EmbeddedKafka first = EmbeddedKafka.start(ownDir)) {
      firstAddress = first.bootstrapServers();
      first.createTopic("kept.v1", 1);
      Properties props = producerProps();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers());
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
        producer.send(new ProducerRecord<>("kept.v1", "k", "before-restart")).get();
      }
    }
    int port = Integer.parseInt(firstAddress.substring(firstAddress.lastIndexOf(':') + 1));
    try (EmbeddedKafka second = EmbeddedKafka.start(ownDir, port)) {
      assertThat(second.bootstrapServers()).as("same address again").isEqualTo(firstAddress);
      second.createTopic("kept.v1", 1);
      Properties props = consumerProps("group-restart");
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers());
      List<String> received = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
        consumer.subscribe(List.of("kept.v1"));
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
                  return !received.isEmpty();
                });
      }
      assertThat(received).containsExactly("before-restart");
    }
  }

  private static Properties producerProps() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    return props;
  }

  private static Properties consumerProps(String group) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return props;
  }
}
