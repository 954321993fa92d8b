package io.ironlake.bench.collector;

import static io.ironlake.bench.collector.OpcUaCollectorBench.SOURCE;
import static io.ironlake.bench.collector.OpcUaCollectorBench.config;
import static io.ironlake.bench.collector.OpcUaCollectorBench.row;
import static io.ironlake.bench.collector.OpcUaCollectorBench.settle;

import io.ironlake.bench.collector.OpcUaCollectorBench.Options;
import io.ironlake.bench.collector.OpcUaCollectorBench.Round;
import io.ironlake.collector.CollectorStats;
import io.ironlake.collector.EdgeCollector;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.simulator.SimulatedFactory;
import io.ironlake.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The OPC UA collector benchmark's spool replay ({@code replay=true}): Kafka stopped while the
 * simulator's changes go into the collector's spool ({@code in}), then Kafka started again while
 * live changes keep coming ({@code r}: the backlog into Kafka, {@code r+l}: backlog and live values
 * into Kafka), with Kafka's content checked: every {@code (collector_id, source, seq)} from the
 * first to the last, duplicates counted.
 */
final class OpcUaReplay {
  /** A replay phase that counts nothing more for this long fails. */
  private static final Duration REPLAY_STALL = Duration.ofSeconds(30);

  private OpcUaReplay() {}

  /**
   * The spool replaying a backlog, one collector and one simulator run: {@code in} = values read
   * into the spool per second while Kafka is stopped (over the window after the warm-up); Kafka is
   * started again and the simulator goes on until it has emitted as many values live as before the
   * restart: {@code r} = the backlog (what was read before Kafka was back) into Kafka per second,
   * {@code rl} = backlog and live values into Kafka per second, from the restart until Kafka has
   * every value emitted.
   *
   * @param in values read into the spool in the window, Kafka stopped
   * @param r the backlog into Kafka, from the restart (once the broker serves again: what it took
   *     while its start was still being confirmed is left out of r and rl)
   * @param rl backlog and live values into Kafka, from the restart
   * @param emittedPerSecondIn values the simulator emitted per second during the {@code in} window
   * @param backlog points read before Kafka was back (the spool's depth then)
   * @param backlogBytes the spool's segment files then, bytes
   * @param emitted values emitted in the whole run
   * @param read points the collector read in the whole run
   * @param kafka what Kafka holds of the collector's source afterwards
   */
  record ReplayRun(
      Measurement in,
      Measurement r,
      Measurement rl,
      double emittedPerSecondIn,
      long backlog,
      long backlogBytes,
      long emitted,
      long read,
      Identities kafka) {}

