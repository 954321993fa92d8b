package io.ironlake.bench.collector;

import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.config.CollectorConfig;
import io.ironlake.collector.config.KafkaConfig;
import io.ironlake.collector.config.NodeMapping;
import io.ironlake.collector.config.OpcUaSourceConfig;
import io.ironlake.collector.kafka.KafkaPublisher;
import io.ironlake.simulator.Channel;
import io.ironlake.simulator.SimMachine;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * OPC UA collector throughput and latency: the simulator's Milo server changes every item on every
 * tick (each change a notification); the values/s that reach Kafka through the collector are
 * measured over a window after a warm-up, against ceilings measured in the same rounds:
 *
 * <ul>
 *   <li>{@code A}: a bare Milo client with the same subscriptions whose listener only counts;
 *   <li>{@code B}: a bare Kafka producer with the collector's settings sending points of the same
 *       shape, already encoded;
 *   <li>{@code c}: the collector ({@link EdgeCollector}, OPC UA source defaults), counted when
 *       Kafka acknowledged ({@code stats().pointsSent()}), with its added latency: the broker's
 *       append time of each point ({@code LogAppendTime}) minus its {@code ingest_ts} (when the
 *       collector received the notification).
 * </ul>
 *
 * <p>Everything (simulator, server, clients, collector, Kafka) runs in this one JVM; the CPU
 * figures are the whole process's. With {@code brokerJvm=true} the Kafka broker runs in a JVM of
 * its own instead, as a plant's Kafka does ({@code brokerJvmOpts}, by default the heap and
 * collector options of Kafka's {@code kafka-server-start.sh}), and its CPU time is added to B's and
 * c's.
 *
 * <p>Run: {@code bench/run io.ironlake.bench.collector.OpcUaCollectorBench rounds=3 lines=15
 * machines=96 tickMs=100 speed=1}
 *
 * <p>With {@code jvm=true} the collector of phase c runs in its own JVM instead, as a plant runs it
 * ({@code java -Xmx256m -XX:+UseParallelGC -jar
 * edge-collector/target/ironlake-collector-VERSION.jar run}, the options of the systemd unit;
 * {@code jvmOpts} replaces them, options separated by spaces, {@code jar} names another jar): c is
 * then counted in Kafka, its CPU is this JVM's plus the collector JVM's, and the collector's
 * largest heap after a GC is printed.
 */
public final class OpcUaCollectorBench {
  static final Set<String> KEYS =
      Set.of(
          "rounds",
          "warmup",
          "lines",
          "machines",
          "tickMs",
          "speed",
          "warmupS",
          "windowS",
          "jvm",
          "jvmOpts",
          "jar",
          "replay",
          "latencyOnly",
          "brokerJvm",
          "brokerJvmOpts",
          "lingerMs",
          "producer",
          "forwarder",
          "collectorDir");
  private static final int RAW_POOL = 200_000;
  private static final long RAW_MAX = 1_000_000;
  static final String SOURCE = "opcua-bench";

  private OpcUaCollectorBench() {}

