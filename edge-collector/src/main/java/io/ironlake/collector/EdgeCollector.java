package io.ironlake.collector;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.config.SourceConfig;
import io.ironlake.collector.internal.CollectorMetrics;
import io.ironlake.collector.internal.SourcePipeline;
import io.ironlake.collector.kafka.KafkaPublisher;
import io.ironlake.collector.mqtt.MqttSource;
import io.ironlake.collector.opcua.OpcUaSource;
import io.ironlake.collector.seq.SeqStore;
import io.ironlake.collector.seq.StateDirLock;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent: reads every configured source and publishes its points to Kafka, each with its
 * {@code (collector_id, source, seq)} identity.
 *
 * <pre>{@code
 * CollectorConfig config = CollectorConfigLoader.load(Path.of("collector.yaml"));
 * try (EdgeCollector collector = EdgeCollector.start(config, Clock.systemUTC())) {
 *   CollectorStats stats = collector.stats();
 * }
 * }</pre>
 */
public final class EdgeCollector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EdgeCollector.class);

  private final CollectorConfig config;
  private final StateDirLock lock;
  private final CollectorMetrics metrics;
  private final KafkaPublisher publisher;
  private final List<SeqStore> seqStores;
  private final List<TelemetrySource> sources;
  private boolean closed;

  private EdgeCollector(
      CollectorConfig config,
      StateDirLock lock,
      CollectorMetrics metrics,
      KafkaPublisher publisher,
      List<SeqStore> seqStores,
      List<TelemetrySource> sources) {
    this.config = config;
    this.lock = lock;
    this.metrics = metrics;
    this.publisher = publisher;
    this.seqStores = seqStores;
    this.sources = sources;
  }

  /**
   * Locks the state folder, opens the sequence counters and the Kafka producer, and starts every
   * source. Returns at once: sources connect (and reconnect) in the background.
   *
   * @throws io.ironlake.collector.seq.CollectorStateException when the state folder is locked by
   *     another collector or cannot be used
   */
  public static EdgeCollector start(CollectorConfig config, Clock clock) {
    StateDirLock lock = StateDirLock.acquire(config.stateDir());
    CollectorMetrics metrics = new CollectorMetrics();
    List<SeqStore> seqStores = new ArrayList<>();
    List<TelemetrySource> sources = new ArrayList<>();
    KafkaPublisher publisher = null;
    try {
      publisher = new KafkaPublisher(config.kafka(), config.id(), metrics);
      for (SourceConfig sc : config.sources()) {
        SeqStore seq =
            SeqStore.open(
                seqFile(config.stateDir(), config.id(), sc.name()), config.seqBlockSize());
        seqStores.add(seq);
        SourcePipeline pipeline = new SourcePipeline(seq, publisher, metrics);
        sources.add(newSource(config.id(), sc, pipeline, clock));
      }
    } catch (RuntimeException e) {
      seqStores.forEach(SeqStore::close);
      if (publisher != null) {
        publisher.close();
      }
      lock.close();
      throw e;
    }
    EdgeCollector collector =
        new EdgeCollector(
            config, lock, metrics, publisher, List.copyOf(seqStores), List.copyOf(sources));
    LOG.info(
        "edge collector starting: collectorId={}, stateDir={}, sources={}",
        config.id(),
        config.stateDir(),
        config.sources().size());
    sources.forEach(TelemetrySource::start);
    return collector;
  }

  private static TelemetrySource newSource(
      String collectorId, SourceConfig sc, SourcePipeline pipeline, Clock clock) {
    if (sc instanceof OpcUaSourceConfig o) {
      return new OpcUaSource(collectorId, o, pipeline, clock);
    }
    return new MqttSource(collectorId, (MqttSourceConfig) sc, pipeline, clock);
  }

  /** The file of one source's sequence counter. */
  static Path seqFile(Path stateDir, String collectorId, String source) {
    return stateDir.resolve("seq").resolve(collectorId).resolve(source + ".seq");
  }

  /** The collector's configuration. */
  public CollectorConfig config() {
    return config;
  }

  /** Counters since start. */
  public CollectorStats stats() {
    return metrics.snapshot();
  }

  /** Each source's state, by source name, in config order. */
  public Map<String, SourceState> sourceStates() {
    Map<String, SourceState> out = new LinkedHashMap<>();
    for (TelemetrySource s : sources) {
      out.put(s.name(), s.state());
    }
    return out;
  }

  /** Whether every source is connected with its subscriptions in place. */
  public boolean ready() {
    return sources.stream().allMatch(s -> s.state() == SourceState.READY);
  }

  /** Waits until Kafka has answered for every point and dead letter handed over so far. */
  public void flush() {
    publisher.flush();
  }

  /**
   * Stops the sources, flushes the producer (every point read is acknowledged or counted as a send
   * error), persists the sequence counters and releases the state folder.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (TelemetrySource s : sources) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("source close failed: source={}, error={}", s.name(), e.toString());
      }
    }
    try {
      publisher.close();
    } finally {
      seqStores.forEach(SeqStore::close);
      lock.close();
    }
    CollectorStats s = stats();
    LOG.info(
        "edge collector closed: collectorId={}, pointsRead={}, pointsSent={}, deadLetters={},"
            + " sendErrors={}",
        config.id(),
        s.pointsRead(),
        s.pointsSent(),
        s.deadLetters(),
        s.sendErrors());
  }
}
