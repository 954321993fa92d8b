package io.ironlake.bench.collector;

import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.MqttSourceConfig;
import io.ironlake.collector.config.TopicMapping;
import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedMqttBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * MQTT collector throughput: publisher → broker → collector → Kafka, against two ceilings measured
 * in the same rounds, on the same in-process brokers (Moquette, KRaft Kafka):
 *
 * <ul>
 *   <li>{@code A}: the same publisher → broker → a count-only Paho subscriber;
 *   <li>{@code B}: a bare Kafka producer with the collector's settings sending the same points,
 *       already encoded;
 *   <li>{@code c}: the collector ({@link EdgeCollector}, defaults), counted when Kafka acknowledged
 *       every point ({@code stats().pointsSent()});
 *   <li>with {@code replay=true}: Kafka stopped, the messages published into the collector's spool,
 *       Kafka started again and the same number of messages published live while the spool replays
 *       the backlog.
 * </ul>
 *
 * <p>Everything runs in this one JVM; the CPU figures are the whole process's.
 *
 * <p>Run: {@code bench/run io.ironlake.bench.collector.MqttCollectorBench rounds=3 messages=20000}
 */
public final class MqttCollectorBench {
  static final Set<String> KEYS = Set.of("rounds", "warmup", "messages", "devices", "replay");
  static final int PARTITIONS = 2;
  private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);

  private MqttCollectorBench() {}

  public static void main(String[] args) throws IOException {
    BenchArgs a = BenchArgs.parse(args, KEYS);
    Options o =
        new Options(
            a.integer("rounds", 3),
            a.integer("warmup", 4),
            a.integer("messages", 20_000),
            a.integer("devices", 100),
            a.flag("replay", true));
    PrintStream out = System.out;
    out.printf(
        "MQTT collector benchmark: %s; %d cores, load average %.1f%n",
        o, Runtime.getRuntime().availableProcessors(), Machine.loadAverage());
    Rounds rounds = run(o, out);
    out.printf("%nload average at the end %.1f%n%n", Machine.loadAverage());
    report(rounds, o, out);
  }

  /** What to run: rounds, unreported warm-up rounds, messages per phase, devices, replay phase. */
  record Options(int rounds, int warmup, int messages, int devices, boolean replay) {}

  static Rounds run(Options o, PrintStream out) throws IOException {
    Path work = Files.createTempDirectory("ironlake-bench-mqtt-");
    try (BenchKafka kafka = BenchKafka.start(work.resolve("kafka"), PARTITIONS);
        EmbeddedMqttBroker broker = EmbeddedMqttBroker.start(0, null)) {
      MqttLoad load = MqttLoad.generate(o.messages(), o.devices(), System.currentTimeMillis());
      List<ProducerRecord<byte[], byte[]>> records = rawRecords(load, o.devices());
      Rounds rounds = new Rounds();
      for (int round = 1 - o.warmup(); round <= o.rounds(); round++) {
        String tag = round < 1 ? "warm-up" : "round " + round + "/" + o.rounds();
        String id = "r" + (round + o.warmup());
        Map<String, Measurement> phases = new LinkedHashMap<>();
        phases.put("A", ceilingA(broker, load, id));
        phases.put(
            "B",
            RawProducerRun.run(KafkaConfig.of(kafka.bootstrapServers()), records, records.size()));
        Consumer<String> note =
            n -> {
              out.println(tag + ": " + n);
              rounds.note(tag + ": " + n);
            };
        phases.put("c", collector(kafka, broker, load, work.resolve("state-" + id), id, note));
        if (o.replay()) {
          phases.putAll(
              replay(kafka, broker, load, work.resolve("state-" + id + "-replay"), id, note));
        }
        phases.forEach(
            (phase, m) -> {
              out.printf(
                  "%-8s %-2s %,12.0f points/s %8.2f CPU-s/M points (%.2f cores) %,9d points%n",
                  tag,
                  phase,
                  m.pointsPerSecond(),
                  m.cpuSecondsPerMillion(),
                  m.coresUsed(),
                  m.points());
              if (!tag.equals("warm-up")) {
                rounds.add(phase, m);
              }
            });
      }
      return rounds;
    } finally {
      Machine.deleteTree(work);
    }
  }

  /** Ceiling A: publisher → broker → count-only subscriber, until every message arrived. */
  private static Measurement ceilingA(EmbeddedMqttBroker broker, MqttLoad load, String id) {
    try (MqttLoad.CountingSubscriber sub =
            new MqttLoad.CountingSubscriber(broker.url(), "ironlake-bench-count-" + id);
        MqttLoad.Publisher publisher = load.publisher(broker.url(), "ironlake-bench-pub-a-" + id)) {
      ProcessClock clock = ProcessClock.start();
      CompletableFuture<Void> pub = publisher.publishAll();
      await(pub, () -> sub.messages() >= load.messages(), "all messages at the subscriber");
      return clock.stop(load.points());
    }
  }

  /**
   * The collector: publisher → broker → collector → Kafka, until Kafka acknowledged every point.
   */
  private static Measurement collector(
      BenchKafka kafka,
      EmbeddedMqttBroker broker,
      MqttLoad load,
      Path state,
      String id,
      Consumer<String> note) {
    String clientId = "ironlake-bench-collector-" + id;
    try (EdgeCollector c =
        EdgeCollector.start(config(id, state, kafka, broker, clientId), Clock.systemUTC())) {
      ProcessClock.await(c::ready, Duration.ofSeconds(30), "collector ready");
      try (MqttLoad.Publisher publisher =
          load.publisher(broker.url(), "ironlake-bench-pub-c-" + id)) {
        ProcessClock clock = ProcessClock.start();
        CompletableFuture<Void> pub = publisher.publishAll();
        await(pub, () -> c.stats().pointsSent() >= load.points(), "every point in Kafka");
        Measurement m = clock.stop(load.points());
        check(c, load.points(), false, "c", note);
        note.accept(
            String.format(
                "c: %.1f records per produce request, batches of %.0f bytes (producer averages)",
                c.producerMetric("records-per-request-avg"), c.producerMetric("batch-size-avg")));
        return m;
      }
    } finally {
      MqttLoad.forgetSession(broker.url(), clientId);
    }
  }

  /**
   * The spool replaying a backlog: {@code in} = messages published while Kafka is down, measured
   * until every point is in the spool; then Kafka starts again and as many messages are published
   * live: {@code r} = until Kafka has the backlog, {@code r+l} = until it has backlog and live
   * points.
   */
  private static Map<String, Measurement> replay(
      BenchKafka kafka,
      EmbeddedMqttBroker broker,
      MqttLoad load,
      Path state,
      String id,
      Consumer<String> note) {
    String clientId = "ironlake-bench-replay-" + id;
    long n = load.points();
    try (EdgeCollector c =
        EdgeCollector.start(
            config(id + "-replay", state, kafka, broker, clientId), Clock.systemUTC())) {
      ProcessClock.await(c::ready, Duration.ofSeconds(30), "collector ready");
      kafka.stop();
      Measurement spooled;
      try (MqttLoad.Publisher publisher =
          load.publisher(broker.url(), "ironlake-bench-pub-i-" + id)) {
        ProcessClock in = ProcessClock.start();
        CompletableFuture<Void> pub = publisher.publishAll();
        await(pub, () -> c.stats().pointsRead() >= n, "every point in the spool");
        spooled = in.stop(n);
      }
      kafka.restart();
      Measurement backlog;
      Measurement all;
      try (MqttLoad.Publisher publisher =
          load.publisher(broker.url(), "ironlake-bench-pub-l-" + id)) {
        ProcessClock out = ProcessClock.start();
        CompletableFuture<Void> live = publisher.publishAll();
        await(live, () -> c.stats().pointsSent() >= n, "the backlog in Kafka");
        backlog = out.stop(n);
        await(live, () -> c.stats().pointsSent() >= 2 * n, "backlog and live points in Kafka");
        all = out.stop(2 * n);
      }
      check(c, 2 * n, true, "in/r/r+l", note);
      Map<String, Measurement> phases = new LinkedHashMap<>();
      phases.put("in", spooled);
      phases.put("r", backlog);
      phases.put("r+l", all);
      return phases;
    } finally {
      MqttLoad.forgetSession(broker.url(), clientId);
    }
  }

  private static CollectorConfig config(
      String id, Path state, BenchKafka kafka, EmbeddedMqttBroker broker, String clientId) {
    MqttSourceConfig source =
        MqttSourceConfig.of(
            "mqtt-bench",
            broker.url(),
            clientId,
            List.of(TopicMapping.json(MqttLoad.PATTERN, SampleTelemetry.UNITS)));
    return new CollectorConfig(
        "bench-" + id,
        state,
        CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT,
        KafkaConfig.of(kafka.bootstrapServers()),
        List.of(source));
  }

  /**
   * Refuses a run where the collector lost points, made dead letters or (unless Kafka was down on
   * purpose: then the sends tried meanwhile fail and go again from the spool) had send errors.
   * Points read beyond those published are MQTT redeliveries numbered a second time (QoS 1 is
   * at-least-once): noted, not refused.
   */
  private static void check(
      EdgeCollector c, long points, boolean kafkaWasDown, String phase, Consumer<String> note) {
    CollectorStats s = c.stats();
    if (s.pointsRead() < points
        || s.pointsSent() < points
        || s.deadLetters() != 0
        || (!kafkaWasDown && s.sendErrors() != 0)) {
      throw new IllegalStateException(
          "Cannot trust the collector run: expected "
              + points
              + " points read and sent, no dead letters"
              + (kafkaWasDown ? "" : " and no send errors")
              + ", got "
              + s);
    }
    if (s.pointsRead() > points) {
      note.accept(
          String.format(
              "phase %s: the collector read %,d points more than were published (MQTT"
                  + " redeliveries numbered again); redeliveries recognised and skipped: %,d",
              phase, s.pointsRead() - points, c.spoolStats().redeliveriesSkipped()));
    }
  }

  /** Waits for {@code done}, failing at once when the publisher failed. */
  private static void await(CompletableFuture<Void> publisher, BooleanSupplier done, String what) {
    ProcessClock.await(
        () -> {
          if (publisher.isCompletedExceptionally()) {
            publisher.join();
          }
          return done.getAsBoolean();
        },
        PHASE_TIMEOUT,
        what);
  }

  /** The points the collector makes of the messages, as Kafka records (ceiling B's input). */
  private static List<ProducerRecord<byte[], byte[]>> rawRecords(MqttLoad load, int devices) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    long startMicros = System.currentTimeMillis() * 1_000;
    long seq = 0;
    for (int i = 0; i < load.messages(); i++) {
      int device = i % devices;
      long tick = i / devices;
      for (Map.Entry<String, io.ironlake.connectors.record.PointValue> v :
          SampleTelemetry.values(device, tick).entrySet()) {
        records.add(
            SampleTelemetry.record(
                Topics.TELEMETRY,
                SampleTelemetry.LINE,
                SampleTelemetry.device(device),
                v.getKey(),
                startMicros + tick * 100_000,
                v.getValue(),
                "bench-raw",
                "mqtt-bench",
                seq++));
      }
    }
    return records;
  }

  /** The Markdown tables of the medians, the ceilings and the ratios. */
  static void report(Rounds r, Options o, PrintStream out) {
    int n = r.of("c").size();
    out.printf(
        "Medians over %d rounds, %,d messages x %d values = %,d points per phase, %d devices:%n%n",
        n, o.messages(), SampleTelemetry.TAGS.size(), (long) o.messages() * 7, o.devices());
    out.println("| phase | path | median points/s | CPU-s per 1M points |");
    out.println("| --- | --- | ---: | ---: |");
    row(r, out, "A", "publisher → broker → count-only subscriber");
    row(r, out, "B", "raw Kafka producer, collector settings, encoded points");
    row(r, out, "c", "publisher → broker → collector → Kafka");
    List<Double> ceiling = r.composed("A", "B");
    double ratio = Rounds.median(r.ratios("c", ceiling));
    out.printf(
        "%nC = 1/(1/A + 1/B), per round: median %,.0f points/s; c/C median %.2f (target ≥ 0.80: %s)%n",
        Rounds.median(ceiling), ratio, ratio >= 0.8 ? "met" : "MISSED");
    out.printf(
        "in CPU time: (CPU per point of A + of B) / CPU per point of c, median %.2f%n",
        Rounds.median(r.cpuRatios("c", "A", "B")));
    out.println();
    out.print(
        r.cpuTable(
            r.of("r+l").isEmpty() ? List.of("A", "B", "c") : List.of("A", "B", "c", "in", "r+l")));
    if (r.of("r+l").isEmpty()) {
      notes(r, out);
      return;
    }
    out.println();
    out.println("| phase | path | median points/s | CPU-s per 1M points |");
    out.println("| --- | --- | ---: | ---: |");
    row(r, out, "in", "Kafka down: publisher → broker → collector → spool");
    row(r, out, "r", "Kafka back: spool backlog → Kafka (live publishing meanwhile)");
    row(r, out, "r+l", "Kafka back: backlog + live points all in Kafka");
    List<Double> inRatio = new ArrayList<>();
    List<Double> replayCeiling = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double a = r.of("A").get(i).pointsPerSecond();
      double b = r.of("B").get(i).pointsPerSecond();
      inRatio.add(r.of("in").get(i).pointsPerSecond() / a);
      // Backlog and live: Kafka carries twice the points MQTT carries.
      replayCeiling.add(2 / (1 / a + 2 / b));
    }
    double replayRatio = Rounds.median(r.ratios("r+l", replayCeiling));
    out.printf(
        "%nin/A median %.2f; ceiling for r+l = 2/(1/A + 2/B), per round: median %,.0f points/s;"
            + " (r+l)/ceiling median %.2f (target ≥ 0.80: %s)%n",
        Rounds.median(inRatio),
        Rounds.median(replayCeiling),
        replayRatio,
        replayRatio >= 0.8 ? "met" : "MISSED");
    notes(r, out);
  }

  private static void notes(Rounds r, PrintStream out) {
    if (!r.notes().isEmpty()) {
      out.println();
      out.println("Notes:");
      r.notes().forEach(n -> out.println("- " + n));
    }
  }

  private static void row(Rounds r, PrintStream out, String phase, String path) {
    out.printf(
        "| %s | %s | %,.0f | %.2f |%n", phase, path, r.medianRate(phase), r.medianCpu(phase));
  }
}