  public static void main(String[] args) throws IOException {
    BenchArgs a = BenchArgs.parse(args, KEYS);
    Options o =
        new Options(
            a.integer("rounds", 3),
            a.integer("warmup", 1),
            a.integer("lines", 15),
            a.integer("machines", 96),
            a.integer("tickMs", 100),
            a.decimal("speed", 1),
            a.integer("warmupS", 5),
            a.integer("windowS", 10),
            a.flag("jvm", false),
            a.text("jvmOpts", "-Xmx256m -XX:+UseParallelGC"),
            a.text("jar", defaultJar()),
            a.flag("replay", false),
            a.flag("latencyOnly", false),
            a.flag("brokerJvm", false),
            a.text("brokerJvmOpts", BrokerProcess.DEFAULT_JVM_OPTS),
            a.integer("lingerMs", KafkaConfig.LINGER_MS_DEFAULT),
            a.pairs("producer"),
            a.flag("forwarder", false),
            a.text("collectorDir", ""));
    if (o.lingerMs() < 0) {
      throw new IllegalArgumentException(
          "Invalid value " + o.lingerMs() + " for lingerMs: expected 0 or more");
    }
    if (o.forwarder() && !o.jvm()) {
      throw new IllegalArgumentException(
          "forwarder=true compares c in its own JVM with the reference forwarder in its own JVM:"
              + " add jvm=true");
    }
    if (o.latencyOnly() && o.replay()) {
      throw new IllegalArgumentException(
          "latencyOnly=true runs phase c alone, and the replay phases need A and B: drop one");
    }
    PrintStream out = System.out;
    out.printf(
        "OPC UA collector benchmark: %s; %,d items, %,.0f values/s offered; %d cores, load"
            + " average %.1f%n",
        o,
        o.items(),
        o.offeredPerSecond(),
        Runtime.getRuntime().availableProcessors(),
        Machine.loadAverage());
    List<Round> rounds = run(o, out);
    out.printf("%nload average at the end %.1f%n%n", Machine.loadAverage());
    report(rounds, o, out);
  }

  /**
   * What to run: {@code lines} x {@code machines} x 7 items changing every {@code tickMs} of
   * simulated time at {@code speed} simulated seconds per second; {@code warmupS} seconds before a
   * {@code windowS}-second measurement window; with {@code replay} also the spool replay phases
   * ({@link OpcUaReplay.ReplayRun}); with {@code latencyOnly} only phase c, for its rate and added
   * latency (no ceilings, so no ratio); with {@code brokerJvm} the Kafka broker in a JVM of its own
   * started with {@code brokerJvmOpts} ({@link BrokerProcess}); {@code lingerMs} and {@code
   * producer} are the collector's {@code kafka.linger-ms} and {@code kafka.properties} in c (and in
   * B, which sends with the collector's producer settings); with {@code forwarder} also phase f,
   * the latency reference ({@link ReferenceForwarder}) in a JVM of its own with {@code jvmOpts},
   * just before c in each round; {@code collectorDir} is where the collector in its own JVM keeps
   * its state and spool (and the forwarder its files), by default the benchmark's temporary folder
   * beside the broker's (e.g. {@code /dev/shm} to take the spool's disk out of c).
   */
  record Options(
      int rounds,
      int warmup,
      int lines,
      int machines,
      int tickMs,
      double speed,
      int warmupS,
      int windowS,
      boolean jvm,
      String jvmOpts,
      String jar,
      boolean replay,
      boolean latencyOnly,
      boolean brokerJvm,
      String brokerJvmOpts,
      int lingerMs,
      Map<String, String> producer,
      boolean forwarder,
      String collectorDir) {
    int items() {
      return lines * machines * SampleTelemetry.TAGS.size();
    }

    double offeredPerSecond() {
      return items() * 1000.0 / tickMs * speed;
    }

    /** {@code jvmOpts} as the options of a command line (separated by spaces). */
    List<String> jvmOptions() {
      return List.of(jvmOpts.trim().split("\\s+"));
    }

    /** The collector's Kafka settings: its defaults with {@code lingerMs} and {@code producer}. */
    KafkaConfig kafka(String bootstrapServers) {
      KafkaConfig d = KafkaConfig.of(bootstrapServers);
      return new KafkaConfig(
          d.bootstrapServers(),
          d.telemetryTopic(),
          d.deadletterTopic(),
          lingerMs,
          d.compression(),
          producer,
          d.eventsTopic());
    }
  }

