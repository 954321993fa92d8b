package io.ironlake.collector.internal;

import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.SourceState;
import io.ironlake.collector.spool.SpoolStats;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The collector's counters, updated from source and producer threads, and their Prometheus view
 * ({@link #registry()}, served on {@code /metrics}); names and meanings are in the README.
 */
public final class CollectorMetrics {
  /** Latency buckets in seconds, 1 ms to 5 min (a backlog replayed after an outage is slow). */
  private static final double[] LATENCY_BUCKETS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };

  private final Clock clock;
  private final LongAdder pointsRead = new LongAdder();
  private final LongAdder pointsSent = new LongAdder();
  private final LongAdder deadLetters = new LongAdder();
  private final LongAdder sendErrors = new LongAdder();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter pointsIn;
  private final Counter pointsOut;
  private final Counter deadLettersBySource;
  private final Counter sendErrorsTotal;
  private final Counter configReloads;
  private final LongAdder reloadsApplied = new LongAdder();
  private final LongAdder reloadsRefused = new LongAdder();
  private final Histogram sendLatency;
  private final Histogram sourceToKafka;

  /** Counters with a clock for the source-to-Kafka latency (the clock points' ingest_ts uses). */
  public CollectorMetrics(Clock clock) {
    this.clock = clock;
    pointsIn =
        Counter.builder()
            .name("ironlake_collector_points_read_total")
            .help("Points read from a source, numbered and spooled")
            .labelNames("source")
            .register(registry);
    pointsOut =
        Counter.builder()
            .name("ironlake_collector_points_sent_total")
            .help("Points Kafka acknowledged, by source")
            .labelNames("source")
            .register(registry);
    deadLettersBySource =
        Counter.builder()
            .name("ironlake_collector_dead_letters_total")
            .help("Input that could not become points, spooled for the dead-letter topic")
            .labelNames("source")
            .register(registry);
    sendErrorsTotal =
        Counter.builder()
            .name("ironlake_collector_kafka_send_errors_total")
            .help("Records Kafka did not take (sent again from the spool unless refused for good)")
            .register(registry);
    configReloads =
        Counter.builder()
            .name("ironlake_collector_config_reloads_total")
            .help("Config file changes: applied, or refused because the new file is invalid")
            .labelNames("result")
            .register(registry);
    sendLatency =
        Histogram.builder()
            .name("ironlake_collector_kafka_send_latency_seconds")
            .help("Time from handing a record to the Kafka producer to Kafka's acknowledgement")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars() // observed per point; no trace to link them to
            .register(registry);
    sourceToKafka =
        Histogram.builder()
            .name("ironlake_collector_source_to_kafka_latency_seconds")
            .help("Time from a point's ingest_ts (read from its source) to Kafka's acknowledgement")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .withoutExemplars() // observed per point; no trace to link them to
            .register(registry);
  }

  /** Counters on the system clock. */
  public CollectorMetrics() {
    this(Clock.systemUTC());
  }

  /** The Prometheus registry of these metrics (and the gauges bound to the collector). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Registers the spool's gauges and counters, read when scraped. */
  public void bindSpool(Supplier<SpoolStats> stats) {
    spoolGauge("ironlake_collector_spool_points", "Points spooled, not yet in Kafka", stats, 0);
    spoolGauge(
        "ironlake_collector_spool_bytes",
        "Bytes of the spooled entries not yet in Kafka",
        stats,
        1);
    spoolGauge(
        "ironlake_collector_spool_disk_bytes",
        "Bytes of all spool segment files (bounded by spool.max-bytes)",
        stats,
        2);
    spoolGauge("ironlake_collector_spool_segments", "Spool segment files", stats, 3);
    spoolCounter(
        "ironlake_collector_points_replayed_total",
        "Points sent again: left by an earlier run or re-sent after Kafka refused a send",
        stats,
        4);
    spoolCounter(
        "ironlake_collector_points_dropped_total",
        "Points deleted unsent because the spool was full (on-full: drop-oldest)",
        stats,
        5);
    spoolCounter(
        "ironlake_collector_redeliveries_skipped_total",
        "MQTT messages redelivered by the broker that were spooled already",
        stats,
        6);
    spoolCounter(
        "ironlake_collector_spool_append_errors_total",
        "Spool appends that failed (input not acknowledged)",
        stats,
        7);
  }

  private void spoolGauge(String name, String help, Supplier<SpoolStats> stats, int field) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(field(stats.get(), field)))
        .register(registry);
  }

  private void spoolCounter(String name, String help, Supplier<SpoolStats> stats, int field) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(field(stats.get(), field)))
        .register(registry);
  }

  private static double field(SpoolStats s, int field) {
    return switch (field) {
      case 0 -> s.points();
      case 1 -> s.bytes();
      case 2 -> s.diskBytes();
      case 3 -> s.segments();
      case 4 -> s.pointsReplayed();
      case 5 -> s.pointsDropped();
      case 6 -> s.redeliveriesSkipped();
      default -> s.appendErrors();
    };
  }

  /**
   * Registers each source's state (1 for the state it is in, 0 for the others; for OPC UA, READY
   * means session active and subscriptions live) and the collector's readiness.
   *
   * @param states each source's type ("opcua", "mqtt") and state by name, read when scraped
   */
  public void bindSources(Supplier<Map<String, Map.Entry<String, SourceState>>> states) {
    GaugeWithCallback.builder()
        .name("ironlake_collector_source_state")
        .help("Each source's connection state: 1 for the state it is in, 0 for the others")
        .labelNames("source", "type", "state")
        .callback(
            cb ->
                states
                    .get()
                    .forEach(
                        (name, s) -> {
                          for (SourceState st : SourceState.values()) {
                            cb.call(s.getValue() == st ? 1 : 0, name, s.getKey(), st.name());
                          }
                        }))
        .register(registry);
    GaugeWithCallback.builder()
        .name("ironlake_collector_ready")
        .help("1 when every source is connected with its subscriptions in place, else 0")
        .callback(
            cb ->
                cb.call(
                    states.get().values().stream().allMatch(e -> e.getValue() == SourceState.READY)
                        ? 1
                        : 0))
        .register(registry);
  }

  /**
   * Registers the Kafka producer's batching, read when scraped: average batch size, records per
   * produce request and requests per second (Kafka's {@code batch-size-avg}, {@code
   * records-per-request-avg}, {@code request-rate}, over its sample window of 30 s).
   *
   * @param producerMetric the producer's metric of a Kafka name (NaN when it has none yet)
   */
  public void bindProducer(ToDoubleFunction<String> producerMetric) {
    producerGauge(
        "ironlake_collector_kafka_batch_size_bytes",
        "Average bytes per batch the producer sent (Kafka batch-size-avg)",
        producerMetric,
        "batch-size-avg");
    producerGauge(
        "ironlake_collector_kafka_records_per_request",
        "Average records per produce request (Kafka records-per-request-avg)",
        producerMetric,
        "records-per-request-avg");
    producerGauge(
        "ironlake_collector_kafka_requests_per_second",
        "Produce requests per second (Kafka request-rate)",
        producerMetric,
        "request-rate");
  }

  private void producerGauge(
      String name, String help, ToDoubleFunction<String> producerMetric, String kafkaName) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(producerMetric.applyAsDouble(kafkaName)))
        .register(registry);
  }

  /** Registers JVM memory, GC and process metrics (CPU, open files, RSS). */
  public void bindJvm() {
    JvmMemoryMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    ProcessMetrics.builder().register(registry);
  }

  public void pointsRead(String source, int n) {
    pointsRead.add(n);
    pointsIn.labelValues(source).inc(n);
  }

  /**
   * Counts points Kafka acknowledged and observes their source-to-Kafka latency.
   *
   * @param ingestMicros the ingest_ts of the points (of the first, for a batch read at once)
   */
  public void pointsSent(String source, int n, long ingestMicros) {
    pointsSent.add(n);
    pointsOut.labelValues(source).inc(n);
    long nowMicros = Micros.of(clock.instant());
    double seconds = Math.max(0, nowMicros - ingestMicros) / 1e6;
    for (int i = 0; i < n; i++) {
      sourceToKafka.observe(seconds);
    }
  }

  public void deadLetter(String source) {
    deadLetters.increment();
    deadLettersBySource.labelValues(source).inc();
  }

  /** Observes the time Kafka took to acknowledge one record. */
  public void sendLatency(long nanos) {
    sendLatency.observe(nanos / 1e9);
  }

  /** Counts a config change applied. */
  public void reloadApplied() {
    reloadsApplied.increment();
    configReloads.labelValues("applied").inc();
  }

  /** Counts a config change refused (invalid file). */
  public void reloadRefused() {
    reloadsRefused.increment();
    configReloads.labelValues("refused").inc();
  }

  public long reloadsApplied() {
    return reloadsApplied.sum();
  }

  public long reloadsRefused() {
    return reloadsRefused.sum();
  }

  /** Counts a failed send and returns the total so far. */
  public long sendError() {
    sendErrors.increment();
    sendErrorsTotal.inc();
    return sendErrors.sum();
  }

  /** A snapshot of the counters. */
  public CollectorStats snapshot() {
    return new CollectorStats(
        pointsRead.sum(), pointsSent.sum(), deadLetters.sum(), sendErrors.sum());
  }
}
