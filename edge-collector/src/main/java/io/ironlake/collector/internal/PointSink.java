package io.ironlake.collector.internal;

import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.List;

/**
 * Where a source hands what it read: points get their sequence numbers here and go into the spool,
 * from which the publisher sends them to Kafka.
 */
public interface PointSink {
  /** The mark of input that has none. */
  long NO_MARK = -1;

  /**
   * Numbers the points (in list order) and spools them.
   *
   * @param points points whose {@code seq} is ignored
   * @param mark a fingerprint of the input they came from (see {@link #alreadySpooled}), or {@link
   *     #NO_MARK}
   * @param onStored runs once they are stored as durably as {@code spool.fsync} promises: then the
   *     source may acknowledge its input
   * @throws io.ironlake.collector.spool.SpoolException when they cannot be stored; the input must
   *     not be acknowledged then
   */
  void emit(List<TelemetryPoint> points, long mark, Runnable onStored);

  /** Numbers and spools points of input without a mark. */
  default void emit(List<TelemetryPoint> points, Runnable onStored) {
    emit(points, NO_MARK, onStored);
  }

  /**
   * Spools events (OPC UA events and alarms) for the events topic, like {@link #emit}; they are not
   * numbered (an event carries its own id).
   *
   * @param events key and JSON value of each event
   */
  void emitEvents(List<SpoolEntry.EncodedPoint> events, Runnable onStored);

  /** Spools input that could not become points, like {@link #emit}. */
  void deadLetter(DeadLetter letter, long mark, Runnable onStored);

  /**
   * Whether input with this mark was spooled already (by this run or the one before a crash), so a
   * redelivery of it must be acknowledged without spooling it again.
   */
  boolean alreadySpooled(long mark);

  /** Counts input acknowledged again because {@link #alreadySpooled} said so. */
  void redeliverySkipped();
}