  /**
   * One live phase: the window's measurement, what the simulator emitted meanwhile, and the whole
   * run's totals.
   *
   * @param window values counted at the end of the path during the window
   * @param emittedPerSecond values the simulator emitted per second during the window
   * @param emitted values emitted in the whole run
   * @param delivered values counted at the end of the path in the whole run, once settled
   * @param drainMillis from the simulator's last tick until every emitted value was counted (or the
   *     count stopped below that)
   * @param latency the collector's added latency in the window ({@code null} for the bare client)
   */
  record LiveRun(
      Measurement window,
      double emittedPerSecond,
      long emitted,
      long delivered,
      long drainMillis,
      Latency latency) {}

  /**
   * One round: A and B (null with {@code latencyOnly=true}), f (null without {@code
   * forwarder=true}), c and (with {@code replay=true}, else null) the replay phases.
   */
  record Round(LiveRun a, Measurement b, LiveRun f, LiveRun c, OpcUaReplay.ReplayRun replay) {}

  static List<Round> run(Options o, PrintStream out) throws IOException {
    Path work = Files.createTempDirectory("ironlake-bench-opcua-");
    Path collectors =
        o.collectorDir().isEmpty()
            ? work
            : Files.createTempDirectory(Path.of(o.collectorDir()), "ironlake-bench-opcua-");
    List<Round> rounds = new ArrayList<>();
    try (BenchKafka kafka =
        o.brokerJvm()
            ? BenchKafka.startJvm(
                work.resolve("kafka"), MqttCollectorBench.PARTITIONS, o.brokerJvmOpts())
            : BenchKafka.start(work.resolve("kafka"), MqttCollectorBench.PARTITIONS)) {
      OtherCpu broker = OtherCpu.none().and("Kafka broker JVM", kafka::cpuNanos);
      List<ProducerRecord<byte[], byte[]>> pool =
          SampleTelemetry.opcUaRecords(o.lines(), o.machines(), o.tickMs(), RAW_POOL);
      long rawCount = Math.min(RAW_MAX, (long) (o.offeredPerSecond() * o.windowS()));
      for (int round = 1 - o.warmup(); round <= o.rounds(); round++) {
        String tag = round < 1 ? "warm-up" : "round " + round + "/" + o.rounds();
        String id = "r" + (round + o.warmup());
        LiveRun a = null;
        Measurement b = null;
        if (!o.latencyOnly()) {
          a = ceilingA(o);
          print(out, tag, "A", a);
          OtherCpu.Mark beforeB = broker.mark();
          b = beforeB.addTo(RawProducerRun.run(o.kafka(kafka.bootstrapServers()), pool, rawCount));
          out.printf(
              "%-8s B  %,12.0f values/s %8.2f CPU-s/M (%.2f cores)%n",
              tag, b.pointsPerSecond(), b.cpuSecondsPerMillion(), b.coresUsed());
        }
        LiveRun fwd = null;
        if (o.forwarder()) {
          fwd =
              forwarderJvm(
                  o, kafka, broker, collectors.resolve("fwd-" + id), "bench-opcua-fwd-" + id, out);
          print(out, tag, "f", fwd);
        }
        LiveRun c =
            o.jvm()
                ? collectorJvm(
                    o, kafka, broker, collectors.resolve("jvm-" + id), "bench-opcua-" + id, out)
                : collector(o, kafka, broker, work.resolve("state-" + id), "bench-opcua-" + id);
        print(out, tag, "c", c);
        OpcUaReplay.ReplayRun replay = null;
        if (o.replay()) {
          replay =
              OpcUaReplay.run(
                  o, kafka, broker, work.resolve("replay-" + id), "bench-opcua-replay-" + id, out);
          OpcUaReplay.print(out, tag, replay);
        }
        if (round >= 1) {
          rounds.add(new Round(a, b, fwd, c, replay));
        }
      }
      return rounds;
    } finally {
      Machine.deleteTree(work);
      Machine.deleteTree(collectors);
    }
  }