  /**
   * The replay phases ({@link ReplayRun}) with a fresh simulator and collector (in this JVM, or in
   * its own with {@code jvm=true}); refuses a run where Kafka lacks a value the simulator emitted
   * or a seq number between the first and the last.
   */
  static ReplayRun run(
      Options o, BenchKafka kafka, OtherCpu broker, Path dir, String collectorId, PrintStream out)
      throws IOException {
    try (SimulatedFactory f = SimulatedFactory.start(replaySimulator(o))) {
      Map<TopicPartition, Long> from = kafka.endOffsets();
      Phases p;
      if (o.jvm()) {
        BenchKafka.Written[] written = new BenchKafka.Written[1];
        CollectorProcess c;
        try (CollectorProcess proc =
            CollectorProcess.start(
                Path.of(o.jar()),
                o.jvmOptions(),
                f,
                o.kafka(kafka.bootstrapServers()),
                dir,
                collectorId)) {
          c = proc;
          ProcessClock.await(proc::ready, Duration.ofSeconds(120), "collector JVM ready");
          p =
              replayPhases(
                  o,
                  kafka,
                  f,
                  () -> proc.metric("ironlake_collector_points_read_total"),
                  () -> proc.metric("ironlake_collector_spool_disk_bytes"),
                  () -> written[0] = kafka.new Written(from),
                  broker.and("collector JVM", proc::cpuNanos));
          p = p.withRead(proc.metric("ironlake_collector_points_read_total"));
          if (proc.metric("ironlake_collector_dead_letters_total", 0) != 0) {
            throw new IllegalStateException("Cannot trust the replay run: dead letters");
          }
        } finally {
          if (written[0] != null) {
            written[0].close();
          }
        }
        out.printf(
            "         replay collector JVM (%s): largest heap after GC %d MB, %s%n",
            o.jvmOpts(), c.maxHeapAfterGcMb(), c.gcPauses());
        if (c.log().contains("OutOfMemoryError")) {
          out.printf("         replay collector JVM ran out of memory; log:%n%s%n", c.log());
        }
      } else {
        try (EdgeCollector c =
            EdgeCollector.start(config(o, f, kafka, dir, collectorId), Clock.systemUTC())) {
          ProcessClock.await(c::ready, Duration.ofSeconds(60), "collector ready");
          p =
              replayPhases(
                  o,
                  kafka,
                  f,
                  () -> c.stats().pointsRead(),
                  () -> c.spoolStats().diskBytes(),
                  () -> () -> c.stats().pointsSent(),
                  broker);
          CollectorStats s = c.stats();
          if (s.deadLetters() != 0 || s.pointsSent() != s.pointsRead()) {
            throw new IllegalStateException(
                "Cannot trust the replay run: dead letters, or not every point read was sent: "
                    + s);
          }
          p = p.withRead(s.pointsRead());
        }
      }
      Identities ids =
          kafka.identities(from, collectorId).getOrDefault(SOURCE, Identities.of(new long[0], 0));
      if (ids.missing() != 0 || ids.distinct() != p.read() || p.read() < p.emitted()) {
        throw new IllegalStateException(
            String.format(
                "Cannot trust the replay run: points lost: the simulator emitted %,d values, the"
                    + " collector read %,d, Kafka holds %,d distinct seq numbers of %s/%s (%,d..%,d,"
                    + " %,d missing between them)",
                p.emitted(),
                p.read(),
                ids.distinct(),
                collectorId,
                SOURCE,
                ids.firstSeq(),
                ids.lastSeq(),
                ids.missing()));
      }
      return new ReplayRun(
          p.in(),
          p.r(),
          p.rl(),
          p.emittedPerSecondIn(),
          p.backlog(),
          p.backlogBytes(),
          p.emitted(),
          p.read(),
          ids);
    }
  }

  /** The replay phases' figures before Kafka's content is checked. */
  private record Phases(
      Measurement in,
      Measurement r,
      Measurement rl,
      double emittedPerSecondIn,
      long backlog,
      long backlogBytes,
      long emitted,
      long read) {
    Phases withRead(long read) {
      return new Phases(in, r, rl, emittedPerSecondIn, backlog, backlogBytes, emitted, read);
    }
  }

