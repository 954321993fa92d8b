package io.ironlake.collector.config;

import io.ironlake.collector.spool.SpoolConfig;
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
 * @param spool the {@code spool} mapping
 * @param http the {@code http} mapping: health and metrics endpoint
 */
public record CollectorConfig(
    String id,
    Path stateDir,
    int seqBlockSize,
    KafkaConfig kafka,
    List<SourceConfig> sources,
    SpoolConfig spool,
    HttpConfig http) {

  /** Default of {@code collector.seq-block-size}. */
  public static final int SEQ_BLOCK_SIZE_DEFAULT = 10_000;

  /** The spool's folder under the state folder, unless {@code spool.dir} says otherwise. */
  public static final String DEFAULT_SPOOL_FOLDER = "spool";

  public CollectorConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(http, "http");
    sources = List.copyOf(sources);
    if (seqBlockSize < 1) {
      throw new IllegalArgumentException("Invalid seqBlockSize: " + seqBlockSize + " < 1");
    }
  }

  /** A config without the HTTP endpoint. */
  public CollectorConfig(
      String id,
      Path stateDir,
      int seqBlockSize,
      KafkaConfig kafka,
      List<SourceConfig> sources,
      SpoolConfig spool) {
    this(id, stateDir, seqBlockSize, kafka, sources, spool, HttpConfig.OFF);
  }

  /** A config with the default spool in {@code <stateDir>/spool} and no HTTP endpoint. */
  public CollectorConfig(
      String id, Path stateDir, int seqBlockSize, KafkaConfig kafka, List<SourceConfig> sources) {
    this(
        id,
        stateDir,
        seqBlockSize,
        kafka,
        sources,
        SpoolConfig.defaults(stateDir.resolve(DEFAULT_SPOOL_FOLDER)));
  }

  /** The same config with another spool. */
  public CollectorConfig withSpool(SpoolConfig newSpool) {
    return new CollectorConfig(id, stateDir, seqBlockSize, kafka, sources, newSpool, http);
  }

  /** The same config with another HTTP endpoint. */
  public CollectorConfig withHttp(HttpConfig newHttp) {
    return new CollectorConfig(id, stateDir, seqBlockSize, kafka, sources, spool, newHttp);
  }

  /** The same config with other sources. */
  public CollectorConfig withSources(List<SourceConfig> newSources) {
    return new CollectorConfig(id, stateDir, seqBlockSize, kafka, newSources, spool, http);
  }
}
