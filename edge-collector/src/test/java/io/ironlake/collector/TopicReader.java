package io.ironlake.collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from the beginning, for tests: call {@link #poll()} inside a wait loop. */
final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

  TopicReader(String bootstrapServers, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(p);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(i -> new TopicPartition(topic, i.partition()))
            .collect(Collectors.toList());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Polls once and returns every record read so far. */
  List<ConsumerRecord<byte[], byte[]>> poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    return List.copyOf(records);
  }

  /**
   * Whether every partition has been read up to its current end offset: with copies on the topic a
   * count of records can reach a target before all distinct records are read.
   */
  boolean atEnd() {
    java.util.Set<TopicPartition> assigned = consumer.assignment();
    java.util.Map<TopicPartition, Long> ends =
        consumer.endOffsets(assigned, Duration.ofSeconds(10));
    for (TopicPartition tp : assigned) {
      if (consumer.position(tp, Duration.ofSeconds(10)) < ends.get(tp)) {
        return false;
      }
    }
    return true;
  }

  /** Every record read so far. */
  List<ConsumerRecord<byte[], byte[]>> records() {
    return List.copyOf(records);
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
