package io.ironlake.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.TelemetryProducer;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.energy.EnergyJob;
import io.ironlake.jobs.energy.EnergyRow;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.quality.SpcRow;
import io.ironlake.jobs.rules.internal.CheckCatalogFunction;
import io.ironlake.jobs.safety.AlarmEvent;
import io.ironlake.jobs.safety.AlarmState;
import io.ironlake.jobs.safety.AlarmType;
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
      producer.send(t.at("line-1", "m01", "temperature_c", 2, PointValue.of(40.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 1, PointValue.of(9.9)));
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
      await().atMost(DEADLINE).until(() -> versions(id).equals(List.of(1L, 1L)));
      alarmOut.clear();
      producer.send(t.at("line-1", "m01", "temperature_c", 10, PointValue.of(50.0)));
      producer.send(t.at("line-1", "m01", "temperature_c", 11, PointValue.of(65.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 10, PointValue.of(9.9)));
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
      await().atMost(DEADLINE).until(() -> versions(id).equals(List.of(1L)));
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
