package io.ironlake.cli.quickstart;

import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfigLoader;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.LocalJobRunner;
import io.ironlake.jobs.rules.IndicatorDefaults;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import io.ironlake.lakehouse.tables.TableStats;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole Ironlake pipeline in this JVM: Kafka (KRaft), the lakehouse, the Flink jobs, a
 * simulated factory and the edge collector reading it. Used by {@code ironlake quickstart} and the
 * end-to-end test.
 *
 * <pre>{@code
 * try (QuickstartPipeline p = QuickstartPipeline.start(QuickstartOptions.builder(dir).build())) {
 *   ... p.stats() ...
 *   p.drain(Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class QuickstartPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuickstartPipeline.class);

  /** Partitions of telemetry.v1 in the quickstart. */
  static final int TELEMETRY_PARTITIONS = 2;

  private final QuickstartOptions options;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private EmbeddedKafka kafka;
  private LakehouseCatalog lake;
  private TableStats tableStats;
  private LocalJobRunner jobs;
  private SimulatedFactory factory;
  private EdgeCollector collector;
  private Path collectorConfigFile;
  private final Map<TableIdentifier, Long> baselines = new LinkedHashMap<>();
  private volatile CollectorStats finalCollectorStats;

  private QuickstartPipeline(QuickstartOptions options) {
    this.options = options;
  }

  /** Starts every part, in order; if one fails, what was started is closed again. */
  public static QuickstartPipeline start(QuickstartOptions options) {
    QuickstartPipeline p = new QuickstartPipeline(options);
    try {
      p.startAll();
      return p;
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
  }

  private void startAll() {
    Path dataDir = options.dataDir();
    // Kafka and Flink state are per run: Kafka is the buffer, the lake is the record.
    deleteRecursively(dataDir.resolve("kafka"));
    deleteRecursively(dataDir.resolve("flink"));
    deleteRecursively(dataDir.resolve("collector-state"));

    kafka = EmbeddedKafka.start(dataDir.resolve("kafka"));
    closeables.push(kafka);
    kafka.createTopic(Topics.TELEMETRY, TELEMETRY_PARTITIONS);
    kafka.createTopic(Topics.DEADLETTER, 1);

    lake = LakehouseCatalog.open(dataDir);
    closeables.push(lake);
    lake.createMissingTables();
    tableStats = new TableStats(lake.catalog());
    for (TableSpec table : IronlakeTables.all()) {
      baselines.put(table.identifier(), tableStats.totalRecords(table.identifier()));
    }

    SimulatorConfig.Builder sim =
        SimulatorConfig.builder()
            .opcUaLines(options.opcUaLines())
            .mqttLines(options.mqttLines())
            .machinesPerLine(options.machinesPerLine())
            .speed(options.speed())
            .seed(options.seed())
            .dataDir(dataDir)
            .emitOnStart(false)
            // A run without an end keeps only recent points in memory; the journal has them all.
            .emissionMemoryLimit(options.simulatedDuration() == null ? 50_000 : 2_000_000);
    if (options.simulatedDuration() != null) {
      sim.duration(options.simulatedDuration());
    }
    if (options.simulatedStart() != null) {
      sim.startTime(options.simulatedStart());
    }
    for (Map.Entry<String, Duration> reset : options.meterResets().entrySet()) {
      sim.meterResetAt(reset.getKey(), reset.getValue());
    }
    factory = SimulatedFactory.start(sim.build());
    closeables.push(factory);

    // The jobs get the simulated machines' ideal cycle times, so OEE has its performance factor.
    StaticRuleCatalog.Builder rules = IndicatorDefaults.builder();
    for (SimMachine machine : factory.plant().machines()) {
      rules.idealCycleTime(machine.devicePath(), machine.idealCycleTime());
    }
    JobsConfig jobsConfig =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .catalogProperties(lake.properties())
            .checkpointInterval(options.checkpointInterval())
            .maxOutOfOrderness(maxOutOfOrderness(options.speed()))
            .restoreFromLatest(false)
            .ruleCatalog(options.ruleCatalog() == null ? rules.build() : options.ruleCatalog())
            .build();
    jobs = LocalJobRunner.start(jobsConfig, options.jobs());
    closeables.push(jobs);
    // Starting every job's tasks takes both cores for seconds; emitting meanwhile stalled the
    // OPC UA publishing long enough for the server to drop a machine's first values.
    jobs.awaitRunning(Duration.ofMinutes(2));

    collectorConfigFile =
        CollectorConfigFile.write(
            dataDir.resolve("collector.yaml"),
            factory.plant(),
            factory.opcUaEndpoint(),
            factory.mqttBrokerUrl(),
            kafka.bootstrapServers(),
            dataDir.resolve("collector-state"));
    collector =
        EdgeCollector.start(CollectorConfigLoader.load(collectorConfigFile), Clock.systemUTC());
    closeables.push(collector);
    awaitCollectorReady(Duration.ofSeconds(60));
    factory.startEmitting();
    LOG.info(
        "quickstart started: dataDir={}, kafka={}, opcUa={}, mqtt={}, collectorConfig={}",
        dataDir,
        kafka.bootstrapServers(),
        factory.opcUaEndpoint(),
        factory.mqttBrokerUrl(),
        collectorConfigFile);
  }

  /**
   * The jobs' out-of-orderness bound: 5 s of real time at the simulator's speed. The collector's
   * OPC UA and MQTT sources deliver with different delays, and one Kafka partition carries devices
   * of both; at speed 30 the default 5 s of event time is 0.17 s of real time, which a busy machine
   * exceeds, making points late (kept in {@code ironlake.late_points}, missing from indicators).
   */
  static Duration maxOutOfOrderness(double speed) {
    return Duration.ofMillis(
        Math.round(JobsConfig.MAX_OUT_OF_ORDERNESS_DEFAULT.toMillis() * Math.max(1.0, speed)));
  }

  private void awaitCollectorReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!collector.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Cannot start the quickstart: the collector's sources did not connect within "
                + timeout
                + " (states: "
                + collector.sourceStates()
                + ")");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the collector", e);
      }
    }
  }

  public String opcUaEndpoint() {
    return factory.opcUaEndpoint();
  }

  public String mqttBrokerUrl() {
    return factory.mqttBrokerUrl();
  }

  public String kafkaBootstrapServers() {
    return kafka.bootstrapServers();
  }

  public Path collectorConfigFile() {
    return collectorConfigFile;
  }

  /** The simulated factory, for tests that compare what it emitted. */
  public SimulatedFactory factory() {
    return factory;
  }

  /** The lakehouse catalog. */
  public LakehouseCatalog lake() {
    return lake;
  }

  /** Counts for the progress line and the summary; rows are those committed in this run. */
  public Stats stats() {
    CollectorStats c = finalCollectorStats != null ? finalCollectorStats : collector.stats();
    Map<String, Long> rows = new LinkedHashMap<>();
    baselines.forEach(
        (table, base) -> rows.put(table.name(), tableStats.totalRecords(table) - base));
    return new Stats(c.pointsRead(), c.pointsSent(), c.deadLetters(), c.sendErrors(), rows);
  }

  /**
   * Stops collecting (simulator and collector), then waits until every point sent to Kafka is
   * committed to {@code ironlake.telemetry} or the timeout passes. Returns whether it all landed.
   */
  public boolean drain(Duration timeout) {
    if (finalCollectorStats == null) {
      factory.close();
      collector.close();
      finalCollectorStats = collector.stats();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Stats s = stats();
      if (s.telemetryRows() >= s.pointsSent()) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn(
            "quickstart close failed: part={}, error={}",
            c.getClass().getSimpleName(),
            e.toString());
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clear " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * What the pipeline has done so far.
   *
   * @param pointsRead points the collector read from its sources
   * @param pointsSent points acknowledged by Kafka
   * @param deadLetters payloads sent to deadletter.v1
   * @param sendErrors failed Kafka sends
   * @param tableRows rows committed in this run per lakehouse table, e.g. {@code telemetry}
   */
  public record Stats(
      long pointsRead,
      long pointsSent,
      long deadLetters,
      long sendErrors,
      Map<String, Long> tableRows) {

    public Stats {
      tableRows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tableRows));
    }

    /** Rows committed to ironlake.telemetry in this run. */
    public long telemetryRows() {
      return tableRows.getOrDefault(IronlakeTables.TELEMETRY.identifier().name(), 0L);
    }
  }
}
