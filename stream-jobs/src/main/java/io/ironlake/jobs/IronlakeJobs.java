package io.ironlake.jobs;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.dataquality.DataQualityJob;
import io.ironlake.jobs.energy.EnergyJob;
import io.ironlake.jobs.ingest.TelemetryIngestJob;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.internal.KafkaTopics;
import io.ironlake.jobs.late.LatePoints;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.SafetyJob;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
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
    DataStream<TelemetryPoint> points = TelemetrySource.deduplicated(env, config);
    // Late points of every event-time operator, into ironlake.late_points through one sink.
    LatePoints late = new LatePoints();
    if (names.contains(INGEST)) {
      TelemetryIngestJob.addTo(points, config);
    }
    if (names.contains(ENERGY)) {
      EnergyJob.addTo(points, config, late);
    }
    DataStream<AlarmEvent> spcAlarms = null;
    if (names.contains(QUALITY)) {
      spcAlarms = QualityJob.addTo(points, config, late);
    }
    if (names.contains(SAFETY)) {
      // With the quality job, SPC rule events join the alarm lifecycle, rate and sinks.
      SafetyJob.addTo(env, points, spcAlarms, config, late);
    }
    if (names.contains(DATA_QUALITY)) {
      DataQualityJob.addTo(points, config, late);
    }
    late.addSink(config);
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
