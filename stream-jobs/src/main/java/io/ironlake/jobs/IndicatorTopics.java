package io.ironlake.jobs;

import io.ironlake.connectors.kafka.Topics;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka topics for live consumers that the indicator jobs fill with the rows they commit to
 * their Iceberg tables, as JSON (see the stream-jobs README, "Indicator topics").
 *
 * <pre>{@code
 * JobsConfig.builder()...indicatorTopics(IndicatorTopics.DEFAULTS.withTopic("spc", "spc.plant-a"))
 * JobsConfig.builder()...indicatorTopics(IndicatorTopics.OFF)   // tables only
 * }</pre>
 *
 * @param enabled whether the jobs write any indicator topic (default true)
 * @param byTable the topic of each table, by table name ({@link #DEFAULTS}); tables not in it get
 *     no topic
 */
public record IndicatorTopics(boolean enabled, Map<String, String> byTable)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The tables that may have a topic. */
  public static final Set<String> TABLES =
      Set.of(
          IronlakeTables.ENERGY.name(),
          IronlakeTables.ENERGY_SHIFT.name(),
          IronlakeTables.ENERGY_DEMAND.name(),
          IronlakeTables.ENERGY_PEAK.name(),
          IronlakeTables.SPC.name(),
          IronlakeTables.OEE.name(),
          IronlakeTables.DATA_QUALITY.name());

  /** Every indicator table with its topic in {@link Topics}. */
  public static final IndicatorTopics DEFAULTS =
      new IndicatorTopics(
          true,
          ordered(
              IronlakeTables.ENERGY.name(), Topics.ENERGY,
              IronlakeTables.ENERGY_SHIFT.name(), Topics.ENERGY_SHIFT,
              IronlakeTables.ENERGY_DEMAND.name(), Topics.ENERGY_DEMAND,
              IronlakeTables.ENERGY_PEAK.name(), Topics.ENERGY_PEAK,
              IronlakeTables.SPC.name(), Topics.SPC,
              IronlakeTables.OEE.name(), Topics.OEE,
              IronlakeTables.DATA_QUALITY.name(), Topics.DATA_QUALITY));

  /** No indicator topic: the jobs write their tables only. */
  public static final IndicatorTopics OFF = new IndicatorTopics(false, DEFAULTS.byTable());

  /** Tables each job writes that have a topic, by job name. */
  private static final Map<String, Set<String>> TABLES_OF_JOB =
      Map.of(
          IronlakeJobs.ENERGY,
          Set.of(
              IronlakeTables.ENERGY.name(),
              IronlakeTables.ENERGY_SHIFT.name(),
              IronlakeTables.ENERGY_DEMAND.name(),
              IronlakeTables.ENERGY_PEAK.name()),
          IronlakeJobs.QUALITY,
          Set.of(IronlakeTables.SPC.name(), IronlakeTables.OEE.name()),
          IronlakeJobs.DATA_QUALITY,
          Set.of(IronlakeTables.DATA_QUALITY.name()));

  public IndicatorTopics {
    if (byTable == null) {
      throw new IllegalArgumentException("Missing value for `indicatorTopics.byTable`");
    }
    for (Map.Entry<String, String> e : byTable.entrySet()) {
      if (!TABLES.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "Invalid table "
                + e.getKey()
                + " for `indicatorTopics`: expected one of "
                + new TreeSet<>(TABLES));
      }
      if (e.getValue() == null || e.getValue().isBlank()) {
        throw new IllegalArgumentException(
            "Missing value for `indicatorTopics." + e.getKey() + "`");
      }
    }
    byTable = Collections.unmodifiableMap(new LinkedHashMap<>(byTable));
  }

  /** The topic of a table's rows, when enabled and the table has one. */
  public Optional<String> topicFor(TableSpec table) {
    return enabled ? Optional.ofNullable(byTable.get(table.name())) : Optional.empty();
  }

  /** The topics the named jobs write (empty when disabled). */
  public Set<String> topicsOf(Set<String> jobNames) {
    Set<String> topics = new TreeSet<>();
    if (!enabled) {
      return topics;
    }
    for (String job : jobNames) {
      for (String table : TABLES_OF_JOB.getOrDefault(job, Set.of())) {
        String topic = byTable.get(table);
        if (topic != null) {
          topics.add(topic);
        }
      }
    }
    return topics;
  }

  /** A copy with {@code table}'s rows going to {@code topic}. */
  public IndicatorTopics withTopic(String table, String topic) {
    Map<String, String> copy = new LinkedHashMap<>(byTable);
    copy.put(table, topic);
    return new IndicatorTopics(enabled, copy);
  }

  /** A copy without a topic for {@code table} (its rows go to the table only). */
  public IndicatorTopics withoutTopic(String table) {
    Map<String, String> copy = new LinkedHashMap<>(byTable);
    copy.remove(table);
    return new IndicatorTopics(enabled, copy);
  }

  /** A copy with every topic name followed by {@code suffix} (one set of topics per test/run). */
  public IndicatorTopics withSuffix(String suffix) {
    Map<String, String> copy = new LinkedHashMap<>();
    byTable.forEach((table, topic) -> copy.put(table, topic + suffix));
    return new IndicatorTopics(enabled, copy);
  }

  private static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
