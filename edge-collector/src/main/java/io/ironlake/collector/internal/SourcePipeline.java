package io.ironlake.collector.internal;

import io.ironlake.collector.seq.SeqStore;
import io.ironlake.collector.spool.Spool;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.ArrayList;
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

  @Override
  public void emit(List<TelemetryPoint> points, long mark, Runnable onStored) {
    if (points.isEmpty()) {
      onStored.run();
      return;
    }
    // Numbering and spooling under one lock keeps a source's seq order and its spool order the
    // same, also when several OPC UA subscriptions deliver at once.
    synchronized (this) {
      List<TelemetryPoint> numbered = new ArrayList<>(points.size());
      for (TelemetryPoint p : points) {
        numbered.add(p.withSeq(seq.next()));
      }
      spool.append(source, mark, numbered, onStored);
      metrics.pointsRead(points.size());
    }
  }

  @Override
  public void deadLetter(DeadLetter letter, long mark, Runnable onStored) {
    spool.appendDeadLetter(letter, mark, onStored);
    metrics.deadLetter();
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
