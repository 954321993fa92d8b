package io.ironlake.collector.internal;

import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.List;

/** Where a source hands what it read: points get their sequence numbers here and go to Kafka. */
public interface PointSink {
  /**
   * Numbers the points (in list order) and publishes them.
   *
   * @param points points whose {@code seq} is ignored
   * @param onDone runs once Kafka has answered for all of them (acknowledged or failed)
   */
  void emit(List<TelemetryPoint> points, Runnable onDone);

  /** Publishes input that could not become points; {@code onDone} runs once Kafka answered. */
  void deadLetter(DeadLetter letter, Runnable onDone);
}
