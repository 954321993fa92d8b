package io.ironlake.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.TelemetryProducer;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.dataquality.DataQualityJob;
import io.ironlake.jobs.dataquality.DataQualityRow;
import io.ironlake.jobs.energy.EnergyDemandRow;
import io.ironlake.jobs.energy.EnergyJob;
import io.ironlake.jobs.energy.EnergyRow;
import io.ironlake.jobs.energy.EnergyShiftRow;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.quality.SpcRow;
import io.ironlake.jobs.rules.internal.CheckCatalogFunction;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmRate;
import io.ironlake.jobs.safety.AlarmRateRow;
import io.ironlake.jobs.safety.AlarmState;
import io.ironlake.jobs.safety.AlarmType;
import io.ironlake.jobs.safety.Priority;
import io.ironlake.jobs.safety.SafetyJob;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules changed while a job runs: a Flink job on a MiniCluster reading telemetry and the rules
 * topic from an embedded Kafka broker.
 */
class LiveRulesTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final String INITIAL =
      """
      name: live
      rules:
        - match: {tag: temperature_c}
          safety: {limits: {h: 45, deadband: 1}}
        - match: {tag: diameter_mm}
          spc: {subgroupSize: 2, lsl: 9, usl: 11, processLimits: {mean: 10, sigma: 0.5}}
      """;

  private static final String CHANGED =
      """
      name: live
      rules:
        - match: {tag: temperature_c}
          safety: {limits: {h: 60, deadband: 1}}
        - match: {tag: diameter_mm}
          spc: {subgroupSize: 2, lsl: 8, usl: 12, processLimits: {mean: 10, sigma: 0.5}}
      """;

  /** Valid YAML, invalid catalog: HH below H. */
  private static final String INVALID =
      """
      name: live
      rules:
        - match: {tag: temperature_c}
          safety: {limits: {hh: 30, h: 50}}
      """;

  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void publishedRulesApplyToTheNextPointsAndInvalidOnesAreIgnored(@TempDir Path dataDir)
      throws Exception {
    String topic = "telemetry.live-rules";
    String rulesTopic = "rules.live-test";
    kafka.createTopic(topic, 1);
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(topic)
            .groupId("live-rules-test")
            .maxOutOfOrderness(Duration.ZERO)
            .ruleCatalog(RuleCatalogFile.parse(INITIAL, "initial"))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<TelemetryPoint> points = TelemetrySource.deduplicated(env, config);
    DataStream<AlarmEvent> alarms =
        SafetyJob.alarmEvents(points, LiveRules.fromKafka(env, config, rulesTopic, "safety"));
    DataStream<SpcRow> spc =
        QualityJob.spcRows(points, LiveRules.fromKafka(env, config, rulesTopic, "quality"));
    Queue<AlarmEvent> alarmOut = QueueSink.queue("alarms");
    Queue<SpcRow> spcOut = QueueSink.queue("spc");
    alarms.sinkTo(new QueueSink<>("alarms"));
    spc.sinkTo(new QueueSink<>("spc"));
    JobClient job = env.executeAsync("live-rules");
    JobID id = job.getJobID();
    TestPoints t = new TestPoints("plant-sh", "assembly", Instant.parse("2025-03-04T08:00:00Z"));
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      // Initial rules: H 45, spec 9 .. 11.
      producer.send(t.at("line-1", "m01", "temperature_c", 1, PointValue.of(50.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 1, PointValue.of(9.9)));
      producer.send(t.at("line-1", "m01", "temperature_c", 2, PointValue.of(40.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 2, PointValue.of(10.1)));
      producer.send(t.at("line-1", "m01", "tick", 3, PointValue.of(0L)));
      awaitOrExplain(job, () -> alarmOut.size() >= 2 && spcOut.size() >= 1, alarmOut, spcOut);
      assertThat(alarmOut)
          .extracting(AlarmEvent::type, AlarmEvent::state, AlarmEvent::limit, AlarmEvent::tsMicros)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  AlarmType.H, AlarmState.RAISED, 45.0, t.micros(1)),
              org.assertj.core.groups.Tuple.tuple(
                  AlarmType.H, AlarmState.CLEARED, 45.0, t.micros(2)));
      SpcRow first = spcOut.peek();
      assertThat(first.lsl()).isEqualTo(9);
      assertThat(first.usl()).isEqualTo(11);
      assertThat(first.cp()).isCloseTo(2 / (6 * 0.2 / 1.128), within());
      assertThat(versions(id)).containsOnly(0L);

      // rules apply: H 60, spec 8 .. 12, from the next points on.
      PublishedCatalog v1 =
          RuleTopic.publish(
              kafka.bootstrapServers(), rulesTopic, "live", CHANGED, Clock.systemUTC());
      assertThat(v1.version()).isEqualTo(1);
      awaitVersion(id, 1L);
      alarmOut.clear();
      // In timestamp order: with maxOutOfOrderness 0 a point behind another one may be late.
      producer.send(t.at("line-1", "m01", "temperature_c", 10, PointValue.of(50.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 10, PointValue.of(9.9)));
      producer.send(t.at("line-1", "m01", "temperature_c", 11, PointValue.of(65.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 11, PointValue.of(10.1)));
      producer.send(t.at("line-1", "m01", "tick", 12, PointValue.of(0L)));
      await().atMost(DEADLINE).until(() -> !alarmOut.isEmpty() && spcOut.size() >= 2);
      assertThat(alarmOut)
          .extracting(AlarmEvent::type, AlarmEvent::state, AlarmEvent::limit, AlarmEvent::tsMicros)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  AlarmType.H, AlarmState.RAISED, 60.0, t.micros(11)));
      SpcRow second = spcOut.stream().skip(1).findFirst().orElseThrow();
      assertThat(second.subgroupIndex()).isEqualTo(2);
      assertThat(second.lsl()).isEqualTo(8);
      assertThat(second.usl()).isEqualTo(12);
      assertThat(second.cp()).isCloseTo(2 * first.cp(), within());

      // Another tool publishes garbage and an invalid catalog: refused, v1 stays, job runs.
      RuleTopic.send(kafka.bootstrapServers(), rulesTopic, "live", "not a catalog");
      RuleTopic.send(
          kafka.bootstrapServers(),
          rulesTopic,
          "live",
          PublishedCatalog.of("live", 2, 0, INVALID).toJson());
      await().atMost(DEADLINE).until(() -> rejected(id).equals(List.of(2L, 2L)));
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
      alarmOut.clear();
      producer.send(t.at("line-1", "m01", "temperature_c", 20, PointValue.of(40.0)));
      producer.send(t.at("line-1", "m01", "temperature_c", 21, PointValue.of(55.0)));
      producer.send(t.at("line-1", "m01", "temperature_c", 22, PointValue.of(62.0)));
      producer.send(t.at("line-1", "m01", "tick", 23, PointValue.of(0L)));
      await().atMost(DEADLINE).until(() -> alarmOut.size() >= 2);
      assertThat(alarmOut)
          .extracting(AlarmEvent::type, AlarmEvent::state, AlarmEvent::limit, AlarmEvent::tsMicros)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  AlarmType.H, AlarmState.CLEARED, 60.0, t.micros(20)),
              org.assertj.core.groups.Tuple.tuple(
                  AlarmType.H, AlarmState.RAISED, 60.0, t.micros(22)));
      assertThat(versions(id)).containsOnly(1L);
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void publishedEnergyRulesChangeTheCo2eOfLaterMinuteRows(@TempDir Path dataDir) throws Exception {
    String topic = "telemetry.live-energy";
    String rulesTopic = "rules.live-energy";
    kafka.createTopic(topic, 1);
    String initial =
        """
        name: live-energy
        rules:
          - match: {site: plant-sh}
            energy: {emissionFactorKgPerKwh: 0.5}
        """;
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(topic)
            .groupId("live-energy-test")
            .maxOutOfOrderness(Duration.ZERO)
            .ruleCatalog(RuleCatalogFile.parse(initial, "initial"))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<TelemetryPoint> points = TelemetrySource.deduplicated(env, config);
    EnergyJob.energyRows(points, LiveRules.fromKafka(env, config, rulesTopic, "energy"))
        .sinkTo(new QueueSink<>("energy"));
    Queue<EnergyRow> rows = QueueSink.queue("energy");
    JobClient job = env.executeAsync("live-energy-rules");
    JobID id = job.getJobID();
    TestPoints t = new TestPoints("plant-sh", "assembly", Instant.parse("2025-03-04T08:00:00Z"));
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      // minute 0 with 0.5 kg/kWh: 10 kWh -> 5 kg
      producer.send(t.at("line-1", "m01", "energy_kwh", 0, PointValue.of(100.0)));
      producer.send(t.at("line-1", "m01", "energy_kwh", 30, PointValue.of(110.0)));
      producer.send(t.at("line-1", "m01", "tick", 61, PointValue.of(0L)));
      awaitOrExplain(job, () -> rows.size() >= 1, rows, rows);
      EnergyRow first = rows.peek();
      assertThat(first.windowStartMicros()).isEqualTo(t.micros(0));
      assertThat(first.energyKwh()).isCloseTo(10, within());
      assertThat(first.co2eKg()).isCloseTo(5, within());
      assertThat(versions(id)).containsOnly(0L);

      // the site's factor becomes 0.581 and a meter tag is renamed: later rows use both
      RuleTopic.publish(
          kafka.bootstrapServers(),
          rulesTopic,
          "live-energy",
          """
          name: live-energy
          rules:
            - match: {site: plant-sh}
              energy: {emissionFactorKgPerKwh: 0.581, meterTag: meter_kwh}
          """,
          Clock.systemUTC());
      awaitVersion(id, 1L);
      producer.send(t.at("line-1", "m01", "energy_kwh", 120, PointValue.of(5000.0)));
      producer.send(t.at("line-1", "m01", "meter_kwh", 120, PointValue.of(130.0)));
      producer.send(t.at("line-1", "m01", "tick", 181, PointValue.of(0L)));
      awaitOrExplain(job, () -> rows.size() >= 2, rows, rows);
      EnergyRow second = rows.stream().skip(1).findFirst().orElseThrow();
      assertThat(second.windowStartMicros()).isEqualTo(t.micros(120));
      assertThat(second.energyKwh()).isCloseTo(20, within());
      assertThat(second.co2eKg()).isCloseTo(20 * 0.581, within());
      assertThat(rows).hasSize(2);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void patternsAndTheFloodParametersFollowTheRulesTopic(@TempDir Path dataDir) throws Exception {
    String topic = "telemetry.live-patterns";
    String rulesTopic = "rules.live-patterns";
    kafka.createTopic(topic, 1);
    String initial =
        """
        name: live-patterns
        patterns:
          - name: overheat
            first: {tag: temperature_c, above: 45}
            second: {tag: coolant_flow_lpm, below: 2}
            within: 30s
        flood: {window: 1m, threshold: 5}
        """;
    // overheat: threshold 45 -> 60 and window 30 s -> 20 s; a new pattern; flood threshold 5 -> 1.
    String changed =
        """
        name: live-patterns
        patterns:
          - name: overheat
            first: {tag: temperature_c, above: 60}
            second: {tag: coolant_flow_lpm, below: 2}
            within: 20s
          - name: hot-and-fast
            first: {tag: temperature_c, above: 70}
            second: {tag: speed_rpm, above: 1000}
            within: 10s
            priority: LOW
        flood: {window: 1m, threshold: 1}
        """;
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(topic)
            .groupId("live-patterns-test")
            .maxOutOfOrderness(Duration.ZERO)
            .ruleCatalog(RuleCatalogFile.parse(initial, "initial"))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<TelemetryPoint> points = TelemetrySource.deduplicated(env, config);
    LiveRules rules = LiveRules.fromKafka(env, config, rulesTopic, "safety");
    DataStream<AlarmEvent> alarms = SafetyJob.alarmEvents(points, rules);
    alarms.sinkTo(new QueueSink<>("pattern-alarms"));
    AlarmRate.rows(alarms, rules, "flood").sinkTo(new QueueSink<>("alarm-rate"));
    Queue<AlarmEvent> alarmOut = QueueSink.queue("pattern-alarms");
    Queue<AlarmRateRow> rateOut = QueueSink.queue("alarm-rate");
    JobClient job = env.executeAsync("live-patterns");
    JobID id = job.getJobID();
    TestPoints t = new TestPoints("plant-sh", "assembly", Instant.parse("2025-03-04T08:00:00Z"));
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      // v0: 50 > 45, then coolant low 10 s later: overheat. Minute 0 has one alarm of at most 5.
      producer.send(t.at("line-1", "m01", "temperature_c", 0, PointValue.of(50.0)));
      producer.send(t.at("line-1", "m01", "coolant_flow_lpm", 10, PointValue.of(1.0)));
      producer.send(t.at("line-1", "m01", "tick", 100, PointValue.of(0L)));
      awaitOrExplain(job, () -> !alarmOut.isEmpty() && !rateOut.isEmpty(), alarmOut, rateOut);
      assertThat(alarmOut)
          .extracting(
              AlarmEvent::device, AlarmEvent::tag, AlarmEvent::tsMicros, AlarmEvent::rulesVersion)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("m01", "overheat", t.micros(10), 0L));
      assertThat(alarmOut.peek().message()).contains("temperature_c > 45.0 (50.0)");
      assertThat(rateOut)
          .extracting(
              AlarmRateRow::windowStartMicros,
              AlarmRateRow::alarms,
              AlarmRateRow::threshold,
              AlarmRateRow::flood,
              AlarmRateRow::rulesVersion)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(t.micros(0), 1, 5, false, 0L));

      PublishedCatalog v1 =
          RuleTopic.publish(
              kafka.bootstrapServers(), rulesTopic, "live-patterns", changed, Clock.systemUTC());
      assertThat(v1.version()).isEqualTo(1);
      awaitVersion(id, 1L);
      alarmOut.clear();
      rateOut.clear();
      // m01: 55 is no longer hot; 65 is, but 25 s after the coolant went low (window now 20 s);
      // then coolant low 5 s after 65: overheat with the new threshold.
      producer.send(t.at("line-1", "m01", "temperature_c", 120, PointValue.of(55.0)));
      producer.send(t.at("line-1", "m01", "coolant_flow_lpm", 125, PointValue.of(1.0)));
      producer.send(t.at("line-1", "m01", "temperature_c", 150, PointValue.of(65.0)));
      producer.send(t.at("line-1", "m01", "coolant_flow_lpm", 155, PointValue.of(1.0)));
      // m03: a second overheat in minute 2 (2 > 1: a flood now, not with the old threshold 5).
      producer.send(t.at("line-1", "m03", "temperature_c", 160, PointValue.of(65.0)));
      producer.send(t.at("line-1", "m03", "coolant_flow_lpm", 165, PointValue.of(1.0)));
      // m02: the new pattern, in minute 3.
      producer.send(t.at("line-1", "m02", "temperature_c", 200, PointValue.of(75.0)));
      producer.send(t.at("line-1", "m02", "speed_rpm", 205, PointValue.of(1500.0)));
      producer.send(t.at("line-1", "m01", "tick", 300, PointValue.of(0L)));
      awaitOrExplain(job, () -> alarmOut.size() >= 3 && rateOut.size() >= 2, alarmOut, rateOut);
      assertThat(alarmOut)
          .extracting(
              AlarmEvent::device, AlarmEvent::tag, AlarmEvent::tsMicros, AlarmEvent::rulesVersion)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("m01", "overheat", t.micros(155), 1L),
              org.assertj.core.groups.Tuple.tuple("m03", "overheat", t.micros(165), 1L),
              org.assertj.core.groups.Tuple.tuple("m02", "hot-and-fast", t.micros(205), 1L));
      AlarmEvent m01 =
          alarmOut.stream().filter(e -> e.device().equals("m01")).findFirst().orElseThrow();
      assertThat(m01.message()).contains("temperature_c > 60.0 (65.0)").contains("PT20S");
      AlarmEvent m02 =
          alarmOut.stream().filter(e -> e.device().equals("m02")).findFirst().orElseThrow();
      assertThat(m02.priority()).isEqualTo(Priority.LOW);
      assertThat(rateOut)
          .extracting(
              AlarmRateRow::windowStartMicros,
              AlarmRateRow::alarms,
              AlarmRateRow::threshold,
              AlarmRateRow::flood,
              AlarmRateRow::rulesVersion)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(t.micros(120), 2, 1, true, 1L),
              org.assertj.core.groups.Tuple.tuple(t.micros(180), 1, 1, false, 1L));

      // v2 removes every pattern: the same overheat raises nothing any more.
      RuleTopic.publish(
          kafka.bootstrapServers(),
          rulesTopic,
          "live-patterns",
          "name: live-patterns\nflood: {window: 1m, threshold: 1}\n",
          Clock.systemUTC());
      awaitVersion(id, 2L);
      alarmOut.clear();
      rateOut.clear();
      producer.send(t.at("line-1", "m01", "temperature_c", 400, PointValue.of(90.0)));
      producer.send(t.at("line-1", "m01", "coolant_flow_lpm", 405, PointValue.of(0.0)));
      producer.send(t.at("line-1", "m01", "tick", 500, PointValue.of(0L)));
      await()
          .atMost(DEADLINE)
          .until(() -> watermarks(id).stream().anyMatch(w -> w >= t.micros(499) / 1000));
      assertThat(alarmOut).isEmpty();
      assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void dataQualityAndEnergyShiftsFollowTheRulesTopicAndRowsSayWhichRulesMadeThem(
      @TempDir Path dataDir) throws Exception {
    String topic = "telemetry.live-dq";
    String rulesTopic = "rules.live-dq";
    kafka.createTopic(topic, 1);
    String initial =
        """
        name: live-dq
        calendars:
          eight: {zone: UTC, starts: ["06:00", "14:00", "22:00"]}
        rules:
          - match: {tag: flow}
            dataQuality: {expectedPeriod: 10s}
          - match: {site: plant-sh}
            energy: {shifts: eight}
        """;
    // flow is expected every 10 minutes now; two 12-hour shifts.
    String changed =
        """
        name: live-dq
        calendars:
          twelve: {zone: UTC, starts: ["06:00", "18:00"]}
        rules:
          - match: {tag: flow}
            dataQuality: {expectedPeriod: 10m}
          - match: {site: plant-sh}
            energy: {shifts: twelve}
        """;
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(topic)
            .groupId("live-dq-test")
            .maxOutOfOrderness(Duration.ZERO)
            .ruleCatalog(RuleCatalogFile.parse(initial, "initial"))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<TelemetryPoint> points = TelemetrySource.deduplicated(env, config);
    LiveRules rules = LiveRules.fromKafka(env, config, rulesTopic, "live-dq");
    DataQualityJob.dataQualityRows(points, rules)
        .filter(r -> r.tag().equals("flow"))
        .sinkTo(new QueueSink<>("dq"));
    DataStream<EnergyRow> minutes = EnergyJob.energyRows(points, rules);
    minutes.sinkTo(new QueueSink<>("dq-energy"));
    EnergyJob.shiftRows(minutes, rules).sinkTo(new QueueSink<>("dq-shifts"));
    EnergyJob.demandRows(minutes, rules).sinkTo(new QueueSink<>("dq-demand"));
    Queue<DataQualityRow> dq = QueueSink.queue("dq");
    Queue<EnergyRow> energy = QueueSink.queue("dq-energy");
    Queue<EnergyShiftRow> shifts = QueueSink.queue("dq-shifts");
    Queue<EnergyDemandRow> demand = QueueSink.queue("dq-demand");
    JobClient job = env.executeAsync("live-dq-rules");
    JobID id = job.getJobID();
    TestPoints t = new TestPoints("plant-sh", "assembly", Instant.parse("2025-03-04T06:00:00Z"));
    long hour = 3600;
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      producer.send(t.at("line-1", "m01", "energy_kwh", 0, PointValue.of(100.0)));
      producer.send(t.at("line-1", "m01", "energy_kwh", 30, PointValue.of(110.0)));
      for (int i = 0; i < 6; i++) { // 14:00 .. 14:50, one every 10 minutes
        producer.send(t.at("line-1", "m01", "flow", 8 * hour + i * 600, PointValue.of(5.0)));
      }
      // 15:00 closes the hour 14 and the shift A (06:00-14:00).
      producer.send(t.at("line-1", "m01", "flow", 9 * hour, PointValue.of(5.0)));
      awaitOrExplain(
          job,
          () -> dq.size() >= 1 && shifts.size() >= 2 && !energy.isEmpty() && !demand.isEmpty(),
          dq,
          shifts);
      DataQualityRow h14 = dq.peek();
      assertThat(h14.windowStartMicros()).isEqualTo(t.micros(8 * hour));
      assertThat(h14.expected()).isEqualTo(360); // one every 10 s
      assertThat(h14.points()).isEqualTo(6);
      assertThat(h14.rulesVersion()).isZero();
      assertThat(shifts)
          .extracting(
              EnergyShiftRow::scope,
              EnergyShiftRow::shiftStartMicros,
              EnergyShiftRow::shiftEndMicros,
              EnergyShiftRow::rulesVersion)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("DEVICE", t.micros(0), t.micros(8 * hour), 0L),
              org.assertj.core.groups.Tuple.tuple("LINE", t.micros(0), t.micros(8 * hour), 0L));
      assertThat(energy).extracting(EnergyRow::rulesVersion).containsOnly(0L);
      assertThat(demand).extracting(EnergyDemandRow::rulesVersion).containsOnly(0L);

      RuleTopic.publish(
          kafka.bootstrapServers(), rulesTopic, "live-dq", changed, Clock.systemUTC());
      awaitVersion(id, 1L);
      dq.clear();
      shifts.clear();
      energy.clear();
      demand.clear();
      for (int i = 1; i < 6; i++) { // 15:10 .. 15:50
        producer.send(t.at("line-1", "m01", "flow", 9 * hour + i * 600, PointValue.of(5.0)));
      }
      producer.send(t.at("line-1", "m01", "energy_kwh", 9 * hour + 3300, PointValue.of(200.0)));
      producer.send(t.at("line-1", "m01", "energy_kwh", 9 * hour + 3330, PointValue.of(205.0)));
      // 18:00:01 closes the hour 15 and, with the new calendar, the shift 06:00-18:00.
      producer.send(t.at("line-1", "m01", "tick", 12 * hour + 1, PointValue.of(0L)));
      awaitOrExplain(
          job,
          () -> dq.size() >= 1 && shifts.size() >= 2 && !energy.isEmpty() && !demand.isEmpty(),
          dq,
          shifts);
      DataQualityRow h15 = dq.peek();
      assertThat(h15.windowStartMicros()).isEqualTo(t.micros(9 * hour));
      assertThat(h15.expected()).isEqualTo(6); // one every 10 minutes
      assertThat(h15.points()).isEqualTo(6);
      assertThat(h15.completeness()).isEqualTo(1.0);
      assertThat(h15.rulesVersion()).isEqualTo(1);
      assertThat(shifts)
          .extracting(
              EnergyShiftRow::scope,
              EnergyShiftRow::shift,
              EnergyShiftRow::shiftStartMicros,
              EnergyShiftRow::shiftEndMicros,
              EnergyShiftRow::rulesVersion)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(
                  "DEVICE", "A", t.micros(0), t.micros(12 * hour), 1L),
              org.assertj.core.groups.Tuple.tuple(
                  "LINE", "A", t.micros(0), t.micros(12 * hour), 1L));
      assertThat(energy).isNotEmpty().extracting(EnergyRow::rulesVersion).containsOnly(1L);
      assertThat(demand).isNotEmpty().extracting(EnergyDemandRow::rulesVersion).containsOnly(1L);
    } finally {
      job.cancel().get();
    }
  }

  /** Waits until every broadcast-connected operator of the job uses catalog {@code version}. */
  private static void awaitVersion(JobID id, long version) {
    await()
        .atMost(DEADLINE)
        .until(
            () -> {
              List<Long> v = versions(id);
              return !v.isEmpty() && v.stream().allMatch(x -> x == version);
            });
  }

  /** The current input watermark of each operator of the job, milliseconds. */
  private static List<Long> watermarks(JobID id) {
    return metrics(id, "currentInputWatermark").stream()
        .map(m -> ((Number) ((Gauge<?>) m).getValue()).longValue())
        .toList();
  }

  /** Waits; on a timeout or a failed job, says what the job and its operators did. */
  private static void awaitOrExplain(
      JobClient job, java.util.concurrent.Callable<Boolean> done, Queue<?> alarms, Queue<?> spc)
      throws Exception {
    try {
      await()
          .atMost(DEADLINE)
          .until(() -> done.call() || job.getJobStatus().get().isTerminalState());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(explain(job, alarms, spc), e);
    }
    if (!done.call()) {
      throw new AssertionError(explain(job, alarms, spc));
    }
  }

  private static String explain(JobClient job, Queue<?> alarms, Queue<?> spc) throws Exception {
    StringBuilder b = new StringBuilder("status=" + job.getJobStatus().get());
    if (job.getJobStatus().get().isTerminalState()) {
      try {
        job.getJobExecutionResult().get();
      } catch (Exception e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        b.append(" failure=").append(w.toString(), 0, Math.min(4000, w.toString().length()));
      }
    }
    b.append("\nalarms=").append(alarms).append("\nspc=").append(spc.size());
    for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> g :
        REPORTER.getMetricsByGroup().entrySet()) {
      String scope = String.join(".", g.getKey().getScopeComponents());
      if (!g.getKey().getAllVariables().containsValue(job.getJobID().toString())) {
        continue;
      }
      for (Map.Entry<String, Metric> e : g.getValue().entrySet()) {
        String name = e.getKey();
        Metric m = e.getValue();
        if (name.contains("Watermark")
            || name.equals("numRecordsIn")
            || name.equals("numRecordsOut")
            || name.startsWith("rules")) {
          Object v =
              m instanceof Gauge<?> gauge
                  ? gauge.getValue()
                  : m instanceof Counter c ? c.getCount() : m.getClass().getSimpleName();
          b.append("\n").append(scope).append(".").append(name).append(" = ").append(v);
        }
      }
    }
    return b.toString();
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }

  /** The rulesVersion gauge of each broadcast-connected operator, sorted. */
  private static List<Long> versions(JobID id) {
    return metrics(id, RulesInEffect.VERSION_METRIC).stream()
        .map(m -> (Long) ((Gauge<?>) m).getValue())
        .sorted()
        .toList();
  }

  private static List<Long> rejected(JobID id) {
    return metrics(id, CheckCatalogFunction.REJECTED_METRIC).stream()
        .map(m -> ((Counter) m).getCount())
        .sorted()
        .toList();
  }

  private static List<Metric> metrics(JobID id, String name) {
    return REPORTER.getMetricsByGroup().entrySet().stream()
        .filter(g -> g.getKey().getAllVariables().containsValue(id.toString()))
        .flatMap(g -> g.getValue().entrySet().stream())
        .filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** Hands what reaches it to a queue of this JVM (the MiniCluster runs in it). */
  private static final class QueueSink<T> implements org.apache.flink.api.connector.sink2.Sink<T> {
    private static final Map<String, Queue<Object>> QUEUES =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final String name;

    QueueSink(String name) {
      this.name = name;
    }

    @SuppressWarnings("unchecked")
    static <T> Queue<T> queue(String name) {
      return (Queue<T>) QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
    }

    @Override
    public org.apache.flink.api.connector.sink2.SinkWriter<T> createWriter(
        org.apache.flink.api.connector.sink2.WriterInitContext context) {
      Queue<T> out = queue(name);
      return new org.apache.flink.api.connector.sink2.SinkWriter<>() {
        @Override
        public void write(T element, Context ctx) {
          out.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
