package io.ironlake.bench.jobs;

import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSecurityConfig;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.JobsConfig;
import io.ironlake.jobs.rules.RuleCatalog;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.TagSafetyParams;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.core.execution.JobClient;

/**
 * Latency from a value change at the OPC UA simulator to its alarm on {@code alarms.v1}: the
 * simulator's Milo server changes every machine's {@code diameter_mm} on every tick (100 ms, on
 * schedule whatever the rest does: open loop), the edge collector (its real OPC UA source, with a
 * given sampling and publishing interval) sends the points to {@code telemetry.v1}, and the safety
 * job raises and clears an H limit at nominal + 1 sigma (deadband 0, no on-delay), so about a
 * quarter of the changes raise or clear an alarm. Each alarm's latency is its broker append time on
 * {@code alarms.v1} ({@code LogAppendTime}) minus the wall-clock time at which the server was
 * scheduled to make the change that caused it (the tick's time: the point's source timestamp maps
 * to it one to one). Everything runs in this one JVM.
 *
 * <p>Run: {@code bench/run io.ironlake.bench.jobs.OpcUaAlarmLatencyRun [rounds] [seconds] [lines]
 * [machines] [samplingMs] [publishingMs]}, defaults 3 40 5 20 100 100.
 */
public final class OpcUaAlarmLatencyRun {
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final String TAG = "diameter_mm";

  private OpcUaAlarmLatencyRun() {}

  /**
   * What to run.
   *
   * @param seconds how long the simulator changes values, warm-up included
   * @param lines OPC UA lines
   * @param machines machines per line (each 7 tags, changing every 100 ms)
   * @param samplingMs the collector's {@code sampling-interval-ms}
   * @param publishingMs the collector's {@code publishing-interval-ms}
   * @param warmUp alarms of changes in the first {@code warmUp} are not counted
   */
  record Options(
      int seconds, int lines, int machines, int samplingMs, int publishingMs, Duration warmUp) {
    double valuesPerSecond() {
      return lines * machines * 7 * 1000.0 / TICK.toMillis();
    }
  }

