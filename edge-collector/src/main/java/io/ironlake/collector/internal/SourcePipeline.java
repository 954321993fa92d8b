package io.ironlake.collector.internal;

import io.ironlake.collector.seq.SeqStore;
import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.List;

/**
 * One source's way into the spool: numbers its points from its {@link SeqStore} and spools them.
 */
public final class SourcePipeline implements PointSink {
  private final String source;
  private final SeqStore seq;
  private final Spool spool;
  private final CollectorMetrics metrics;

  public SourcePipeline(String source, SeqStore seq, Spool spool, CollectorMetrics metrics) {
    this.source = source;
    this.seq = seq;
    this.spool = spool;
    this.metrics = metrics;
  }

  /** Points per spool entry for input without a mark (OPC UA notifications can be large). */
  static final int MAX_POINTS_PER_ENTRY = 4096;

  @Override
  public void emit(List<TelemetryPoint> points, long mark, Runnable onStored) {
    if (points.isEmpty()) {
      onStored.run();
      return;
    }
    // Numbering and spooling under one lock keeps a source's seq order and its spool order the
    // same, also when several OPC UA subscriptions deliver at once.
    synchronized (this) {
      if (mark != NO_MARK || points.size() <= MAX_POINTS_PER_ENTRY) {
        // One entry per marked input: it is in the spool whole or not at all.
        spool.append(source, mark, seq.next(points.size()), points, onStored);
      } else {
        for (int i = 0; i < points.size(); i += MAX_POINTS_PER_ENTRY) {
          List<TelemetryPoint> chunk =
              points.subList(i, Math.min(points.size(), i + MAX_POINTS_PER_ENTRY));
          boolean last = i + MAX_POINTS_PER_ENTRY >= points.size();
          spool.append(source, NO_MARK, seq.next(chunk.size()), chunk, last ? onStored : () -> {});
        }
      }
      metrics.pointsRead(source, points.size());
    }
  }

  @Override
  public void emitEvents(List<SpoolEntry.EncodedPoint> events, Runnable onStored) {
    if (events.isEmpty()) {
      onStored.run();
      return;
    }
    synchronized (this) {
      spool.appendEvents(source, events, onStored);
    }
  }

  @Override
  public void deadLetter(DeadLetter letter, long mark, Runnable onStored) {
    spool.appendDeadLetter(letter, mark, onStored);
    metrics.deadLetter(source);
  }

  @Override
  public boolean alreadySpooled(long mark) {
    return spool.contains(source, mark);
  }

  @Override
  public void redeliverySkipped() {
    spool.redeliverySkipped();
  }
}
