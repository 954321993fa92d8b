package io.ironlake.collector.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole configuration of one edge collector, as {@link CollectorConfigLoader} reads it from
 * YAML (keys in {@link ConfigKeys}).
 *
 * @param id {@code collector.id}: part of every point's dedup identity
 * @param stateDir {@code collector.state-dir}: where sequence counters survive restarts
 * @param seqBlockSize {@code collector.seq-block-size}: numbers reserved per durable write
 * @param kafka the {@code kafka} mapping
 * @param sources the {@code sources} list, names unique
 */
public record CollectorConfig(
    String id, Path stateDir, int seqBlockSize, KafkaConfig kafka, List<SourceConfig> sources) {

  /** Default of {@code collector.seq-block-size}. */
  public static final int SEQ_BLOCK_SIZE_DEFAULT = 10_000;

  public CollectorConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(kafka, "kafka");
    sources = List.copyOf(sources);
    if (seqBlockSize < 1) {
      throw new IllegalArgumentException("Invalid seqBlockSize: " + seqBlockSize + " < 1");
    }
  }
}
