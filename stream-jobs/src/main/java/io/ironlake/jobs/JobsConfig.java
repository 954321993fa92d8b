package io.ironlake.jobs;

import io.ironlake.connectors.kafka.Topics;
import io.ironlake.jobs.internal.SeqWindow;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of Ironlake's built-in Flink jobs.
 *
 * <pre>{@code
 * JobsConfig config = JobsConfig.builder()
 *     .kafkaBootstrapServers("127.0.0.1:9092")
 *     .dataDir(Path.of("data"))
 *     .checkpointInterval(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * @param kafkaBootstrapServers Kafka brokers, {@code host:port[,host:port]}
 * @param dataDir local data folder: the default catalog and warehouse, and Flink's checkpoints
 * @param catalogProperties Iceberg catalog properties (default: the local catalog under dataDir)
 * @param topic the telemetry topic
 * @param groupId the Kafka consumer group; its committed offsets are where a fresh start begins
 * @param startingOffsets where to start when the group has no committed offsets and there is no
 *     checkpoint to restore
 * @param checkpointInterval how often Flink checkpoints, which is how often tables get commits
 * @param maxOutOfOrderness how far behind the newest point a point may arrive and still count
 * @param idleTimeout a Kafka partition without points for this long stops holding the watermark
 * @param dedupTtl how long a device that sends no new point keeps its dedup windows (processing
 *     time)
 * @param parallelism operator parallelism
 * @param taskSlots task slots of the local MiniCluster ({@link LocalJobRunner})
 * @param restoreFromLatest whether {@link LocalJobRunner} resumes from the newest savepoint or
 *     retained checkpoint under dataDir
 * @param ruleCatalog parameters of the quality and safety jobs per site/line/device/tag
 * @param alarmsTopic the topic the safety job writes alarm events to
 * @param alarmCommandsTopic the topic the safety job reads operator commands (ACK) from
 * @param bounded whether the jobs stop at the Kafka offsets that are the latest when they start
 *     (then every window closes and the job finishes: a backfill, or a test), instead of running
 *     until stopped; the input ends only once a checkpoint of the current attempt has completed
 *     ({@code EndAfterCheckpointSource}): up to one {@code checkpointInterval}, plus the time a
 *     checkpoint takes, later
 * @param dedupWindow how many seqs below the highest seen per device and (collector, source) the
 *     dedup remembers (a power of two; one bit each)
 * @param indicatorTopics the Kafka topics that get the indicator tables' rows as JSON for live
 *     consumers ({@link IndicatorTopics#DEFAULTS}: {@code energy.v1}, {@code spc.v1}, ...; {@link
 *     IndicatorTopics#OFF} for none)
 */
public record JobsConfig(
    String kafkaBootstrapServers,
    Path dataDir,
    Map<String, String> catalogProperties,
    String topic,
    String groupId,
    StartingOffsets startingOffsets,
    Duration checkpointInterval,
    Duration maxOutOfOrderness,
    Duration idleTimeout,
    Duration dedupTtl,
    int parallelism,
    int taskSlots,
    boolean restoreFromLatest,
    RuleCatalog ruleCatalog,
    String alarmsTopic,
    String alarmCommandsTopic,
    boolean bounded,
    int dedupWindow,
    IndicatorTopics indicatorTopics) {

  /** Default of {@code groupId}. */
  public static final String GROUP_ID_DEFAULT = "ironlake-jobs";

  /** Default of {@code checkpointInterval}. */
  public static final Duration CHECKPOINT_INTERVAL_DEFAULT = Duration.ofSeconds(10);

  /** Default of {@code maxOutOfOrderness}. */
  public static final Duration MAX_OUT_OF_ORDERNESS_DEFAULT = Duration.ofSeconds(5);

  /** Default of {@code idleTimeout}. */
  public static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);

  /**
   * Default of {@code dedupWindow}: 131,072 seqs (16 KiB per device and source), more than a
   * collector re-sends after a restart (at most 8 MiB of spool entries in flight, about 80,000
   * points).
   */
  public static final int DEDUP_WINDOW_DEFAULT = 1 << 17;

  /** Default of {@code dedupTtl}. */
  public static final Duration DEDUP_TTL_DEFAULT = Duration.ofHours(1);

  /** Default of {@code parallelism}. */
  public static final int PARALLELISM_DEFAULT = 1;

  /** Default of {@code taskSlots}. */
  public static final int TASK_SLOTS_DEFAULT = 2;

  /** Default of {@code alarmCommandsTopic}. */
  public static final String ALARM_COMMANDS_TOPIC_DEFAULT = "alarm-commands.v1";

  /** Where a consumer group without committed offsets starts reading. */
  public enum StartingOffsets {
    /** The oldest point still in Kafka. */
    EARLIEST,
    /** Only points that arrive after the job starts. */
    LATEST
  }

  public JobsConfig {
    requireText(kafkaBootstrapServers, "kafkaBootstrapServers");
    Objects.requireNonNull(dataDir, "Missing value for `dataDir`");
    catalogProperties = Map.copyOf(catalogProperties);
    requireText(topic, "topic");
    requireText(groupId, "groupId");
    Objects.requireNonNull(startingOffsets, "Missing value for `startingOffsets`");
    requirePositive(checkpointInterval, "checkpointInterval");
    requireNotNegative(maxOutOfOrderness, "maxOutOfOrderness");
    requirePositive(idleTimeout, "idleTimeout");
    requirePositive(dedupTtl, "dedupTtl");
    SeqWindow.checkSize(dedupWindow);
    if (parallelism < 1) {
      throw new IllegalArgumentException(
          "Invalid value " + parallelism + " for `parallelism`: expected at least 1");
    }
    if (taskSlots < parallelism) {
      throw new IllegalArgumentException(
          "Invalid value "
              + taskSlots
              + " for `taskSlots`: expected at least `parallelism` ("
              + parallelism
              + ")");
    }
    Objects.requireNonNull(ruleCatalog, "Missing value for `ruleCatalog`");
    requireText(alarmsTopic, "alarmsTopic");
    requireText(alarmCommandsTopic, "alarmCommandsTopic");
    Objects.requireNonNull(indicatorTopics, "Missing value for `indicatorTopics`");
  }

  /**
   * The settings without the quality and safety parameters (the built-in defaults, {@link
   * RuleCatalog#defaults()}, and the default alarm topics).
   */
  public JobsConfig(
      String kafkaBootstrapServers,
      Path dataDir,
      Map<String, String> catalogProperties,
      String topic,
      String groupId,
      StartingOffsets startingOffsets,
      Duration checkpointInterval,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      Duration dedupTtl,
      int parallelism,
      int taskSlots,
      boolean restoreFromLatest) {
    this(
        kafkaBootstrapServers,
        dataDir,
        catalogProperties,
        topic,
        groupId,
        startingOffsets,
        checkpointInterval,
        maxOutOfOrderness,
        idleTimeout,
        dedupTtl,
        parallelism,
        taskSlots,
        restoreFromLatest,
        RuleCatalog.defaults(),
        Topics.ALARMS,
        ALARM_COMMANDS_TOPIC_DEFAULT);
  }

  /** The settings of the second issue: unbounded (runs until stopped). */
  public JobsConfig(
      String kafkaBootstrapServers,
      Path dataDir,
      Map<String, String> catalogProperties,
      String topic,
      String groupId,
      StartingOffsets startingOffsets,
      Duration checkpointInterval,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      Duration dedupTtl,
      int parallelism,
      int taskSlots,
      boolean restoreFromLatest,
      RuleCatalog ruleCatalog,
      String alarmsTopic,
      String alarmCommandsTopic) {
    this(
        kafkaBootstrapServers,
        dataDir,
        catalogProperties,
        topic,
        groupId,
        startingOffsets,
        checkpointInterval,
        maxOutOfOrderness,
        idleTimeout,
        dedupTtl,
        parallelism,
        taskSlots,
        restoreFromLatest,
        ruleCatalog,
        alarmsTopic,
        alarmCommandsTopic,
        false);
  }

  /**
   * The settings before {@code dedupWindow} and {@code indicatorTopics}: their defaults ({@link
   * IndicatorTopics#DEFAULTS}).
   */
  public JobsConfig(
      String kafkaBootstrapServers,
      Path dataDir,
      Map<String, String> catalogProperties,
      String topic,
      String groupId,
      StartingOffsets startingOffsets,
      Duration checkpointInterval,
      Duration maxOutOfOrderness,
      Duration idleTimeout,
      Duration dedupTtl,
      int parallelism,
      int taskSlots,
      boolean restoreFromLatest,
      RuleCatalog ruleCatalog,
      String alarmsTopic,
      String alarmCommandsTopic,
      boolean bounded) {
    this(
        kafkaBootstrapServers,
        dataDir,
        catalogProperties,
        topic,
        groupId,
        startingOffsets,
        checkpointInterval,
        maxOutOfOrderness,
        idleTimeout,
        dedupTtl,
        parallelism,
        taskSlots,
        restoreFromLatest,
        ruleCatalog,
        alarmsTopic,
        alarmCommandsTopic,
        bounded,
        DEDUP_WINDOW_DEFAULT,
        IndicatorTopics.DEFAULTS);
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .kafkaBootstrapServers(kafkaBootstrapServers)
        .dataDir(dataDir)
        .catalogProperties(catalogProperties)
        .topic(topic)
        .groupId(groupId)
        .startingOffsets(startingOffsets)
        .checkpointInterval(checkpointInterval)
        .maxOutOfOrderness(maxOutOfOrderness)
        .idleTimeout(idleTimeout)
        .dedupTtl(dedupTtl)
        .parallelism(parallelism)
        .taskSlots(taskSlots)
        .restoreFromLatest(restoreFromLatest)
        .ruleCatalog(ruleCatalog)
        .alarmsTopic(alarmsTopic)
        .alarmCommandsTopic(alarmCommandsTopic)
        .bounded(bounded)
        .dedupWindow(dedupWindow)
        .indicatorTopics(indicatorTopics);
  }

  /** Flink's checkpoint folder, {@code <dataDir>/flink/checkpoints}. */
  public Path checkpointDir() {
    return dataDir.toAbsolutePath().resolve("flink").resolve("checkpoints");
  }

  /** Flink's savepoint folder, {@code <dataDir>/flink/savepoints}. */
  public Path savepointDir() {
    return dataDir.toAbsolutePath().resolve("flink").resolve("savepoints");
  }

  private static void requireText(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing value for `" + key + "`");
    }
  }

  private static void requirePositive(Duration value, String key) {
    Objects.requireNonNull(value, "Missing value for `" + key + "`");
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for `" + key + "`: expected a positive duration");
    }
  }

  private static void requireNotNegative(Duration value, String key) {
    Objects.requireNonNull(value, "Missing value for `" + key + "`");
    if (value.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid value " + value + " for `" + key + "`: expected zero or a positive duration");
    }
  }

  /**
   * Builds a {@link JobsConfig}; {@code kafkaBootstrapServers} and {@code dataDir} are required.
   */
  public static final class Builder {
    private String kafkaBootstrapServers;
    private Path dataDir;
    private Map<String, String> catalogProperties;
    private String topic = Topics.TELEMETRY;
    private String groupId = GROUP_ID_DEFAULT;
    private StartingOffsets startingOffsets = StartingOffsets.EARLIEST;
    private Duration checkpointInterval = CHECKPOINT_INTERVAL_DEFAULT;
    private Duration maxOutOfOrderness = MAX_OUT_OF_ORDERNESS_DEFAULT;
    private Duration idleTimeout = IDLE_TIMEOUT_DEFAULT;
    private Duration dedupTtl = DEDUP_TTL_DEFAULT;
    private int parallelism = PARALLELISM_DEFAULT;
    private int taskSlots = TASK_SLOTS_DEFAULT;
    private boolean restoreFromLatest = true;
    private RuleCatalog ruleCatalog;
    private String alarmsTopic = Topics.ALARMS;
    private String alarmCommandsTopic = ALARM_COMMANDS_TOPIC_DEFAULT;
    private boolean bounded;
    private int dedupWindow = DEDUP_WINDOW_DEFAULT;
    private IndicatorTopics indicatorTopics = IndicatorTopics.DEFAULTS;

    private Builder() {}

    public Builder kafkaBootstrapServers(String value) {
      this.kafkaBootstrapServers = value;
      return this;
    }

    public Builder dataDir(Path value) {
      this.dataDir = value;
      return this;
    }

    /** Iceberg catalog properties; leave unset for the local catalog under {@code dataDir}. */
    public Builder catalogProperties(Map<String, String> value) {
      this.catalogProperties = value;
      return this;
    }

    public Builder topic(String value) {
      this.topic = value;
      return this;
    }

    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    public Builder startingOffsets(StartingOffsets value) {
      this.startingOffsets = value;
      return this;
    }

    public Builder checkpointInterval(Duration value) {
      this.checkpointInterval = value;
      return this;
    }

    public Builder maxOutOfOrderness(Duration value) {
      this.maxOutOfOrderness = value;
      return this;
    }

    public Builder idleTimeout(Duration value) {
      this.idleTimeout = value;
      return this;
    }

    public Builder dedupTtl(Duration value) {
      this.dedupTtl = value;
      return this;
    }

    public Builder parallelism(int value) {
      this.parallelism = value;
      return this;
    }

    public Builder taskSlots(int value) {
      this.taskSlots = value;
      return this;
    }

    public Builder restoreFromLatest(boolean value) {
      this.restoreFromLatest = value;
      return this;
    }

    /** Quality and safety parameters; leave unset for the built-in defaults. */
    public Builder ruleCatalog(RuleCatalog value) {
      this.ruleCatalog = value;
      return this;
    }

    public Builder alarmsTopic(String value) {
      this.alarmsTopic = value;
      return this;
    }

    public Builder alarmCommandsTopic(String value) {
      this.alarmCommandsTopic = value;
      return this;
    }

    /**
     * Stop at the offsets that are the latest when the jobs start, close every window and finish
     * (default false: run until stopped).
     */
    public Builder bounded(boolean value) {
      this.bounded = value;
      return this;
    }

    /**
     * Seqs remembered below the highest per device and (collector, source), a power of two (default
     * {@link #DEDUP_WINDOW_DEFAULT}).
     */
    public Builder dedupWindow(int value) {
      this.dedupWindow = value;
      return this;
    }

    /**
     * The topics that get the indicator tables' rows for live consumers (default {@link
     * IndicatorTopics#DEFAULTS}; {@link IndicatorTopics#OFF} for none).
     */
    public Builder indicatorTopics(IndicatorTopics value) {
      this.indicatorTopics = value;
      return this;
    }

    /** Checks the values and builds the config. */
    public JobsConfig build() {
      Objects.requireNonNull(dataDir, "Missing value for `dataDir`");
      Map<String, String> catalog =
          catalogProperties == null || catalogProperties.isEmpty()
              ? LakehouseCatalog.localProperties(dataDir)
              : catalogProperties;
      return new JobsConfig(
          kafkaBootstrapServers,
          dataDir,
          catalog,
          topic,
          groupId,
          startingOffsets,
          checkpointInterval,
          maxOutOfOrderness,
          idleTimeout,
          dedupTtl,
          parallelism,
          taskSlots,
          restoreFromLatest,
          ruleCatalog == null ? RuleCatalog.defaults() : ruleCatalog,
          alarmsTopic,
          alarmCommandsTopic,
          bounded,
          dedupWindow,
          indicatorTopics);
    }
  }
}
