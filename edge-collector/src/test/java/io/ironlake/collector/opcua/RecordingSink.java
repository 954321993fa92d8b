package io.ironlake.collector.opcua;

import io.ironlake.collector.internal.PointSink;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps what a source hands it in memory, numbered like the real pipeline. */
final class RecordingSink implements PointSink {
  private final List<TelemetryPoint> points = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private long seq;

  @Override
  public synchronized void emit(List<TelemetryPoint> batch, long mark, Runnable onStored) {
    for (TelemetryPoint p : batch) {
      points.add(p.withSeq(seq++));
    }
    onStored.run();
  }

  @Override
  public synchronized void emitEvents(List<SpoolEntry.EncodedPoint> batch, Runnable onStored) {
    for (SpoolEntry.EncodedPoint e : batch) {
      events.add(new String(e.value(), StandardCharsets.UTF_8));
    }
    onStored.run();
  }

  @Override
  public void deadLetter(DeadLetter letter, long mark, Runnable onStored) {
    throw new AssertionError("an OPC UA source has no dead letters: " + letter.reason());
  }

  @Override
  public boolean alreadySpooled(long mark) {
    return false;
  }

  @Override
  public void redeliverySkipped() {}

  synchronized List<TelemetryPoint> points() {
    return List.copyOf(points);
  }

  synchronized int pointCount() {
    return points.size();
  }

  synchronized List<String> events() {
    return List.copyOf(events);
  }
}
