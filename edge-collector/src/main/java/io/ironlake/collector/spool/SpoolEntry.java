package io.ironlake.collector.spool;

import io.ironlake.connectors.kafka.DeadLetter;
import java.util.List;

/**
 * One entry read back from the spool: what one append wrote. {@code position} and {@code end} are
 * its place in the spool; acknowledging an entry means everything before its {@code end} is in
 * Kafka.
 */
public sealed interface SpoolEntry {
  /** Where the entry starts. */
  long position();

  /** Where the next entry starts. */
  long end();

  /** Points in the entry. */
  default int pointCount() {
    return 0;
  }

  /** Its size on disk, framing included. */
  default long bytes() {
    return end() - position();
  }

  /**
   * Points of one source, already numbered and encoded, in sequence order.
   *
   * @param source the source's name
   * @param firstSeq the sequence number of the first point; the others follow one by one
   * @param points key (device path, UTF-8) and value ({@code TelemetryCodec} bytes) of each point
   */
  record Points(long position, long end, String source, long firstSeq, List<EncodedPoint> points)
      implements SpoolEntry {
    public Points {
      points = List.copyOf(points);
    }

    @Override
    public int pointCount() {
      return points.size();
    }
  }

  /**
   * Events of one source (OPC UA events and alarms), for the events topic.
   *
   * @param source the source's name
   * @param events key (the event's source node, UTF-8) and value (JSON) of each event
   */
  record Events(long position, long end, String source, List<EncodedPoint> events)
      implements SpoolEntry {
    public Events {
      events = List.copyOf(events);
    }
  }

  /** A dead letter, for the dead-letter topic. */
  record Letter(long position, long end, DeadLetter letter) implements SpoolEntry {}

  /** Bookkeeping the spool wrote for itself; nothing to publish, acknowledge it as is. */
  record Internal(long position, long end) implements SpoolEntry {}

  /** A point as the Kafka record carries it. */
  record EncodedPoint(byte[] key, byte[] value) {}
}
