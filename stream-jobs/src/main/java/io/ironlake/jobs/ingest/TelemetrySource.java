package io.ironlake.jobs.ingest;

import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.internal.DedupFunction;
import io.ironlake.jobs.internal.SeqDedup;
import io.ironlake.jobs.internal.TelemetryDeserializationSchema;
import io.ironlake.jobs.internal.TelemetryPointTypeInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The telemetry every built-in job starts from: points of {@code telemetry.v1} with event-time
 * watermarks, deduplicated on {@code (collector_id, source, seq)}.
 */
public final class TelemetrySource {
  /** Operator uid of the Kafka source (kept stable: savepoints map state by uid). */
  public static final String SOURCE_UID = "telemetry-source";

  /**
   * Operator uid of the dedup step, alone ({@link #deduplicate}) or deduplicating and routing in
   * one step (the same keyed state; {@code IronlakeJobs.route}). Not the first version's {@code
   * telemetry-dedup} (one flag per point): a savepoint of that version restores with non-restored
   * state allowed (the flags are skipped, the windows start empty; everything else, the Kafka
   * offsets included, is restored).
   */
  public static final String DEDUP_UID = "telemetry-dedup-window";

  private TelemetrySource() {}

  /**
   * The Kafka source. On a fresh start it begins at the group's committed offsets, or where {@link
   * JobsConfig#startingOffsets()} says when there are none; on a restore, at the checkpointed ones.
   * Offsets are committed to the group on each checkpoint. With {@link JobsConfig#bounded()} it
   * stops at the offsets that are the latest when the job starts (kept in checkpoints, so a
   * restored job stops at the same place).
   */
  @SuppressWarnings("deprecation") // OffsetResetStrategy is what the 5.0 connector takes
  public static KafkaSource<TelemetryPoint> kafkaSource(JobsConfig config) {
    OffsetResetStrategy reset =
        config.startingOffsets() == JobsConfig.StartingOffsets.LATEST
            ? OffsetResetStrategy.LATEST
            : OffsetResetStrategy.EARLIEST;
    var builder = KafkaSource.<TelemetryPoint>builder();
    if (config.bounded()) {
      builder.setBounded(OffsetsInitializer.latest());
    }
    return builder
        .setBootstrapServers(config.kafkaBootstrapServers())
        .setTopics(config.topic())
        .setGroupId(config.groupId())
        .setClientIdPrefix(config.groupId())
        .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
        .setDeserializer(new TelemetryDeserializationSchema())
        .setProperty("partition.discovery.interval.ms", "10000")
        .setProperty("commit.offsets.on.checkpoint", "true")
        .build();
  }

  /**
   * Event time is the point's source timestamp; the watermark trails the newest point by {@code
   * maxOutOfOrderness}, and a partition without points for {@code idleTimeout} stops holding it.
   */
  public static WatermarkStrategy<TelemetryPoint> watermarks(JobsConfig config) {
    return WatermarkStrategy.<TelemetryPoint>forBoundedOutOfOrderness(config.maxOutOfOrderness())
        .withTimestampAssigner((point, previous) -> Math.floorDiv(point.tsMicros(), 1000L))
        .withIdleness(config.idleTimeout());
  }

  /**
   * Points read from Kafka, with watermarks, before dedup. With checkpointing on, a bounded run's
   * source ends only after a checkpoint of its current attempt completed ({@link
   * EndAfterCheckpointSource}: else the Iceberg sinks could drop what was read after a restore).
   */
  public static DataStream<TelemetryPoint> raw(StreamExecutionEnvironment env, JobsConfig config) {
    KafkaSource<TelemetryPoint> kafka = kafkaSource(config);
    boolean holdEnd = config.bounded() && env.getCheckpointConfig().isCheckpointingEnabled();
    return env.fromSource(
            holdEnd ? new EndAfterCheckpointSource<>(kafka) : kafka,
            watermarks(config),
            "telemetry.v1",
            TelemetryPointTypeInfo.INSTANCE)
        .uid(SOURCE_UID)
        .setParallelism(config.parallelism());
  }

  /**
   * Drops points whose {@code (collector_id, source, seq)} was seen within the last {@code
   * dedupWindow} seqs of their device and source ({@link DedupFunction}).
   */
  public static DataStream<TelemetryPoint> deduplicate(
      DataStream<TelemetryPoint> points, JobsConfig config) {
    return points
        .keyBy(DedupFunction.KEY)
        .process(
            new DedupFunction(config.dedupTtl(), config.dedupWindow()),
            TelemetryPointTypeInfo.INSTANCE)
        .name("dedup")
        .uid(DEDUP_UID);
  }

  /** The dedup of {@link #deduplicate} as a step of another keyed function (e.g. the router). */
  public static SeqDedup dedup(JobsConfig config) {
    return new SeqDedup(config.dedupTtl(), config.dedupWindow());
  }

  /** Points read from Kafka, with watermarks, deduplicated: the input of every built-in job. */
  public static DataStream<TelemetryPoint> deduplicated(
      StreamExecutionEnvironment env, JobsConfig config) {
    return deduplicate(raw(env, config), config);
  }
}
