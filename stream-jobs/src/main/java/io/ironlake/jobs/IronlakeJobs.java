package io.ironlake.jobs;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.dataquality.DataQualityJob;
import io.ironlake.jobs.energy.EnergyJob;
import io.ironlake.jobs.ingest.TelemetryIngestJob;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.internal.KafkaTopics;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.routing.PointRoute;
import io.ironlake.jobs.routing.RoutedPoints;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.SafetyJob;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Composes Ironlake's built-in jobs on a Flink environment, for {@link LocalJobRunner} or for a
 * user's own {@code main} submitted to a Flink cluster.
 *
 * <pre>{@code
 * StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
 * env.enableCheckpointing(config.checkpointInterval().toMillis());
 * IronlakeJobs.addJobs(env, config, IronlakeJobs.ALL);
 * env.execute("ironlake-jobs");
 * }</pre>
 */
public final class IronlakeJobs {
  /** Job name: every point of {@code telemetry.v1} into {@code ironlake.telemetry}. */
  public static final String INGEST = "ingest";

  /** Job name: energy per device per minute into {@code ironlake.energy}. */
  public static final String ENERGY = "energy";

  /**
   * Job name: SPC per characteristic and OEE per device/line and shift, {@code ironlake.spc/oee}.
   */
  public static final String QUALITY = "quality";

  /**
   * Job name: limit, rate-of-change, frozen-value and pattern alarms with their lifecycle, {@code
   * ironlake.alarms}, {@code ironlake.alarm_rate} and {@code alarms.v1}.
   */
  public static final String SAFETY = "safety";

  /**
   * Job name: data quality per device, tag and hour, and the seq completeness ledger, {@code
   * ironlake.data_quality} and {@code ironlake.completeness}.
   */
  public static final String DATA_QUALITY = "dataquality";

  /** The built-in jobs the quickstart runs. */
  public static final Set<String> ALL = Set.of(INGEST, ENERGY, QUALITY, SAFETY);

  /** Every job name {@link #addJobs} knows: {@link #ALL} and {@link #DATA_QUALITY}. */
  public static final Set<String> KNOWN = Set.of(INGEST, ENERGY, QUALITY, SAFETY, DATA_QUALITY);

  /**
   * Prefix of the uids of the rules input of the step that deduplicates and routes in {@link
   * #addJobs} ({@code point-router-rules-source}, {@code -rules-check}, {@code -rules-watermarks});
   * the step itself has the dedup's uid, {@link TelemetrySource#DEDUP_UID}. Also the uid an earlier
   * build gave a separate routing step (restore its savepoints with non-restored state allowed).
   */
  public static final String ROUTER_UID = "point-router";

  private IronlakeJobs() {}

  /**
   * Adds the named jobs, sharing one Kafka source and one dedup step; creates missing tables first.
   */
  public static void addJobs(StreamExecutionEnvironment env, JobsConfig config, Set<String> names) {
    checkNames(names);
    createMissingTables(config);
    if (names.contains(SAFETY)) {
      createAlarmTopics(config);
      SafetyJob.tuneForLatency(env);
    }
    createIndicatorTopics(config, names);
    // Ingest and data quality read every point; the indicators only the points they use.
    RoutedPoints routed = route(TelemetrySource.raw(env, config), config, names);
    DataStream<TelemetryPoint> points = routed.all();
    // Late points of every event-time operator, into ironlake.late_points through one sink.
    LatePoints late = new LatePoints();
    if (names.contains(INGEST)) {
      TelemetryIngestJob.addTo(points, config);
    }
    if (names.contains(ENERGY)) {
      EnergyJob.addTo(routed, config, late);
    }
    DataStream<AlarmEvent> spcAlarms = null;
    if (names.contains(QUALITY)) {
      spcAlarms = QualityJob.addTo(routed, config, late);
    }
    if (names.contains(SAFETY)) {
      // With the quality job, SPC rule events join the alarm lifecycle, rate and sinks.
      SafetyJob.addTo(env, routed, spcAlarms, config, late);
    }
    if (names.contains(DATA_QUALITY)) {
      DataQualityJob.addTo(points, config, late);
    }
    late.addSink(config);
  }

  /**
   * The routes of the consumer operators of the named jobs that read only some points: energy
   * ({@link EnergyJob#ROUTE}), SPC and OEE ({@link QualityJob#SPC_ROUTE}, {@link
   * QualityJob#OEE_ROUTE}), tag alarms and patterns ({@link SafetyJob#TAG_ALARMS_ROUTE}, {@link
   * SafetyJob#PATTERNS_ROUTE}).
   */
  public static List<PointRoute> routesOf(Set<String> names) {
    List<PointRoute> routes = new ArrayList<>();
    if (names.contains(ENERGY)) {
      routes.add(EnergyJob.ROUTE);
    }
    if (names.contains(QUALITY)) {
      routes.add(QualityJob.SPC_ROUTE);
      routes.add(QualityJob.OEE_ROUTE);
    }
    if (names.contains(SAFETY)) {
      routes.add(SafetyJob.TAG_ALARMS_ROUTE);
      routes.add(SafetyJob.PATTERNS_ROUTE);
    }
    return List.copyOf(routes);
  }

