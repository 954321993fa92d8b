package io.ironlake.jobs.rules;

import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.rules.internal.CheckCatalogFunction;
import io.ironlake.jobs.rules.internal.RulesRecordDeserializer;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rules a job's operators use: an initial catalog and a stream of published catalogs that
 * replace it from the moment they arrive (broadcast state, checkpointed). {@link #fromKafka} reads
 * the compacted rules topic; {@link #fixed} has no updates.
 *
 * <pre>{@code
 * LiveRules rules = LiveRules.fromKafka(env, config, "quality");
 * points.keyBy(...).connect(rules.broadcast()).process(new SpcFunction(rules.initial()), ...);
 * }</pre>
 */
public final class LiveRules {
  /** The rules topic (compacted, one partition, key = catalog name). */
  public static final String TOPIC_DEFAULT = "rules.v1";

  /** The broadcast state: one entry, {@link #KEY}, the newest valid published catalog. */
  public static final MapStateDescriptor<String, PublishedCatalog> STATE =
      new MapStateDescriptor<>(
          "rule-catalog", Types.STRING, TypeInformation.of(PublishedCatalog.class));

  /** The key of the catalog in {@link #STATE}. */
  public static final String KEY = "catalog";

  private final RuleCatalog initial;
  private final DataStream<PublishedCatalog> updates;

  private LiveRules(RuleCatalog initial, DataStream<PublishedCatalog> updates) {
    this.initial = initial;
    this.updates = updates;
  }

  /** The initial catalog and no updates. */
  public static LiveRules fixed(StreamExecutionEnvironment env, RuleCatalog initial) {
    // An empty collection source fails in Flink 2.1; one placeholder filtered out is empty too.
    DataStream<PublishedCatalog> none =
        env.fromData(
                List.of(new PublishedCatalog("none", 0, "", 0, "")),
                TypeInformation.of(PublishedCatalog.class))
            .setParallelism(1)
            .filter(p -> false)
            .name("no-rule-updates")
            // A bounded source: its end-of-input watermark releases event time of the operators
            // it feeds as soon as it finishes (an idleness mark would come only after the first
            // periodic emit, 200 ms, and points judged before that would never be late).
            .setParallelism(1);
    return new LiveRules(initial, none);
  }

  /**
   * {@code config.ruleCatalog()} until a valid catalog arrives on {@link #TOPIC_DEFAULT} (created
   * compacted if missing); the topic is read from its start, so the newest catalog on it applies on
   * a fresh start too. Invalid records are refused with an ERROR log (metric {@value
   * CheckCatalogFunction#REJECTED_METRIC}) and change nothing. Operator uids start with {@code
   * uidPrefix}. With {@link JobsConfig#bounded()} the topic is read up to its end at start.
   */
  public static LiveRules fromKafka(
      StreamExecutionEnvironment env, JobsConfig config, String uidPrefix) {
    return fromKafka(env, config, TOPIC_DEFAULT, uidPrefix);
  }

  /** As {@link #fromKafka(StreamExecutionEnvironment, JobsConfig, String)} on another topic. */
  public static LiveRules fromKafka(
      StreamExecutionEnvironment env, JobsConfig config, String topic, String uidPrefix) {
    RuleTopic.createIfMissing(config.kafkaBootstrapServers(), topic);
    KafkaSourceBuilder<String> builder =
        KafkaSource.<String>builder()
            .setBootstrapServers(config.kafkaBootstrapServers())
            .setTopics(topic)
            .setGroupId(config.groupId() + "-rules-" + uidPrefix)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setDeserializer(new RulesRecordDeserializer())
            .setProperty("commit.offsets.on.checkpoint", "false")
            .setProperty("partition.discovery.interval.ms", "60000");
    if (config.bounded()) {
      // A bounded run (backfill, test) reads the catalogs published so far, then this input ends.
      builder.setBounded(OffsetsInitializer.latest());
    }
    KafkaSource<String> source = builder.build();
    DataStream<PublishedCatalog> updates =
        env.fromSource(
                source,
                WatermarkStrategy.noWatermarks(),
                uidPrefix + "-rules " + topic,
                Types.STRING)
            .uid(uidPrefix + "-rules-source")
            .setParallelism(1)
            .flatMap(new CheckCatalogFunction(topic), TypeInformation.of(PublishedCatalog.class))
            .name(uidPrefix + "-rules-check")
            .uid(uidPrefix + "-rules-check")
            .setParallelism(1)
            .assignTimestampsAndWatermarks(neverHoldsWatermarks())
            .name(uidPrefix + "-rules-watermarks")
            .uid(uidPrefix + "-rules-watermarks")
            .setParallelism(1);
    return new LiveRules(config.ruleCatalog(), updates);
  }

  /** The catalog in effect until an update arrives. */
  public RuleCatalog initial() {
    return initial;
  }

  /** The updates as a broadcast stream with {@link #STATE}. */
  public BroadcastStream<PublishedCatalog> broadcast() {
    return updates.broadcast(STATE);
  }

  /**
   * The rules stream must not hold back event time of the operators it is connected to: it emits
   * the highest watermark (periodically, also while no record comes), so theirs is the points' own.
   */
  private static WatermarkStrategy<PublishedCatalog> neverHoldsWatermarks() {
    return WatermarkStrategy.forGenerator(ctx -> new AlwaysIdle());
  }

  private static final class AlwaysIdle implements WatermarkGenerator<PublishedCatalog> {
    @Override
    public void onEvent(PublishedCatalog event, long timestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.markIdle();
    }
  }
}