  private static void print(PrintStream out, String tag, String phase, LiveRun r) {
    out.printf(
        "%-8s %-2s %,12.0f values/s %8.2f CPU-s/M (%.2f cores); emitted %,.0f/s; delivered"
            + " %,d of %,d, drain %,d ms%s%n",
        tag,
        phase,
        r.window().pointsPerSecond(),
        r.window().cpuSecondsPerMillion(),
        r.window().coresUsed(),
        r.emittedPerSecond(),
        r.delivered(),
        r.emitted(),
        r.drainMillis(),
        r.latency() == null
            ? ""
            : String.format(
                "; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms (%,d points)",
                r.latency().p50Ms(),
                r.latency().p99Ms(),
                r.latency().maxMs(),
                r.latency().count()));
  }

  /** Ceiling A: the simulator's server → a bare Milo client that counts. */
  private static LiveRun ceilingA(Options o) {
    try (SimulatedFactory f = SimulatedFactory.start(simulator(o));
        CountingOpcUaClient client =
            CountingOpcUaClient.subscribe(f.opcUaEndpoint(), f.plant().opcUaNodeIds())) {
      return live(o, f, client::values, OtherCpu.none()).withLatency(null);
    }
  }

  /** The collector: the simulator's server → collector → Kafka, counted when Kafka acknowledged. */
  private static LiveRun collector(
      Options o, BenchKafka kafka, OtherCpu broker, Path state, String collectorId) {
    try (SimulatedFactory f = SimulatedFactory.start(simulator(o))) {
      Map<TopicPartition, Long> from = kafka.endOffsets();
      Window w;
      try (EdgeCollector c =
          EdgeCollector.start(config(o, f, kafka, state, collectorId), Clock.systemUTC())) {
        ProcessClock.await(c::ready, Duration.ofSeconds(60), "collector ready");
        w = live(o, f, () -> c.stats().pointsSent(), broker);
        CollectorStats s = c.stats();
        if (s.pointsRead() != s.pointsSent() || s.sendErrors() != 0) {
          throw new IllegalStateException(
              "Cannot trust the collector run: not every point read was sent, or send errors: "
                  + s);
        }
      }
      List<Long> micros =
          kafka.appendLatenciesMicros(from, collectorId, w.fromMicros(), w.toMicros());
      return w.withLatency(Latency.ofMicros(micros));
    }
  }

  /** The collector in its own JVM: counted in Kafka, CPU of the JVMs. */
  private static LiveRun collectorJvm(
      Options o, BenchKafka kafka, OtherCpu broker, Path dir, String collectorId, PrintStream out)
      throws IOException {
    return inOwnJvm(
        o,
        kafka,
        broker,
        collectorId,
        out,
        "collector JVM",
        f ->
            CollectorProcess.start(
                Path.of(o.jar()),
                o.jvmOptions(),
                f,
                o.kafka(kafka.bootstrapServers()),
                dir,
                collectorId));
  }

  /**
   * The latency reference in its own JVM ({@link ReferenceForwarder}, {@code jvmOpts}): counted in
   * Kafka, CPU of the JVMs, latency measured as c's.
   */
  private static LiveRun forwarderJvm(
      Options o, BenchKafka kafka, OtherCpu broker, Path dir, String collectorId, PrintStream out)
      throws IOException {
    return inOwnJvm(
        o,
        kafka,
        broker,
        collectorId,
        out,
        "forwarder JVM",
        f ->
            CollectorProcess.startForwarder(
                o.jvmOptions(),
                f,
                KafkaPublisher.producerProperties(
                    o.kafka(kafka.bootstrapServers()), "ironlake-bench-forwarder"),
                dir,
                collectorId));
  }

  /** Starts the JVM of a phase for the phase's simulator. */
  private interface JvmStart {
    CollectorProcess start(SimulatedFactory f) throws IOException;
  }