  /**
   * The points of {@code raw} deduplicated, as {@link #addJobs} hands them to the named jobs'
   * indicator operators: one step keyed by device (uid {@link TelemetrySource#DEDUP_UID}, the
   * dedup's) that drops duplicates, follows the rules topic ({@link LiveRules#fromKafka}, uid
   * prefix {@link #ROUTER_UID}) and sends each point only to the operators whose acceptance check
   * takes it under the catalog in effect ({@link #routesOf}); the plain dedup, unrouted, when none
   * of the named jobs has such an operator. {@link RoutedPoints#all} is every deduplicated point.
   */
  public static RoutedPoints route(
      DataStream<TelemetryPoint> raw, JobsConfig config, Set<String> names) {
    List<PointRoute> routes = routesOf(names);
    if (routes.isEmpty()) {
      return RoutedPoints.unrouted(TelemetrySource.deduplicate(raw, config));
    }
    LiveRules rules = LiveRules.fromKafka(raw.getExecutionEnvironment(), config, ROUTER_UID);
    return RoutedPoints.deduplicateAndRoute(
        raw, TelemetrySource.dedup(config), rules, routes, TelemetrySource.DEDUP_UID);
  }

  /** Adds the data-quality job with its own source; creates missing tables first. */
  public static void addDataQuality(StreamExecutionEnvironment env, JobsConfig config) {
    createMissingTables(config);
    createIndicatorTopics(config, Set.of(DATA_QUALITY));
    LatePoints late = new LatePoints();
    DataQualityJob.addTo(TelemetrySource.deduplicated(env, config), config, late);
    late.addSink(config);
  }

  /** Adds the quality job with its own source; creates missing tables first. */
  public static void addQuality(StreamExecutionEnvironment env, JobsConfig config) {
    createMissingTables(config);
    createIndicatorTopics(config, Set.of(QUALITY));
    LatePoints late = new LatePoints();
    QualityJob.addTo(TelemetrySource.deduplicated(env, config), config, late);
    late.addSink(config);
  }

  /** Adds the safety job with its own source; creates missing tables and alarm topics first. */
  public static void addSafety(StreamExecutionEnvironment env, JobsConfig config) {
    createMissingTables(config);
    createAlarmTopics(config);
    SafetyJob.tuneForLatency(env);
    LatePoints late = new LatePoints();
    SafetyJob.addTo(env, TelemetrySource.deduplicated(env, config), null, config, late);
    late.addSink(config);
  }

  /** Adds the ingest job with its own source; creates missing tables first. */
  public static void addIngest(StreamExecutionEnvironment env, JobsConfig config) {
    createMissingTables(config);
    TelemetryIngestJob.addTo(TelemetrySource.deduplicated(env, config), config);
  }

  /** Adds the energy job with its own source; creates missing tables first. */
  public static void addEnergy(StreamExecutionEnvironment env, JobsConfig config) {
    createMissingTables(config);
    createIndicatorTopics(config, Set.of(ENERGY));
    LatePoints late = new LatePoints();
    EnergyJob.addTo(TelemetrySource.deduplicated(env, config), config, late);
    late.addSink(config);
  }

  /** Refuses an empty set or unknown names, naming the known ones. */
  static void checkNames(Set<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid job names []: expected one or more of " + new TreeSet<>(KNOWN));
    }
    for (String name : names) {
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException(
            "Invalid job name " + name + ": expected one of " + new TreeSet<>(KNOWN));
      }
    }
  }

  private static void createAlarmTopics(JobsConfig config) {
    KafkaTopics.createIfMissing(
        config.kafkaBootstrapServers(),
        Map.of(config.alarmsTopic(), 1, config.alarmCommandsTopic(), 1));
  }

  /**
   * Creates the indicator topics of the named jobs when missing: 1 partition (a consumer gets every
   * device in order), the broker's replication factor.
   */
  private static void createIndicatorTopics(JobsConfig config, Set<String> names) {
    Map<String, Integer> topics = new TreeMap<>();
    config.indicatorTopics().topicsOf(names).forEach(t -> topics.put(t, 1));
    if (!topics.isEmpty()) {
      KafkaTopics.createIfMissing(config.kafkaBootstrapServers(), topics);
    }
  }

  private static void createMissingTables(JobsConfig config) {
    try (LakehouseCatalog lake = LakehouseCatalog.open(config.catalogProperties())) {
      lake.createMissingTables();
    }
  }
}
