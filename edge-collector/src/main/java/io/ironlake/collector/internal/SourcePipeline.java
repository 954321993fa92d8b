package io.ironlake.collector.internal;

import io.ironlake.collector.kafka.KafkaPublisher;
import io.ironlake.collector.seq.SeqStore;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One source's way to Kafka: numbers its points from its {@link SeqStore} and publishes them. */
public final class SourcePipeline implements PointSink {
  private final SeqStore seq;
  private final KafkaPublisher publisher;
  private final CollectorMetrics metrics;

  public SourcePipeline(SeqStore seq, KafkaPublisher publisher, CollectorMetrics metrics) {
    this.seq = seq;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Override
  public void emit(List<TelemetryPoint> points, Runnable onDone) {
    if (points.isEmpty()) {
      onDone.run();
      return;
    }
    AtomicInteger pending = new AtomicInteger(points.size());
    Runnable countDown =
        () -> {
          if (pending.decrementAndGet() == 0) {
            onDone.run();
          }
        };
    // Numbering and handing to the producer under one lock keeps a source's seq order and its
    // send order the same, also when several OPC UA subscriptions deliver at once.
    synchronized (this) {
      metrics.pointsRead(points.size());
      for (TelemetryPoint p : points) {
        publisher.send(p.withSeq(seq.next()), countDown);
      }
    }
  }

  @Override
  public void deadLetter(DeadLetter letter, Runnable onDone) {
    metrics.deadLetter();
    publisher.sendDeadLetter(letter, onDone);
  }
}