  /**
   * A live phase through a JVM of its own, {@code name} in the output and the CPU parts: counted in
   * Kafka (end offsets), its CPU added to this JVM's, its heap and GC pauses printed, its latency
   * read back from Kafka for {@code collectorId}.
   */
  private static LiveRun inOwnJvm(
      Options o,
      BenchKafka kafka,
      OtherCpu broker,
      String collectorId,
      PrintStream out,
      String name,
      JvmStart start)
      throws IOException {
    try (SimulatedFactory f = SimulatedFactory.start(simulator(o))) {
      Map<TopicPartition, Long> from = kafka.endOffsets();
      Window w;
      CollectorProcess jvm;
      try (BenchKafka.Written written = kafka.new Written(from);
          CollectorProcess p = start.start(f)) {
        jvm = p;
        ProcessClock.await(p::ready, Duration.ofSeconds(120), name + " ready");
        w = live(o, f, written, broker.and(name, p::cpuNanos));
      }
      out.printf(
          "         %s (%s): largest heap after GC %d MB, %s%n",
          name, o.jvmOpts(), jvm.maxHeapAfterGcMb(), jvm.gcPauses());
      if (jvm.log().contains("Exception")) {
        out.printf("         %s log shows exceptions:%n%s%n", name, jvm.log());
      }
      List<Long> micros =
          kafka.appendLatenciesMicros(from, collectorId, w.fromMicros(), w.toMicros());
      return w.withLatency(Latency.ofMicros(micros));
    }
  }

  /** The runnable collector jar that {@code mvn package} builds in edge-collector. */
  private static String defaultJar() {
    try (var files = Files.list(Path.of("edge-collector", "target"))) {
      return files
          .map(Path::toString)
          .filter(n -> n.matches(".*/ironlake-collector-[^/]*\\.jar"))
          .findFirst()
          .orElse("edge-collector/target/ironlake-collector.jar");
    } catch (IOException e) {
      return "edge-collector/target/ironlake-collector.jar";
    }
  }

  /** A live phase before its latency is known, with the window's bounds in epoch microseconds. */
  private record Window(
      Measurement window,
      double emittedPerSecond,
      long emitted,
      long delivered,
      long drainMillis,
      long fromMicros,
      long toMicros) {
    LiveRun withLatency(Latency latency) {
      return new LiveRun(window, emittedPerSecond, emitted, delivered, drainMillis, latency);
    }
  }

  /**
   * Starts the ticks, measures {@code delivered} over the window after the warm-up, then waits for
   * the run to end and everything emitted to be delivered (or nothing more to come for 5 s); the
   * CPU time of the {@code others} processes in the window is added to this one's.
   */
  private static Window live(
      Options o, SimulatedFactory f, LongSupplier delivered, OtherCpu others) {
    f.startEmitting();
    long start = System.nanoTime();
    ProcessClock.parkUntil(start + TimeUnit.SECONDS.toNanos(o.warmupS()));
    long d0 = delivered.getAsLong();
    long e0 = f.emissions().total();
    long fromMicros = System.currentTimeMillis() * 1_000;
    OtherCpu.Mark other0 = others.mark();
    ProcessClock clock = ProcessClock.start();
    ProcessClock.parkUntil(start + TimeUnit.SECONDS.toNanos(o.warmupS() + o.windowS()));
    long d1 = delivered.getAsLong();
    long e1 = f.emissions().total();
    Measurement m = other0.addTo(clock.stop(d1 - d0));
    long toMicros = System.currentTimeMillis() * 1_000;
    if (!f.awaitFinished(Duration.ofMinutes(5))) {
      throw new IllegalStateException("Cannot finish OPC UA phase: the simulator did not finish");
    }
    long finished = System.nanoTime();
    long emitted = f.emissions().total();
    long last = settle(delivered, emitted);
    return new Window(
        m,
        (e1 - e0) * 1e9 / m.nanos(),
        emitted,
        delivered.getAsLong(),
        Math.max(0, TimeUnit.NANOSECONDS.toMillis(last - finished)),
        fromMicros,
        toMicros);
  }