  /**
   * Stops Kafka, starts the ticks, measures {@code read} over the window after the warm-up ({@code
   * in}), starts Kafka again, then measures {@code sent} (opened once Kafka is back) until it has
   * the backlog ({@code r}) and until it has every value emitted ({@code r+l}); the ticks are held
   * once the simulator has emitted as many values after the restart as before it. {@code others}
   * are the other processes (the collector's JVM, the broker's JVM) whose CPU time counts.
   */
  private static Phases replayPhases(
      Options o,
      BenchKafka kafka,
      SimulatedFactory f,
      LongSupplier read,
      LongSupplier spoolBytes,
      Supplier<LongSupplier> openSent,
      OtherCpu others) {
    kafka.stop();
    f.startEmitting();
    long start = System.nanoTime();
    ProcessClock.parkUntil(start + TimeUnit.SECONDS.toNanos(o.warmupS()));
    long r0 = read.getAsLong();
    long e0 = f.emissions().total();
    OtherCpu.Mark other0 = others.mark();
    ProcessClock inClock = ProcessClock.start();
    ProcessClock.parkUntil(start + TimeUnit.SECONDS.toNanos(o.warmupS() + o.windowS()));
    long r1 = read.getAsLong();
    long e1 = f.emissions().total();
    Measurement in = other0.addTo(inClock.stop(r1 - r0));
    if (r1 == r0) {
      throw new IllegalStateException(
          "Cannot measure the replay: the collector read nothing while Kafka was stopped");
    }
    kafka.restart();
    long backlog = read.getAsLong();
    long backlogBytes = spoolBytes.getAsLong();
    long holdAt = 2 * f.emissions().total();
    LongSupplier sent = openSent.get();
    // sent counts from the collector's start, and nothing could be sent before Kafka stopped (the
    // ticks started after that); what Kafka took before the clock started is left out of r and r+l.
    long s0 = sent.getAsLong();
    OtherCpu.Mark other1 = others.mark();
    ProcessClock outClock = ProcessClock.start();
    boolean[] held = {false};
    Runnable holdWhenLiveDone =
        () -> {
          if (!held[0] && f.emissions().total() >= holdAt) {
            f.holdTicks();
            held[0] = true;
          }
        };
    awaitProgress(sent, backlog, holdWhenLiveDone, "the backlog in Kafka");
    Measurement r = other1.addTo(outClock.stop(backlog - s0));
    ProcessClock.await(
        () -> {
          holdWhenLiveDone.run();
          return held[0];
        },
        REPLAY_STALL.multipliedBy(4),
        "as many live values as before the restart");
    long emitted = f.emissions().total();
    awaitProgress(sent, emitted, () -> {}, "every emitted value in Kafka");
    long all = sent.getAsLong() - s0;
    Measurement rl = other1.addTo(outClock.stop(all));
    settle(sent, emitted);
    return new Phases(
        in, r, rl, (e1 - e0) * 1e9 / in.nanos(), backlog, backlogBytes, emitted, read.getAsLong());
  }

  /**
   * Waits until {@code count} reaches {@code target}, running {@code each} on every poll.
   *
   * @throws IllegalStateException when {@code count} stays below it and does not move for {@link
   *     #REPLAY_STALL}: points lost or the replay stalled
   */
  private static void awaitProgress(LongSupplier count, long target, Runnable each, String what) {
    long last = count.getAsLong();
    long moved = System.nanoTime();
    while (last < target) {
      each.run();
      LockSupport.parkNanos(1_000_000);
      long now = count.getAsLong();
      if (now != last) {
        last = now;
        moved = System.nanoTime();
      } else if (System.nanoTime() - moved > REPLAY_STALL.toNanos()) {
        throw new IllegalStateException(
            String.format(
                "Cannot finish the replay phase: %s not reached: %,d of %,d, no progress for %s",
                what, last, target, REPLAY_STALL));
      }
    }
  }

  /**
   * The simulator of a replay: runs long enough for the warm-up, the window, Kafka's restart and as
   * much again live (the ticks are held once that is emitted).
   */
  private static SimulatorConfig replaySimulator(Options o) {
    long seconds = 2L * (o.warmupS() + o.windowS()) + 120;
    return SimulatorConfig.builder()
        .opcUaLines(o.lines())
        .mqttLines(0)
        .machinesPerLine(o.machines())
        .tick(Duration.ofMillis(o.tickMs()))
        .speed(o.speed())
        .duration(Duration.ofMillis((long) (seconds * 1000 * o.speed())))
        .emitOnStart(false)
        .emissionMemoryLimit(0)
        .build();
  }

  static void print(PrintStream out, String tag, ReplayRun r) {
    for (Map.Entry<String, Measurement> e :
        Map.of("in", r.in(), "r", r.r(), "r+l", r.rl()).entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .toList()) {
      Measurement m = e.getValue();
      out.printf(
          "%-8s %-3s %,11.0f values/s %8.2f CPU-s/M (%.2f cores) %,10d values in %,.1f s%n",
          tag,
          e.getKey(),
          m.pointsPerSecond(),
          m.cpuSecondsPerMillion(),
          m.coresUsed(),
          m.points(),
          m.nanos() / 1e9);
    }
    out.printf(
        "         replay: emitted %,.0f/s during in; backlog %,d points, %,.1f MB of spool files"
            + " (%.1f %% of the default spool.max-bytes %,d MB); emitted %,d, read %,d; Kafka"
            + " holds seq %,d..%,d: %,d missing, %,d duplicates%n",
        r.emittedPerSecondIn(),
        r.backlog(),
        r.backlogBytes() / 1e6,
        100.0 * r.backlogBytes() / SpoolConfig.MAX_BYTES_DEFAULT,
        SpoolConfig.MAX_BYTES_DEFAULT >> 20,
        r.emitted(),
        r.read(),
        r.kafka().firstSeq(),
        r.kafka().lastSeq(),
        r.kafka().missing(),
        r.kafka().duplicates());
  }

