package io.ironlake.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ironlake.lakehouse.tables.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an indicator topic as a {@code read_committed} consumer and puts its JSON rows and a
 * table's rows in one canonical text form (column=value in schema order), for assertions.
 */
public final class TopicReads {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TopicReads() {}

  /** One record of a topic: its key and its JSON value. */
  public record KeyedJson(String key, JsonNode value) {}

  /** Every committed record of the topic, from the beginning to its last stable offset. */
  public static List<KeyedJson> readCommitted(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      List<KeyedJson> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Cannot read " + topic + " to its end " + end + " in 1 min");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records.add(
              new KeyedJson(
                  r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                  parse(r.value())));
        }
      }
      return records;
    }
  }

  /** The table's rows in canonical form, sorted. */
  public static List<String> tableRows(Path dataDir, TableSpec table) {
    return LakeReads.rows(dataDir, table.identifier()).stream()
        .map(r -> canonical(table, r))
        .sorted()
        .toList();
  }

  /** The topic's JSON rows in canonical form (columns of the table's schema), sorted. */
  public static List<String> jsonRows(List<KeyedJson> records, TableSpec table) {
    return records.stream().map(r -> canonical(table, r.value())).sorted().toList();
  }

  /** The path a row should be keyed by: its non-null site, area, line and device. */
  public static String path(JsonNode row) {
    StringJoiner path = new StringJoiner("/");
    for (String column : List.of("site", "area", "line", "device")) {
      JsonNode v = row.get(column);
      if (v != null && !v.isNull()) {
        path.add(v.asText());
      }
    }
    return path.toString();
  }

  private static String canonical(TableSpec table, Record r) {
    StringJoiner row = new StringJoiner(", ", "{", "}");
    for (Types.NestedField f : table.schema().columns()) {
      Object v = r.getField(f.name());
      String text;
      if (v == null) {
        text = "null";
      } else if (v instanceof OffsetDateTime t) {
        text = t.toInstant().toString();
      } else if (v instanceof Number n && f.type().typeId() != Type.TypeID.DOUBLE) {
        text = Long.toString(n.longValue());
      } else {
        text = v.toString();
      }
      row.add(f.name() + "=" + text);
    }
    return row.toString();
  }

  private static String canonical(TableSpec table, JsonNode n) {
    StringJoiner row = new StringJoiner(", ", "{", "}");
    for (Types.NestedField f : table.schema().columns()) {
      JsonNode v = n.get(f.name());
      if (v == null) {
        throw new AssertionError("JSON row has no " + f.name() + ": " + n);
      }
      String text;
      if (v.isNull()) {
        text = "null";
      } else {
        text =
            switch (f.type().typeId()) {
              case DOUBLE, FLOAT -> Double.toString(v.asDouble());
              case INTEGER, LONG -> Long.toString(v.asLong());
              case BOOLEAN -> Boolean.toString(v.asBoolean());
              case DATE -> LocalDate.parse(v.asText()).toString();
              default -> v.asText();
            };
      }
      row.add(f.name() + "=" + text);
    }
    return row.toString();
  }

  private static JsonNode parse(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