  /**
   * Waits until {@code count} has reached {@code target} and then not moved for 1 s (so that values
   * beyond the target, duplicates, are seen too), or has not moved for 5 s below it; returns when
   * it reached the target, else when it last moved, in {@code System.nanoTime()}.
   */
  static long settle(LongSupplier count, long target) {
    long last = count.getAsLong();
    long changed = System.nanoTime();
    long reached = last >= target ? changed : 0;
    while (System.nanoTime() - changed < TimeUnit.SECONDS.toNanos(reached != 0 ? 1 : 5)) {
      LockSupport.parkNanos(1_000_000);
      long now = count.getAsLong();
      if (now != last) {
        last = now;
        changed = System.nanoTime();
        if (reached == 0 && now >= target) {
          reached = changed;
        }
      }
    }
    return reached != 0 ? reached : changed;
  }

  private static SimulatorConfig simulator(Options o) {
    Duration tick = Duration.ofMillis(o.tickMs());
    long runMillis = (long) ((o.warmupS() + o.windowS() + 1) * 1000 * o.speed());
    return SimulatorConfig.builder()
        .opcUaLines(o.lines())
        .mqttLines(0)
        .machinesPerLine(o.machines())
        .tick(tick)
        .speed(o.speed())
        .duration(Duration.ofMillis(Math.max(o.tickMs(), runMillis)))
        .emitOnStart(false)
        .emissionMemoryLimit(0)
        .build();
  }

  static CollectorConfig config(
      Options o, SimulatedFactory f, BenchKafka kafka, Path state, String collectorId) {
    List<NodeMapping> nodes = new ArrayList<>();
    for (SimMachine m : f.plant().machines(Channel.OPCUA)) {
      for (SimTag t : m.tags()) {
        nodes.add(
            new NodeMapping(
                t.nodeId(), m.site(), m.area(), m.line(), m.device(), t.name(), t.unit()));
      }
    }
    OpcUaSourceConfig source =
        OpcUaSourceConfig.of(SOURCE, f.opcUaEndpoint(), f.plant().namespaceUri(), nodes);
    return new CollectorConfig(
        collectorId,
        state,
        CollectorConfig.SEQ_BLOCK_SIZE_DEFAULT,
        o.kafka(kafka.bootstrapServers()),
        List.of(source));
  }

