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
import io.ironlake.collector.spool.DroppedRange;
import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolStats;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge agent: reads every configured source, stores each point (numbered with its {@code
 * (collector_id, source, seq)} identity) in the on-disk spool before the source is acknowledged,
 * and publishes the spool to Kafka in order.
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
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final CollectorConfig config;
  private final StateDirLock lock;
  private final CollectorMetrics metrics;
  private final Spool spool;
  private final KafkaPublisher publisher;
  private final List<SeqStore> seqStores;
  private final List<TelemetrySource> sources;
  private boolean closed;

  private EdgeCollector(
      CollectorConfig config,
      StateDirLock lock,
      CollectorMetrics metrics,
      Spool spool,
      KafkaPublisher publisher,
      List<SeqStore> seqStores,
      List<TelemetrySource> sources) {
    this.config = config;
    this.lock = lock;
    this.metrics = metrics;
    this.spool = spool;
    this.publisher = publisher;
    this.seqStores = seqStores;
    this.sources = sources;
  }

  /**
   * Locks the state folder, opens the sequence counters and the spool (recovering what an earlier
   * run left in it), starts the Kafka publisher (which sends that backlog first) and every source.
   * Returns at once: sources connect (and reconnect) in the background.
   *
   * @throws io.ironlake.collector.seq.CollectorStateException when the state folder is locked by
   *     another collector or cannot be used
   * @throws io.ironlake.collector.spool.SpoolException when the spool cannot be opened
   */
  public static EdgeCollector start(CollectorConfig config, Clock clock) {
    StateDirLock lock = StateDirLock.acquire(config.stateDir());
    CollectorMetrics metrics = new CollectorMetrics();
    List<SeqStore> seqStores = new ArrayList<>();
    List<TelemetrySource> sources = new ArrayList<>();
    Spool spool = null;
    KafkaPublisher publisher = null;
    try {
      spool = Spool.open(config.spool(), clock);
      publisher = new KafkaPublisher(config.kafka(), config.id(), spool, metrics);
      for (SourceConfig sc : config.sources()) {
        SeqStore seq =
            SeqStore.open(
                seqFile(config.stateDir(), config.id(), sc.name()), config.seqBlockSize());
        seqStores.add(seq);
        SourcePipeline pipeline = new SourcePipeline(sc.name(), seq, spool, metrics);
        sources.add(newSource(config.id(), sc, pipeline, clock, pkiDir(config.stateDir())));
      }
    } catch (RuntimeException e) {
      seqStores.forEach(SeqStore::close);
      if (publisher != null) {
        publisher.close(Duration.ZERO);
      }
      if (spool != null) {
        spool.close();
      }
      lock.close();
      throw e;
    }
    EdgeCollector collector =
        new EdgeCollector(
            config, lock, metrics, spool, publisher, List.copyOf(seqStores), List.copyOf(sources));
    LOG.info(
        "edge collector starting: collectorId={}, stateDir={}, spoolDir={}, sources={}",
        config.id(),
        config.stateDir(),
        config.spool().dir(),
        config.sources().size());
    publisher.start();
    sources.forEach(TelemetrySource::start);
    return collector;
  }

  private static TelemetrySource newSource(
      String collectorId, SourceConfig sc, SourcePipeline pipeline, Clock clock, Path pkiDir) {
    if (sc instanceof OpcUaSourceConfig o) {
      return new OpcUaSource(collectorId, o, pipeline, clock, pkiDir);
    }
    return new MqttSource(collectorId, (MqttSourceConfig) sc, pipeline, clock);
  }

  /** The OPC UA PKI folder: own/ (the collector's certificate), trusted/ and rejected/. */
  public static Path pkiDir(Path stateDir) {
    return stateDir.resolve("pki");
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

  /** The spool's depth (points and bytes not yet in Kafka) and its counters since start. */
  public SpoolStats spoolStats() {
    return spool.stats();
  }

  /** The sequence ranges lost to {@code spool.on-full: drop-oldest} since start. */
  public List<DroppedRange> droppedRanges() {
    return spool.droppedRanges();
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

  /**
   * Waits until Kafka has every point and dead letter spooled so far; with Kafka down it waits
   * until Kafka is back.
   */
  public void flush() {
    while (!flush(Duration.ofMinutes(1))) {
      LOG.info(
          "flush still waiting for Kafka: collectorId={}, spoolPoints={}",
          config.id(),
          spool.stats().points());
    }
  }

  /**
   * Waits up to {@code timeout} until Kafka has every point and dead letter spooled so far.
   *
   * @return whether it has
   */
  public boolean flush(Duration timeout) {
    try {
      return spool.awaitDrained(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Stops the sources, gives Kafka up to 5 s to take what is spooled (what it does not take stays
   * in the spool for the next start), persists the sequence counters and releases the folders.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // A source blocked on a full spool gives up now (its input stays unacknowledged).
    spool.refuseBlocking();
    for (TelemetrySource s : sources) {
      try {
        s.close();
      } catch (RuntimeException e) {
        LOG.warn("source close failed: source={}, error={}", s.name(), e.toString());
      }
    }
    try {
      publisher.close(CLOSE_GRACE);
    } finally {
      try {
        spool.close();
      } finally {
        seqStores.forEach(SeqStore::close);
        lock.close();
      }
    }
    CollectorStats s = stats();
    SpoolStats sp = spool.stats();
    LOG.info(
        "edge collector closed: collectorId={}, pointsRead={}, pointsSent={}, deadLetters={},"
            + " sendErrors={}, spoolPoints={}, pointsReplayed={}, pointsDropped={},"
            + " redeliveriesSkipped={}",
        config.id(),
        s.pointsRead(),
        s.pointsSent(),
        s.deadLetters(),
        s.sendErrors(),
        sp.points(),
        sp.pointsReplayed(),
        sp.pointsDropped(),
        sp.redeliveriesSkipped());
  }
}
