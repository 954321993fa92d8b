package io.ironlake.jobs.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.TelemetryProducer;
import io.ironlake.jobs.TestPoints;
import io.ironlake.jobs.energy.EnergyJob;
import io.ironlake.jobs.ingest.TelemetrySource;
import io.ironlake.jobs.internal.DedupFunction;
import io.ironlake.jobs.internal.SeqDedup;
import io.ironlake.jobs.quality.QualityJob;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.RuleCatalogFile;
import io.ironlake.jobs.rules.RuleTopic;
import io.ironlake.jobs.rules.RulesInEffect;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
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
 * The step that deduplicates and routes in {@link IronlakeJobs#addJobs}: a duplicate reaches no
 * consumer, each indicator operator gets exactly the points its own acceptance check takes under
 * the catalog in effect, and a catalog published on the rules topic that adds a tag to an indicator
 * makes the router send that tag's points from then on.
 */
class PointRoutingTest {
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
      name: routing
      rules:
        - match: {tag: temperature_c}
          safety: {limits: {h: 45, deadband: 1}}
        - match: {tag: diameter_mm}
          spc: {subgroupSize: 2, lsl: 9, usl: 11, processLimits: {mean: 10, sigma: 0.5}}
      patterns:
        - name: hot-and-dry
          first: {tag: temperature_c, above: 45}
          second: {tag: coolant_flow_lpm, below: 2}
          within: 30s
      """;

  /** INITIAL plus a limit alarm on pressure_bar. */
  private static final String WITH_PRESSURE =
      INITIAL.replace(
          "  - match: {tag: diameter_mm}",
          "  - match: {tag: pressure_bar}\n    safety: {limits: {h: 5, deadband: 0.1}}\n"
              + "  - match: {tag: diameter_mm}");

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
  void eachOperatorGetsThePointsItsCheckTakesAndANewCatalogReroutes(@TempDir Path dataDir)
      throws Exception {
    String topic = "telemetry.routing";
    kafka.createTopic(topic, 1);
    JobsConfig config =
        JobsConfig.builder()
            .kafkaBootstrapServers(kafka.bootstrapServers())
            .dataDir(dataDir)
            .topic(topic)
            .groupId("routing-test")
            .maxOutOfOrderness(Duration.ZERO)
            .ruleCatalog(RuleCatalogFile.parse(INITIAL, "initial"))
            .build();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    RoutedPoints routed =
        IronlakeJobs.route(
            TelemetrySource.raw(env, config),
            config,
            Set.of(IronlakeJobs.ENERGY, IronlakeJobs.QUALITY, IronlakeJobs.SAFETY));
    assertThat(routed.routed()).isTrue();
    routed.all().sinkTo(new QueueSink<>("all")).name("all");
    List<PointRoute> routes =
        List.of(
            EnergyJob.ROUTE,
            QualityJob.SPC_ROUTE,
            QualityJob.OEE_ROUTE,
            SafetyJob.TAG_ALARMS_ROUTE,
            SafetyJob.PATTERNS_ROUTE);
    for (PointRoute r : routes) {
      routed.of(r).sinkTo(new QueueSink<>("route-" + r.name())).name("route-" + r.name());
    }
    // The tag alarms behind the router, following the rules topic on their own.
    SafetyJob.alarmEvents(routed, LiveRules.fromKafka(env, config, SafetyJob.UID), null)
        .sinkTo(new QueueSink<>("alarms"));
    Queue<AlarmEvent> alarms = QueueSink.queue("alarms");
    JobClient job = env.executeAsync("point-routing");
    JobID id = job.getJobID();
    TestPoints t = new TestPoints("plant-sh", "assembly", Instant.parse("2025-03-04T08:00:00Z"));
    try (TelemetryProducer producer = new TelemetryProducer(kafka.bootstrapServers(), topic)) {
      producer.send(t.at("line-1", "m01", "temperature_c", 1, PointValue.of(50.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 1, PointValue.of(10.0)));
      TelemetryPoint meter = t.at("line-1", "m01", "energy_kwh", 1, PointValue.of(100.0));
      producer.send(meter);
      // The same point again (same collector, source and seq): dropped before any route.
      producer.send(meter);
      producer.send(t.at("line-1", "m01", "coolant_flow_lpm", 1, PointValue.of(5.0)));
      producer.send(t.at("line-1", "m01", "pressure_bar", 1, PointValue.of(6.0)));
      // BAD: no measurement for the tag alarms, but the pattern step judges it itself.
      producer.send(t.at("line-1", "m01", "temperature_c", 2, PointValue.of(51.0), Quality.BAD));
      producer.send(t.at("line-1", "m01", "energy_kwh", 2, PointValue.of(101.0), Quality.BAD));
      producer.send(t.at("line-1", "m01", "tick", 3, PointValue.of(0L)));
      await()
          .atMost(DEADLINE)
          .until(() -> unrouted(id) == 3 && routedCount(routes) == 6 && !alarms.isEmpty());
      assertThat(counter(id, DedupFunction.DUPLICATES_METRIC)).isEqualTo(1);
      assertThat(QueueSink.queue("all")).hasSize(8);
      assertThat(tagsAndSeconds("energy", t)).containsExactly(tuple("energy_kwh", 1.0));
      assertThat(tagsAndSeconds("spc", t)).containsExactly(tuple("diameter_mm", 1.0));
      assertThat(tagsAndSeconds("oee", t)).isEmpty();
      assertThat(tagsAndSeconds("tag-alarms", t)).containsExactly(tuple("temperature_c", 1.0));
      assertThat(tagsAndSeconds("patterns", t))
          .containsExactly(
              tuple("temperature_c", 1.0),
              tuple("coolant_flow_lpm", 1.0),
              tuple("temperature_c", 2.0));
      assertThat(alarms)
          .extracting(AlarmEvent::tag, AlarmEvent::type, AlarmEvent::state, AlarmEvent::tsMicros)
          .containsExactly(tuple("temperature_c", AlarmType.H, AlarmState.RAISED, t.micros(1)));

      // A catalog that adds pressure_bar to the tag alarms: the router sends it from then on.
      PublishedCatalog v1 =
          RuleTopic.publish(
              kafka.bootstrapServers(),
              LiveRules.TOPIC_DEFAULT,
              "routing",
              WITH_PRESSURE,
              Clock.systemUTC());
      assertThat(v1.version()).isEqualTo(1);
      // Both the router and the tag alarms operator (and the pattern step) use it.
      await()
          .atMost(DEADLINE)
          .until(
              () -> {
                List<Long> v = versions(id);
                return v.size() == 3 && v.stream().allMatch(x -> x == 1L);
              });
      producer.send(t.at("line-1", "m01", "pressure_bar", 10, PointValue.of(6.0)));
      producer.send(t.at("line-1", "m01", "diameter_mm", 10, PointValue.of(10.2)));
      producer.send(t.at("line-1", "m01", "tick", 11, PointValue.of(0L)));
      await().atMost(DEADLINE).until(() -> alarms.size() >= 2 && unrouted(id) == 4);
      assertThat(tagsAndSeconds("tag-alarms", t))
          .containsExactly(tuple("temperature_c", 1.0), tuple("pressure_bar", 10.0));
      assertThat(tagsAndSeconds("spc", t))
          .containsExactly(tuple("diameter_mm", 1.0), tuple("diameter_mm", 10.0));
      assertThat(alarms)
          .extracting(AlarmEvent::tag, AlarmEvent::type, AlarmEvent::state, AlarmEvent::limit)
          .containsExactly(
              tuple("temperature_c", AlarmType.H, AlarmState.RAISED, 45.0),
              tuple("pressure_bar", AlarmType.H, AlarmState.RAISED, 5.0));
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void unroutedPointsReachEveryConsumerAndUnknownRoutesAreRefused() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    TestPoints t = new TestPoints("plant-sh", "assembly", Instant.parse("2025-03-04T08:00:00Z"));
    DataStream<TelemetryPoint> points =
        TestPoints.stream(env, List.of(t.at("line-1", "m01", "tick", 1, PointValue.of(0L))), 0);
    RoutedPoints all = RoutedPoints.unrouted(points);
    assertThat(all.routed()).isFalse();
    assertThat(all.of(EnergyJob.ROUTE)).isSameAs(points);
    assertThat(all.all()).isSameAs(points);
    SeqDedup dedup = new SeqDedup(Duration.ofHours(1), 1024);
    RoutedPoints energyOnly =
        RoutedPoints.deduplicateAndRoute(
            points,
            dedup,
            LiveRules.fixed(env, RuleCatalogFile.parse(INITIAL, "initial")),
            List.of(EnergyJob.ROUTE),
            "router-test");
    assertThatThrownBy(() -> energyOnly.of(QualityJob.SPC_ROUTE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot route points to spc: the router was built for [energy]");
    assertThatThrownBy(
            () ->
                RoutedPoints.deduplicateAndRoute(
                    points,
                    dedup,
                    LiveRules.fixed(env, RuleCatalogFile.parse(INITIAL, "initial")),
                    List.of(EnergyJob.ROUTE, new PointRoute("energy", (p, c) -> true)),
                    "router-test-2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid routes: route energy twice");
    assertThatThrownBy(() -> new PointRoute("Energy!", (p, c) -> true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid route name Energy!");
  }

  /** (tag, seconds after t0) of what reached the queue of a route, in arrival order. */
  private static List<org.assertj.core.groups.Tuple> tagsAndSeconds(String route, TestPoints t) {
    Queue<TelemetryPoint> q = QueueSink.queue("route-" + route);
    return q.stream().map(p -> tuple(p.tag(), (p.tsMicros() - t.micros(0)) / 1e6)).toList();
  }

  private static long routedCount(List<PointRoute> routes) {
    return routes.stream().mapToLong(r -> QueueSink.queue("route-" + r.name()).size()).sum();
  }

  /** The router's count of points no route wanted. */
  private static long unrouted(JobID id) {
    return counter(id, PointRouter.UNROUTED_METRIC);
  }

  /** The sum of a counter over the job's subtasks. */
  private static long counter(JobID id, String name) {
    return metrics(id, name).stream().mapToLong(m -> ((Counter) m).getCount()).sum();
  }

  /** The rulesVersion gauge of each broadcast-connected operator. */
  private static List<Long> versions(JobID id) {
    return metrics(id, RulesInEffect.VERSION_METRIC).stream()
        .map(m -> (Long) ((Gauge<?>) m).getValue())
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
  private static final class QueueSink<T> implements Sink<T> {
    private static final Map<String, Queue<Object>> QUEUES = new ConcurrentHashMap<>();
    private final String name;

    QueueSink(String name) {
      this.name = name;
    }

    @SuppressWarnings("unchecked")
    static <T> Queue<T> queue(String name) {
      return (Queue<T>) QUEUES.computeIfAbsent(name, n -> new ConcurrentLinkedQueue<>());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
      Queue<T> out = queue(name);
      return new SinkWriter<>() {
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