  /** The replay phases' table, their ratios against A and 2/(1/A + 2/B), and Kafka's content. */
  static void report(List<Round> rounds, Rounds r, PrintStream out) {
    out.println();
    out.println("| phase | path | median values/s | CPU-s per 1M values |");
    out.println("| --- | --- | ---: | ---: |");
    row(r, out, "in", "Kafka stopped: Milo server → collector → spool");
    row(r, out, "r", "Kafka back: the backlog → Kafka (live values arriving meanwhile)");
    row(r, out, "r+l", "Kafka back: backlog + live values all in Kafka");
    List<Double> inRatio = new ArrayList<>();
    List<Double> inKeptUp = new ArrayList<>();
    List<Double> ceiling = new ArrayList<>();
    long backlog = 0;
    long maxBytes = 0;
    long duplicates = 0;
    for (Round round : rounds) {
      double a = round.a().window().pointsPerSecond();
      double b = round.b().pointsPerSecond();
      ReplayRun p = round.replay();
      inRatio.add(p.in().pointsPerSecond() / a);
      inKeptUp.add(p.in().pointsPerSecond() / p.emittedPerSecondIn());
      ceiling.add(Rounds.replayCeiling(a, b));
      backlog = Math.max(backlog, p.backlog());
      maxBytes = Math.max(maxBytes, p.backlogBytes());
      duplicates += p.kafka().duplicates();
    }
    List<Double> aKeptUp = new ArrayList<>();
    List<Double> liveBound = new ArrayList<>();
    for (Round round : rounds) {
      aKeptUp.add(round.a().window().pointsPerSecond() / round.a().emittedPerSecond());
      // Live values come at the simulator's rate: r+l cannot end before they have all been emitted.
      liveBound.add(2 * round.replay().emittedPerSecondIn());
    }
    double ratio = Rounds.median(r.ratios("r+l", ceiling));
    out.printf(
        "%nin/A median %.2f (in/emitted median %.3f); ceiling for r+l = 2/(1/A + 2/B), per round:"
            + " median %,.0f values/s; (r+l)/ceiling median %.2f (target ≥ 0.80: %s)%n",
        Rounds.median(inRatio),
        Rounds.median(inKeptUp),
        Rounds.median(ceiling),
        ratio,
        ratio >= 0.8 ? "met" : "MISSED");
    out.printf(
        "largest backlog %,d points, %,.1f MB of spool files (default spool.max-bytes %,d MB);"
            + " Kafka held every seq from the first to the last of every replay; duplicates of"
            + " (collector_id, source, seq) over all rounds: %,d%n",
        backlog, maxBytes / 1e6, SpoolConfig.MAX_BYTES_DEFAULT >> 20, duplicates);
    if (Rounds.median(aKeptUp) >= 0.98) {
      double bound = Rounds.median(liveBound);
      out.printf(
          "note: A kept up with the simulator, so A is the offered load, not the bare client's"
              + " capacity, and the ceiling above is lower than the real one: (r+l)/ceiling"
              + " overstates. The live values came at the emitted rate, so r+l cannot exceed about"
              + " 2 x that (median %,.0f values/s); r+l median %,.0f is %s%n",
          bound,
          r.medianRate("r+l"),
          r.medianRate("r+l") < 0.95 * bound
              ? "below it: the collector (with its neighbours on these cores) bounded the drain"
              : "at it: the source, not the collector, bounded the drain");
    }
  }
}
