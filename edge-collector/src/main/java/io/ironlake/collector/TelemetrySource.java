package io.ironlake.collector;

/**
 * A connection the collector reads points from (an OPC UA server, an MQTT broker). It connects in
 * the background, keeps reconnecting with back-off, and hands every point to the collector.
 */
public interface TelemetrySource extends AutoCloseable {
  /** The source's configured name, part of every point's dedup identity. */
  String name();

  /** Starts connecting in the background; returns at once. */
  void start();

  /** Where the source is in its life: connecting, ready, reconnecting or closed. */
  SourceState state();

  /** Disconnects and stops every background task; points already handed over are published. */
  @Override
  void close();
}
