package io.ironlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.codec.TelemetryCodec;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmJson;
import io.ironlake.lakehouse.catalog.LakehouseCatalog;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.lakehouse.tables.TableSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once across every job: all five jobs read one fixed, seeded input from Kafka (bounded, so
 * every window closes and the job finishes), once cleanly and once with the task manager killed
 * mid-run after a checkpoint committed rows, so Flink restarts from that checkpoint. Every table is
 * then equal to the clean run's, row for row, with no duplicate rows and no point taken as late.
 * The alarm topic, written at least once, carries every event of the clean run after the failure,
 * repeats only as the same event with the same id.
 */
@Tag("slow")
class ExactlyOnceTest {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceTest.class);
  private static final Duration DEADLINE = Duration.ofMinutes(10);
  private static final String TOPIC = "telemetry.exactly-once";
  private static final Instant START = Instant.parse("2025-03-04T13:30:00Z");
  private static final int TICKS = 700; // every 6 s: 13:30 to 14:40, across the 14:00 shift end
  private static final int STEP_SECONDS = 6;

  /** The tables compared; late_points must stay empty in both runs. */
  private static final List<TableSpec> TABLES =
      List.of(
          IronlakeTables.TELEMETRY,
          IronlakeTables.ENERGY,
          IronlakeTables.SPC,
          IronlakeTables.OEE,
          IronlakeTables.ALARMS,
          IronlakeTables.ALARM_RATE,
          IronlakeTables.DATA_QUALITY,
          IronlakeTables.COMPLETENESS,
          IronlakeTables.LATE_POINTS);

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;
  private static long distinctPoints;

  @BeforeAll
  static void produceTheInput() {
    kafka = EmbeddedKafka.start(kafkaDir);
    kafka.createTopic(TOPIC, 2);
    distinctPoints = produce(kafka.bootstrapServers());
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aTaskManagerKilledMidRunChangesNoTable(@TempDir Path cleanDir, @TempDir Path failedDir)
      throws Exception {
    Run clean = run(cleanDir, "clean", false);
    Run failed = run(failedDir, "failed", true);

    assertThat(clean.restarted()).as("the clean run restarted").isFalse();
    assertThat(failed.restarted()).as("the run with the killed task manager restarted").isTrue();
    assertThat(failed.telemetryRowsBeforeKill())
        .as("rows committed to ironlake.telemetry before the kill (so it resumed mid-run)")
        .isPositive()
        .isLessThan(distinctPoints);

    for (TableSpec table : TABLES) {
      List<String> want = rows(cleanDir, table);
      List<String> got = rows(failedDir, table);
      assertThat(new HashSet<>(want))
          .as("no duplicate rows in %s of the clean run", table.name())
          .hasSize(want.size());
      assertThat(new HashSet<>(got))
          .as("no duplicate rows in %s after the failure", table.name())
          .hasSize(got.size());
      assertThat(got)
          .as(
              "%s after the failure vs the clean run (%s; %s)",
              table.name(), failed, difference(want, got))
          .isEqualTo(want);
      if (table == IronlakeTables.LATE_POINTS) {
        assertThat(want).as("points taken as late").isEmpty();
      } else {
        assertThat(want).as("rows of %s", table.name()).isNotEmpty();
      }
    }
    assertThat(rows(cleanDir, IronlakeTables.TELEMETRY)).hasSize((int) distinctPoints);

    // alarms.v1 is at least once with a stable event id: after the failure a consumer still sees
    // every event of the clean run and nothing else; a repeat is the same event (same alarmId,
    // state and payload), which consumers drop by (alarmId, state).
    List<String> cleanTopic = alarmTopicEvents("alarms.exactly-once-clean");
    List<String> failedTopic = alarmTopicEvents("alarms.exactly-once-failed");
    Map<String, Set<String>> cleanById = byEventId(cleanTopic);
    Map<String, Set<String>> failedById = byEventId(failedTopic);
    assertThat(cleanTopic).as("alarm events on the clean run's topic").isNotEmpty();
    assertThat(cleanById).as("repeats on the clean run's topic").hasSize(cleanTopic.size());
    assertThat(failedById.keySet())
        .as("(alarmId, state) of alarm events after the failure vs the clean run")
        .isEqualTo(cleanById.keySet());
    assertThat(failedById)
        .as("a repeated (alarmId, state) is the same event")
        .allSatisfy((id, payloads) -> assertThat(payloads).as(id).hasSize(1));
    assertThat(failedById).as("the same payloads as the clean run").isEqualTo(cleanById);
    assertThat(cleanById)
        .as("alarm events on the topic vs rows of ironlake.alarms")
        .hasSize(rows(cleanDir, IronlakeTables.ALARMS).size());
    LOG.info(
        "alarm topic after the failure: events={}, distinct={}, repeats={}",
        failedTopic.size(),
        failedById.size(),
        failedTopic.size() - failedById.size());

    // The indicator topics (read_committed) hold their tables' rows once, in both runs.
    for (TableSpec table : INDICATOR_TABLES) {
      for (String name : List.of("clean", "failed")) {
        Path dir = name.equals("clean") ? cleanDir : failedDir;
        String topic = topics(name).topicFor(table).orElseThrow();
        List<String> got =
            TopicReads.jsonRows(TopicReads.readCommitted(kafka.bootstrapServers(), topic), table);
        assertThat(got)
            .as("%s of the %s run vs its table", topic, name)
            .isEqualTo(TopicReads.tableRows(dir, table));
      }
    }
  }

  /** Every record of an alarm topic from the beginning, as JSON text, repeats included. */
  private static List<String> alarmTopicEvents(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<String> events = new ArrayList<>();
      await("all of " + topic + " read")
          .atMost(Duration.ofMinutes(1))
          .pollDelay(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                  events.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
              });
      return events;
    }
  }

  /** Events by their id {@code alarmId state}: the distinct payloads seen with it. */
  private static Map<String, Set<String>> byEventId(List<String> events) {
    Map<String, Set<String>> byId = new TreeMap<>();
    for (String json : events) {
      AlarmEvent e = AlarmJson.parseEvent(json.getBytes(StandardCharsets.UTF_8));
      byId.computeIfAbsent(e.alarmId() + ' ' + e.state(), k -> new TreeSet<>()).add(json);
    }
    return byId;
  }

  /** The tables that have an indicator topic. */
  private static final List<TableSpec> INDICATOR_TABLES =
      List.of(
          IronlakeTables.ENERGY,
          IronlakeTables.ENERGY_SHIFT,
          IronlakeTables.ENERGY_DEMAND,
          IronlakeTables.ENERGY_PEAK,
          IronlakeTables.SPC,
          IronlakeTables.OEE,
          IronlakeTables.DATA_QUALITY);

  private static IndicatorTopics topics(String run) {
    return IndicatorTopics.DEFAULTS.withSuffix(".exactly-once-" + run);
  }

  /**
   * What a run did: whether a task restarted, the telemetry rows committed when the task manager
   * was killed, and the checkpoint the job restored from (-1: none).
   */
  record Run(boolean restarted, long telemetryRowsBeforeKill, long restoredCheckpoint) {
    @Override
    public String toString() {
      return "killed at "
          + telemetryRowsBeforeKill
          + " committed telemetry rows, restored from checkpoint "
          + restoredCheckpoint;
    }
  }

  /**
   * The rows of {@code want} that {@code got} lacks and those it has on top, counted, with the
   * first and last few of each (both lists sorted), so a failure says which rows went missing.
   */
  private static String difference(List<String> want, List<String> got) {
    Set<String> missing = new TreeSet<>(want);
    missing.removeAll(new HashSet<>(got));
    Set<String> extra = new TreeSet<>(got);
    extra.removeAll(new HashSet<>(want));
    return missing.size()
        + " rows missing"
        + ends(missing)
        + ", "
        + extra.size()
        + " extra"
        + ends(extra);
  }

  private static String ends(Set<String> rows) {
    List<String> list = List.copyOf(rows);
    if (list.size() <= 6) {
      return list.isEmpty() ? "" : " " + list;
    }
    return " from " + list.subList(0, 3) + " to " + list.subList(list.size() - 3, list.size());
  }

  private static Run run(Path dataDir, String name, boolean killTaskManager) throws Exception {
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(TOPIC)
            .groupId("exactly-once-" + name)
            .alarmsTopic("alarms.exactly-once-" + name)
            .alarmCommandsTopic("alarm-commands.exactly-once-" + name)
            .indicatorTopics(topics(name))
            .checkpointInterval(Duration.ofMillis(300))
            .maxOutOfOrderness(Duration.ofSeconds(10))
            .bounded(true)
            .build();
    Configuration flink = LocalJobRunner.flinkConfiguration(config);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
    flink.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
    try (MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(flink)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .withRandomPorts()
                .build())) {
      cluster.start();
      long started = System.nanoTime();
      StreamExecutionEnvironment env = new StreamExecutionEnvironment(flink);
      env.enableCheckpointing(config.checkpointInterval().toMillis());
      IronlakeJobs.addJobs(env, config, IronlakeJobs.KNOWN);
      JobID id =
          cluster
              .submitJob(env.getStreamGraph().getJobGraph())
              .get(30, TimeUnit.SECONDS)
              .getJobID();

      long beforeKill = 0;
      if (killTaskManager) {
        beforeKill = killAfterTheFirstCommit(cluster, id, dataDir);
      }
      JobResult result = cluster.requestJobResult(id).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
      LOG.info(
          "exactly-once run finished: run={}, seconds={}, killed={}",
          name,
          (System.nanoTime() - started) / 1_000_000_000.0,
          killTaskManager);
      assertThat(result.isSuccess())
          .as("%s run finished: %s", name, result.getSerializedThrowable())
          .isTrue();
      AccessExecutionGraph graph = cluster.getArchivedExecutionGraph(id).get(30, TimeUnit.SECONDS);
      // Region failover restarts tasks without the job going through RESTARTING: look at attempts.
      boolean restarted = false;
      for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
        restarted |= v.getCurrentExecutionAttempt().getAttemptNumber() > 0;
      }
      var restored = graph.getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
      return new Run(restarted, beforeKill, restored == null ? -1 : restored.getCheckpointId());
    }
  }

  /**
   * Waits until a checkpoint committed telemetry rows, then kills the only task manager and starts
   * a new one; returns the rows committed then.
   */
  private static long killAfterTheFirstCommit(MiniCluster cluster, JobID id, Path dataDir)
      throws Exception {
    try (LakehouseCatalog lake = LakehouseCatalog.open(dataDir)) {
      Table telemetry = lake.load(IronlakeTables.TELEMETRY.identifier());
      await("a checkpoint committed telemetry rows")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> committedRows(telemetry) > 0);
      long committed = committedRows(telemetry);
      assertThat(cluster.getJobStatus(id).get(30, TimeUnit.SECONDS))
          .as("job still running when the task manager is killed (input large enough)")
          .isEqualTo(JobStatus.RUNNING);
      cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
      cluster.startTaskManager();
      LOG.info("task manager killed: committedTelemetryRows={}", committed);
      return committed;
    }
  }

  private static long committedRows(Table table) {
    table.refresh();
    Snapshot s = table.currentSnapshot();
    return s == null ? 0 : Long.parseLong(s.summary().getOrDefault("total-records", "0"));
  }

  /** A table's rows as strings, sorted, for comparison. */
  private static List<String> rows(Path dataDir, TableSpec table) {
    return LakeReads.rows(dataDir, table.identifier()).stream()
        .map(Record::toString)
        .sorted()
        .toList();
  }

  /**
   * Produces the fixed input (seed 7): two lines of two machines each, every 6 s from 13:30 to
   * 14:40: an energy meter, power, temperature (two overheats, one with the coolant off), coolant
   * flow, diameter (SPC), state and part counters (OEE). Line 1 is on partition 0, line 2 on 1; a
   * machine's samples sometimes arrive after the next tick's of its line (6 s out of order, within
   * the 10 s bound of this test) and every 40th point is sent twice. Returns the number of distinct
   * points.
   */
  private static long produce(String bootstrapServers) {
    Random random = new Random(7);
    Map<String, Long> seqs = new LinkedHashMap<>();
    long distinct = 0;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      double[] energy = new double[4];
      long[] good = new long[4];
      long[] total = new long[4];
      List<TelemetryPoint> held = new ArrayList<>();
      for (int tick = 0; tick < TICKS; tick++) {
        long ts = (START.getEpochSecond() + (long) tick * STEP_SECONDS) * 1_000_000L;
        for (int m = 0; m < 4; m++) {
          int line = m / 2 + 1;
          String device = "m0" + (m % 2 + 1);
          String source = line == 1 ? "opcua-1" : "mqtt-2";
          boolean overheat = (m == 0 && tick >= 150 && tick < 160) || (m == 3 && tick >= 450);
          boolean coolantOff = m == 3 && tick >= 452 && tick < 457;
          boolean idle = tick % 100 >= 90;
          energy[m] += idle ? 0.001 : 0.01 + random.nextInt(10) / 1000.0;
          if (!idle) {
            total[m] += 1;
            good[m] += random.nextInt(50) == 0 ? 0 : 1;
          }
          List<TelemetryPoint> sample = new ArrayList<>();
          sample.add(point(line, device, "energy_kwh", ts, PointValue.of(round(energy[m]))));
          sample.add(
              point(line, device, "power_kw", ts, PointValue.of(30 + random.nextInt(200) / 10.0)));
          double temperature = overheat ? 46 + random.nextInt(5) : 30 + random.nextInt(50) / 10.0;
          sample.add(point(line, device, "temperature_c", ts, PointValue.of(temperature)));
          sample.add(
              point(line, device, "coolant_flow_lpm", ts, PointValue.of(coolantOff ? 1.0 : 5.0)));
          sample.add(
              point(
                  line,
                  device,
                  "diameter_mm",
                  ts,
                  PointValue.of(12.0 + random.nextGaussian() * 0.01)));
          sample.add(point(line, device, "state", ts, PointValue.of(idle ? "IDLE" : "RUNNING")));
          sample.add(point(line, device, "good_count", ts, PointValue.of(good[m])));
          sample.add(point(line, device, "total_count", ts, PointValue.of(total[m])));
          for (TelemetryPoint p : sample) {
            TelemetryPoint withSeq = withSeq(p, source, seqs.merge(source, 1L, Long::sum));
            distinct++;
            // Now and then a machine's samples arrive after the next tick's (6 s out of order).
            if (m == 1 && tick % 50 == 7) {
              held.add(withSeq);
            } else {
              send(producer, line, withSeq);
              if (withSeq.seq() % 40 == 0) {
                send(producer, line, withSeq); // a transport duplicate
              }
            }
          }
          if (m == 1 && tick % 50 == 8) {
            held.forEach(p -> send(producer, 1, p));
            held.clear();
          }
        }
      }
      held.forEach(p -> send(producer, 1, p));
      producer.flush();
    }
    return distinct;
  }

  private static double round(double kwh) {
    return Math.round(kwh * 1000) / 1000.0;
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, int line, TelemetryPoint p) {
    producer.send(
        new ProducerRecord<>(
            TOPIC,
            line - 1,
            p.devicePath().getBytes(StandardCharsets.UTF_8),
            TelemetryCodec.encode(p)));
  }

  private static TelemetryPoint point(
      int line, String device, String tag, long ts, PointValue value) {
    return new TelemetryPoint(
        "plant-eo",
        "assembly",
        "line-" + line,
        device,
        tag,
        ts,
        ts + 40_000L,
        value,
        Quality.GOOD,
        0L,
        "",
        "edge-eo",
        "",
        0L);
  }

  private static TelemetryPoint withSeq(TelemetryPoint p, String source, long seq) {
    return new TelemetryPoint(
        p.site(),
        p.area(),
        p.line(),
        p.device(),
        p.tag(),
        p.tsMicros(),
        p.ingestTsMicros(),
        p.value(),
        p.quality(),
        p.statusCode(),
        p.unit(),
        p.collectorId(),
        source,
        seq);
  }
}
