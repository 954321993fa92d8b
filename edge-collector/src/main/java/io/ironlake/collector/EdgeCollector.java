package io.ironlake.collector;

import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.CollectorConfigLoader;
import io.ironlake.collector.config.InvalidConfigException;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.config.SourceConfig;
import io.ironlake.collector.internal.CollectorMetrics;
import io.ironlake.collector.internal.HandoverSink;
import io.ironlake.collector.internal.OpsHttpServer;
import io.ironlake.collector.internal.SourcePipeline;
import io.ironlake.collector.internal.WatchedFile;
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
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  /** How long a reload lets a source's new instance get ready before the old one stops. */
  static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(30);

  /** How long repeats are still filtered after the old instance stopped. */
  static final Duration HANDOVER_GRACE = Duration.ofSeconds(5);

  /** One configured source: its config, its sequence counter, its sink and the running source. */
  private record Slot(
      SourceConfig config, SeqStore seq, HandoverSink sink, TelemetrySource source) {
    String type() {
      return config instanceof OpcUaSourceConfig ? "opcua" : "mqtt";
    }

    Slot with(SourceConfig newConfig, TelemetrySource newSource) {
      return new Slot(newConfig, seq, sink, newSource);
    }
  }

  private final Clock clock;
  private final StateDirLock lock;
  private final CollectorMetrics metrics;
  private final Spool spool;
  private final KafkaPublisher publisher;
  private volatile CollectorConfig config;
  private volatile List<Slot> slots;
  private volatile OpsHttpServer http;
  private volatile ScheduledExecutorService watcher;
  private volatile boolean closing;
  private boolean closed;

  private EdgeCollector(
      CollectorConfig config,
      Clock clock,
      StateDirLock lock,
      CollectorMetrics metrics,
      Spool spool,
      KafkaPublisher publisher,
      List<Slot> slots) {
    this.config = config;
    this.clock = clock;
    this.lock = lock;
    this.metrics = metrics;
    this.spool = spool;
    this.publisher = publisher;
    this.slots = slots;
  }

  /**
   * Locks the state folder, opens the sequence counters and the spool (recovering what an earlier
   * run left in it), starts the Kafka publisher (which sends that backlog first), every source and,
   * when {@code http.port} is not 0, the health and metrics endpoint. Returns at once: sources
   * connect (and reconnect) in the background.
   *
   * @throws io.ironlake.collector.seq.CollectorStateException when the state folder is locked by
   *     another collector or cannot be used
   * @throws io.ironlake.collector.spool.SpoolException when the spool cannot be opened
   * @throws CollectorException when the HTTP endpoint cannot listen on its address
   */
  public static EdgeCollector start(CollectorConfig config, Clock clock) {
    StateDirLock lock = StateDirLock.acquire(config.stateDir());
    CollectorMetrics metrics = new CollectorMetrics(clock);
    List<Slot> slots = new ArrayList<>();
    Spool spool = null;
    KafkaPublisher publisher = null;
    try {
      spool = Spool.open(config.spool(), clock);
      publisher = new KafkaPublisher(config.kafka(), config.id(), spool, metrics);
      metrics.bindProducer(publisher::producerMetric);
      for (SourceConfig sc : config.sources()) {
        slots.add(newSlot(config, sc, spool, metrics, clock));
      }
    } catch (RuntimeException e) {
      slots.forEach(s -> s.seq().close());
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
        new EdgeCollector(config, clock, lock, metrics, spool, publisher, List.copyOf(slots));
    Spool s = spool;
    metrics.bindSpool(s::stats);
    metrics.bindSources(collector::typedStates);
    metrics.bindJvm();
    LOG.info(
        "edge collector starting: collectorId={}, stateDir={}, spoolDir={}, sources={}",
        config.id(),
        config.stateDir(),
        config.spool().dir(),
        config.sources().size());
    publisher.start();
    slots.forEach(slot -> slot.source().start());
    if (config.http().enabled()) {
      try {
        collector.http =
            OpsHttpServer.start(
                config.http(), config.id(), metrics.registry(), collector::typedStates);
      } catch (RuntimeException e) {
        collector.close();
        throw e;
      }
    }
    return collector;
  }

  private static Slot newSlot(
      CollectorConfig config, SourceConfig sc, Spool spool, CollectorMetrics metrics, Clock clock) {
    SeqStore seq =
        SeqStore.open(seqFile(config.stateDir(), config.id(), sc.name()), config.seqBlockSize());
    HandoverSink sink = new HandoverSink(new SourcePipeline(sc.name(), seq, spool, metrics));
    return new Slot(
        sc, seq, sink, newSource(config.id(), sc, sink, clock, pkiDir(config.stateDir())));
  }

  private static TelemetrySource newSource(
      String collectorId, SourceConfig sc, HandoverSink sink, Clock clock, Path pkiDir) {
    if (sc instanceof OpcUaSourceConfig o) {
      return new OpcUaSource(collectorId, o, sink, clock, pkiDir);
    }
    return new MqttSource(collectorId, (MqttSourceConfig) sc, sink, clock);
  }

  /** The OPC UA PKI folder: own/ (the collector's certificate), trusted/ and rejected/. */
  public static Path pkiDir(Path stateDir) {
    return stateDir.resolve("pki");
  }

  /** The file of one source's sequence counter. */
  static Path seqFile(Path stateDir, String collectorId, String source) {
    return stateDir.resolve("seq").resolve(collectorId).resolve(source + ".seq");
  }

  /** The collector's configuration, as last (re)loaded. */
  public CollectorConfig config() {
    return config;
  }

  /**
   * A metric of the Kafka producer in use by its Kafka name in {@code producer-metrics}, e.g.
   * {@code records-per-request-avg}; NaN when there is none yet.
   */
  public double producerMetric(String name) {
    return publisher.producerMetric(name);
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
    for (Slot s : slots) {
      out.put(s.config().name(), s.source().state());
    }
    return out;
  }

  private Map<String, Map.Entry<String, SourceState>> typedStates() {
    Map<String, Map.Entry<String, SourceState>> out = new LinkedHashMap<>();
    for (Slot s : slots) {
      out.put(
          s.config().name(), new AbstractMap.SimpleImmutableEntry<>(s.type(), s.source().state()));
    }
    return out;
  }

  /** Config reloads applied since start (by {@link #reload} or the watched file). */
  public long reloadsApplied() {
    return metrics.reloadsApplied();
  }

  /** Changes of the watched config file refused since start because the file was invalid. */
  public long reloadsRefused() {
    return metrics.reloadsRefused();
  }

  /** Whether every source is connected with its subscriptions in place. */
  public boolean ready() {
    return slots.stream().allMatch(s -> s.source().state() == SourceState.READY);
  }

  /** The port of the health and metrics endpoint, or -1 when it is off. */
  public int httpPort() {
    OpsHttpServer h = http;
    return h == null ? -1 : h.port();
  }

  /**
   * Applies a new configuration without a restart: sources added are started, sources removed are
   * stopped, and a source whose settings or mapping changed is handed over to a new instance (the
   * new one starts and gets ready while the old one still runs, repeats of the same point are
   * dropped, then the old one stops; an MQTT source keeping its client id stops first, and the
   * broker keeps its QoS 1/2 messages meanwhile in the persistent session). Sequence numbering
   * continues, the spool and the Kafka producer are untouched. Changes of the collector's id, state
   * folder, seq block size, Kafka, spool or HTTP settings need a restart: they are logged and not
   * applied.
   */
  public synchronized ReloadResult reload(CollectorConfig next) {
    if (closed) {
      throw new CollectorException("Cannot reload: the collector is closed");
    }
    CollectorConfig running = config;
    List<String> notApplied = new ArrayList<>();
    restartOnly(notApplied, "collector.id", running.id(), next.id());
    restartOnly(notApplied, "collector.state-dir", running.stateDir(), next.stateDir());
    restartOnly(
        notApplied, "collector.seq-block-size", running.seqBlockSize(), next.seqBlockSize());
    restartOnly(notApplied, "kafka", running.kafka(), next.kafka());
    restartOnly(notApplied, "spool", running.spool(), next.spool());
    restartOnly(notApplied, "http", running.http(), next.http());
    if (!notApplied.isEmpty()) {
      LOG.warn(
          "config changes need a restart, not applied: collectorId={}, keys={}",
          running.id(),
          notApplied);
    }
    Map<String, Slot> old = new LinkedHashMap<>();
    slots.forEach(s -> old.put(s.config().name(), s));
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> restarted = new ArrayList<>();
    List<Slot> result = new ArrayList<>();
    for (SourceConfig sc : next.sources()) {
      Slot before = old.remove(sc.name());
      if (before == null) {
        Slot slot = newSlot(running, sc, spool, metrics, clock);
        result.add(slot);
        slots = merged(result, old);
        slot.source().start();
        added.add(sc.name());
        LOG.info("reload: source added: collectorId={}, source={}", running.id(), sc.name());
      } else if (before.config().equals(sc)) {
        result.add(before);
      } else {
        result.add(handover(before, sc));
        restarted.add(sc.name());
      }
      slots = merged(result, old);
    }
    for (Slot gone : old.values()) {
      closeQuietly(gone.source());
      gone.seq().close();
      removed.add(gone.config().name());
      LOG.info(
          "reload: source removed: collectorId={}, source={}", running.id(), gone.config().name());
    }
    slots = List.copyOf(result);
    config =
        new CollectorConfig(
            running.id(),
            running.stateDir(),
            running.seqBlockSize(),
            running.kafka(),
            next.sources(),
            running.spool(),
            running.http());
    ReloadResult r = new ReloadResult(added, removed, restarted, notApplied);
    metrics.reloadApplied();
    LOG.info(
        "config reloaded: collectorId={}, added={}, removed={}, restarted={}, notApplied={}",
        running.id(),
        added,
        removed,
        restarted,
        notApplied);
    return r;
  }

  /** The slots so far followed by the ones not yet reached, so states stay visible meanwhile. */
  private static List<Slot> merged(List<Slot> done, Map<String, Slot> rest) {
    List<Slot> all = new ArrayList<>(done);
    all.addAll(rest.values());
    return List.copyOf(all);
  }

  private Slot handover(Slot before, SourceConfig sc) {
    String name = sc.name();
    if (before.source() instanceof MqttSource running
        && sc instanceof MqttSourceConfig next
        && running.canRemap(next)) {
      // Only the mapping changed: the running connection takes it, so nothing the broker has in
      // flight to the collector is dropped with a disconnect (Moquette does not resend those).
      before.sink().beginHandover();
      try {
        running.remap(next, HANDOVER_TIMEOUT);
      } finally {
        before.sink().endHandover(HANDOVER_GRACE.toNanos());
      }
      LOG.info(
          "reload: source remapped on its connection: collectorId={}, source={}, state={}",
          config.id(),
          name,
          running.state());
      return before.with(sc, running);
    }
    TelemetrySource fresh =
        newSource(config.id(), sc, before.sink(), clock, pkiDir(config.stateDir()));
    boolean sameMqttClient =
        before.config() instanceof MqttSourceConfig a
            && sc instanceof MqttSourceConfig b
            && a.clientId().equals(b.clientId());
    before.sink().beginHandover();
    try {
      if (sameMqttClient) {
        // One session per client id: the old client leaves, the broker keeps its QoS 1/2
        // messages for the new one, whose redeliveries the spool's marks recognise.
        closeQuietly(before.source());
        fresh.start();
      } else {
        fresh.start();
        awaitReady(fresh, name);
        closeQuietly(before.source());
      }
    } finally {
      before.sink().endHandover(HANDOVER_GRACE.toNanos());
    }
    LOG.info(
        "reload: source handed over to its new mapping: collectorId={}, source={}, state={}",
        config.id(),
        name,
        fresh.state());
    return before.with(sc, fresh);
  }

  private void awaitReady(TelemetrySource source, String name) {
    long deadline = System.nanoTime() + HANDOVER_TIMEOUT.toNanos();
    while (source.state() != SourceState.READY && !closing) {
      if (System.nanoTime() - deadline > 0) {
        LOG.warn(
            "reload: new instance of the source not ready in time, stopping the old one anyway:"
                + " collectorId={}, source={}, waitedSeconds={}, state={}",
            config.id(),
            name,
            HANDOVER_TIMEOUT.toSeconds(),
            source.state());
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void restartOnly(List<String> out, String key, Object running, Object next) {
    if (!Objects.equals(running, next)) {
      out.add(key);
    }
  }

  /**
   * Watches the config file the collector was started from: every {@code every}, when its content
   * changed ({@link WatchedFile}: read only when its size or modification time moved), loads it and
   * {@link #reload reloads}; a file that does not load is refused with every problem logged at
   * ERROR, and the running config is kept.
   */
  public synchronized void watch(Path file, Duration every) {
    if (watcher != null) {
      throw new IllegalStateException(
          "Cannot watch " + file + ": a config file is watched already");
    }
    ScheduledExecutorService w =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ironlake-config-watcher");
              t.setDaemon(true);
              return t;
            });
    WatchedFile watched = new WatchedFile(file, Clock.systemUTC());
    w.scheduleWithFixedDelay(
        () -> {
          if (watched.changed() == null) {
            return;
          }
          LOG.info("config file changed, reloading: collectorId={}, file={}", config.id(), file);
          try {
            reload(CollectorConfigLoader.load(file));
          } catch (InvalidConfigException e) {
            metrics.reloadRefused();
            for (String problem : e.problems()) {
              LOG.error(
                  "config reload refused, running config kept: collectorId={}, problem={}",
                  config.id(),
                  problem);
            }
          } catch (RuntimeException e) {
            LOG.error(
                "config reload failed: collectorId={}, file={}, error={}",
                config.id(),
                file,
                e.toString());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    watcher = w;
    LOG.info(
        "watching the config file: collectorId={}, file={}, everyMs={}",
        config.id(),
        file,
        every.toMillis());
  }

  private static void closeQuietly(TelemetrySource s) {
    try {
      s.close();
    } catch (RuntimeException e) {
      LOG.warn("source close failed: source={}, error={}", s.name(), e.toString());
    }
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
  public void close() {
    closing = true;
    ScheduledExecutorService w = watcher;
    if (w != null) {
      w.shutdownNow();
    }
    synchronized (this) {
      closeNow();
    }
  }

  private void closeNow() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.close();
    }
    // A source blocked on a full spool gives up now (its input stays unacknowledged).
    spool.refuseBlocking();
    for (Slot s : slots) {
      closeQuietly(s.source());
    }
    try {
      publisher.close(CLOSE_GRACE);
    } finally {
      try {
        spool.close();
      } finally {
        slots.forEach(s -> s.seq().close());
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
