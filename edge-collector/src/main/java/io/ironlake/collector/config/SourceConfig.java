package io.ironlake.collector.config;

/** One entry of the {@code sources} list: a connection the collector reads points from. */
public sealed interface SourceConfig permits OpcUaSourceConfig, MqttSourceConfig {
  /** {@code sources[].name}: unique, part of every point's dedup identity. */
  String name();
}