  /**
   * One round's measurement.
   *
   * @param latencies ms from each scheduled change to its alarm's append, sorted
   * @param events events read from alarms.v1
   * @param emitted values the simulator emitted
   * @param sent points the collector had acknowledged by Kafka at the end
   */
  record Result(List<Long> latencies, long events, long emitted, long sent) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("log4j2.configurationFile", "ironlake-bench-log4j2.xml");
    int rounds = arg(args, 0, 3);
    Options o =
        new Options(
            arg(args, 1, 40),
            arg(args, 2, 5),
            arg(args, 3, 20),
            arg(args, 4, 100),
            arg(args, 5, 100),
            WARM_UP);
    PrintStream out = System.out;
    out.printf(
        "OPC UA value change -> alarm latency: %s, %,.0f values/s; %d cores, load average %.1f%n",
        o, o.valuesPerSecond(), Runtime.getRuntime().availableProcessors(), Scratch.loadAverage());
    List<Long> p50 = new ArrayList<>();
    List<Long> p95 = new ArrayList<>();
    List<Long> p99 = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      Result res = run(o);
      out.printf(
          "round %d/%d: emitted %,d values, collector sent %,d; alarms.v1 %,d events; change ->"
              + " alarm, ms: %s%n",
          r, rounds, res.emitted(), res.sent(), res.events(), Scratch.percentiles(res.latencies()));
      if (!res.latencies().isEmpty()) {
        p50.add(Scratch.pct(res.latencies(), 0.50));
        p95.add(Scratch.pct(res.latencies(), 0.95));
        p99.add(Scratch.pct(res.latencies(), 0.99));
      }
    }
    long target = o.samplingMs() + 100L;
    p50.sort(Long::compare);
    p95.sort(Long::compare);
    p99.sort(Long::compare);
    if (p99.isEmpty()) {
      out.println("No alarms after the warm-up: nothing measured.");
      return;
    }
    long medianP99 = Scratch.pct(p99, 0.5);
    out.printf(
        "medians over %d rounds: p50 %d ms, p95 %d ms, p99 %d ms (worst round p99 %d ms); target"
            + " p99 <= sampling interval + 100 ms = %d ms: %s%n",
        p99.size(),
        Scratch.pct(p50, 0.5),
        Scratch.pct(p95, 0.5),
        medianP99,
        p99.get(p99.size() - 1),
        target,
        medianP99 <= target ? "met" : "NOT met");
    out.printf("load average at the end %.1f%n", Scratch.loadAverage());
  }

  /** One round: a fresh broker, simulator, collector and safety job. */
  static Result run(Options o) throws Exception {
    Path dir = Files.createTempDirectory("ironlake-bench-opcua-alarms");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopic(Topics.TELEMETRY, 2);
      AlarmLatencyRun.createAlarmsTopic(kafka.bootstrapServers());
      Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      SimulatorConfig sim =
          SimulatorConfig.builder()
              .opcUaLines(o.lines())
              .mqttLines(0)
              .machinesPerLine(o.machines())
              .tick(TICK)
              .speed(1)
              .startTime(start)
              .duration(Duration.ofSeconds(o.seconds()))
              .driftProbability(0)
              .emitOnStart(false)
              .emissionMemoryLimit(0)
              .build();
      try (SimulatedFactory f = SimulatedFactory.start(sim)) {
        JobsConfig config =
            JobsConfig.builder()
                .kafkaBootstrapServers(kafka.bootstrapServers())
                .dataDir(dir.resolve("data"))
                .parallelism(2)
                .startingOffsets(JobsConfig.StartingOffsets.EARLIEST)
                .groupId("opcua-latency")
                .maxOutOfOrderness(Duration.ZERO)
                .idleTimeout(Duration.ofSeconds(1))
                .ruleCatalog(rules(f))
                .build();
        JobClient job = AlarmLatencyRun.startSafetyJob(config, dir);
        AlarmLatencyRun.AlarmReader reader =
            new AlarmLatencyRun.AlarmReader(kafka.bootstrapServers(), config.alarmsTopic());
        reader.start();
        long sent;
        long changeZeroMillis;
        try (EdgeCollector c =
            EdgeCollector.start(
                collector(o, f, kafka, dir.resolve("collector")), Clock.systemUTC())) {
          awaitReady(c);
          // Tick n changes the values at changeZero + n x tick, stamped start + n x tick.
          changeZeroMillis = System.currentTimeMillis();
          f.startEmitting();
          if (!f.awaitFinished(Duration.ofSeconds(o.seconds() + 120L))) {
            throw new IllegalStateException(
                "Cannot finish the round: the simulator did not finish");
          }
          reader.awaitQuiet(Duration.ofSeconds(5));
          sent = c.stats().pointsSent();
        }
        reader.stop();
        job.cancel().get();
        long startMillis = start.toEpochMilli();
        long countFrom = startMillis + o.warmUp().toMillis();
        List<Long> latencies = new ArrayList<>();
        for (AlarmLatencyRun.Alarm a : reader.alarms) {
          long tsMillis = Math.floorDiv(a.tsMicros(), 1000L);
          if (tsMillis >= countFrom) {
            latencies.add(a.appendMillis() - (changeZeroMillis + (tsMillis - startMillis)));
          }
        }
        latencies.sort(Long::compare);
        return new Result(latencies, reader.records.get(), f.emissions().total(), sent);
      }
    } finally {
      Scratch.deleteTree(dir);
    }
  }

  /**
   * An H limit on {@code diameter_mm} at nominal + 1 sigma (the simulator's 0.008 mm), deadband 0,
   * no on-delay: each change across it raises or clears at once.
   */
  static RuleCatalog rules(SimulatedFactory f) {
    double nominal = f.plant().machines(Channel.OPCUA).get(0).diameterLimits().nominal();
    TagSafetyParams diameter =
        new TagSafetyParams(
            LimitAlarmParams.builder().high(nominal + 0.008).deadband(0).build(), null, null);
    return StaticRuleCatalog.builder().safety(TAG, diameter).build();
  }

  private static CollectorConfig collector(
      Options o, SimulatedFactory f, EmbeddedKafka kafka, Path state) {
    List<NodeMapping> nodes = new ArrayList<>();
    for (SimMachine m : f.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        nodes.add(
            new NodeMapping(
                t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
      }
    }
    OpcUaSourceConfig source =
        new OpcUaSourceConfig(
            "opcua-latency",
            f.opcUaEndpoint(),
            OpcUaSecurityConfig.NONE,
            o.publishingMs(),
            o.samplingMs(),
            OpcUaSourceConfig.QUEUE_SIZE_DEFAULT,
            OpcUaSourceConfig.MAX_ITEMS_PER_SUBSCRIPTION_DEFAULT,
            f.plant().namespaceUri(),
            nodes);
    return new CollectorConfig(
        "bench-opcua-latency",
        state,
        CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT,
        KafkaConfig.of(kafka.bootstrapServers()),
        List.of(source));
  }

  private static void awaitReady(EdgeCollector c) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!c.ready()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Cannot measure: the collector is not ready after 60 s");
      }
      LockSupport.parkNanos(50_000_000);
    }
  }

  private static int arg(String[] args, int i, int fallback) {
    return args.length > i ? Integer.parseInt(args[i]) : fallback;
  }
}