  /** The Markdown table of the medians, the ceiling, the ratio and the latency. */
  static void report(List<Round> rounds, Options o, PrintStream out) {
    Rounds r = new Rounds();
    List<Double> keptUp = new ArrayList<>();
    List<Double> aKeptUp = new ArrayList<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> fwdP50 = new ArrayList<>();
    List<Double> fwdP99 = new ArrayList<>();
    List<Double> p99OverFwd = new ArrayList<>();
    List<Double> emitted = new ArrayList<>();
    long lost = 0;
    long fwdLost = 0;
    for (Round round : rounds) {
      if (round.a() != null) {
        r.add("A", round.a().window());
        r.add("B", round.b());
        aKeptUp.add(round.a().window().pointsPerSecond() / round.a().emittedPerSecond());
      }
      r.add("c", round.c().window());
      keptUp.add(round.c().window().pointsPerSecond() / round.c().emittedPerSecond());
      emitted.add(round.c().emittedPerSecond());
      p50.add(round.c().latency().p50Ms());
      p99.add(round.c().latency().p99Ms());
      lost += round.c().emitted() - round.c().delivered();
      if (round.f() != null) {
        r.add("f", round.f().window());
        fwdP50.add(round.f().latency().p50Ms());
        fwdP99.add(round.f().latency().p99Ms());
        p99OverFwd.add(round.c().latency().p99Ms() - round.f().latency().p99Ms());
        fwdLost += round.f().emitted() - round.f().delivered();
      }
      if (round.replay() != null) {
        r.add("in", round.replay().in());
        r.add("r", round.replay().r());
        r.add("r+l", round.replay().rl());
      }
    }
    out.printf(
        "Medians over %d rounds; %,d items (%d lines x %d machines x 7 tags), tick %d ms, speed"
            + " %s: %,.0f values/s offered; window %d s after %d s warm-up:%n%n",
        rounds.size(),
        o.items(),
        o.lines(),
        o.machines(),
        o.tickMs(),
        o.speed(),
        o.offeredPerSecond(),
        o.windowS(),
        o.warmupS());
    out.println("| phase | path | median values/s | CPU-s per 1M values |");
    out.println("| --- | --- | ---: | ---: |");
    if (!o.latencyOnly()) {
      row(r, out, "A", "Milo server → bare Milo client, count-only");
      row(r, out, "B", "raw Kafka producer, collector settings, encoded points");
    }
    if (!fwdP99.isEmpty()) {
      row(r, out, "f", "Milo server → reference forwarder → Kafka (latency reference)");
    }
    row(r, out, "c", "Milo server → collector → Kafka");
    if (!o.latencyOnly()) {
      ceilings(r, aKeptUp, out);
    }
    out.printf(
        "collector: during c the simulator emitted %,.0f of the %,.0f values/s scheduled (median;"
            + " it slows down, never skips, when starved of CPU); c/emitted median %.3f; values"
            + " emitted but not in Kafka over all rounds: %,d%n",
        Rounds.median(emitted), o.offeredPerSecond(), Rounds.median(keptUp), lost);
    out.printf(
        "collector added latency (ingest_ts → broker append time): p50 median %.1f ms, p99 median"
            + " %.1f ms, worst round p99 %.1f ms (target p99 ≤ 20 ms)%n",
        Rounds.median(p50), Rounds.median(p99), p99.stream().mapToDouble(d -> d).max().orElse(0));
    if (!fwdP99.isEmpty()) {
      out.printf(
          "reference forwarder (same measure, same round, own JVM): p50 median %.1f ms, p99 median"
              + " %.1f ms; c's p99 minus f's, per round %s ms, median %.1f ms; values emitted but"
              + " not in Kafka: %,d%n",
          Rounds.median(fwdP50),
          Rounds.median(fwdP99),
          p99OverFwd.stream().map(d -> String.format("%.1f", d)).toList(),
          Rounds.median(p99OverFwd),
          fwdLost);
    }
    if (!r.of("r+l").isEmpty()) {
      OpcUaReplay.report(rounds, r, out);
    }
  }

  /** The ceiling C = 1/(1/A + 1/B), c's ratio to it and the CPU table. */
  private static void ceilings(Rounds r, List<Double> aKeptUp, PrintStream out) {
    List<Double> ceiling = r.composed("A", "B");
    double ratio = Rounds.median(r.ratios("c", ceiling));
    out.printf(
        "%nC = 1/(1/A + 1/B), per round: median %,.0f values/s; c/C median %.2f (target ≥ 0.80:"
            + " %s)%n",
        Rounds.median(ceiling), ratio, ratio >= 0.8 ? "met" : "MISSED");
    out.printf(
        "in CPU time: (CPU per value of A + of B) / CPU per value of c, median %.2f%n",
        Rounds.median(r.cpuRatios("c", "A", "B")));
    out.println();
    out.print(
        r.cpuTable(
            r.of("r+l").isEmpty()
                ? List.of("A", "B", "c")
                : List.of("A", "B", "c", "in", "r", "r+l")));
    out.println();
    if (Rounds.median(aKeptUp) >= 0.98) {
      out.printf(
          "note: A kept up with what the simulator emitted (A/emitted median %.3f), so A is the"
              + " offered load, not the bare client's ceiling: C and c/C say nothing about"
              + " capacity; raise speed to saturate A%n",
          Rounds.median(aKeptUp));
    }
  }

  static void row(Rounds r, PrintStream out, String phase, String path) {
    out.printf(
        "| %s | %s | %,.0f | %.2f |%n", phase, path, r.medianRate(phase), r.medianCpu(phase));
  }
}
