package io.ironlake.bench.jobs;

import io.ironlake.connectors.kafka.Topics;
import io.ironlake.embedded.EmbeddedKafka;
import io.ironlake.jobs.JobsConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Points per second through each indicator job against a pass-through job over the same Kafka
 * source, deserialization, watermarks, parallelism and checkpointing, with discarding sinks: {@code
 * bench/run io.ironlake.bench.jobs.IndicatorThroughputRun [rounds] [points] [parallelism]
 * [PHASE,...]}. The phases run interleaved, round after round (the order rotates), each over the
 * whole topic; ratios are taken per round, then their median is printed with the target.
 * The optional 4th argument names the phases to run (enum names, e.g. {@code PASS_THROUGH,ENERGY};
 * the pass-through phase is always included; {@code -} for all): for a profile or an A/B of one
 * job. The optional 5th argument is a number of warm-up rounds (default 0) run first, exactly like
 * the measured ones (every phase, the same rotation), and not counted: they let the JIT compile
 * every phase's code before any phase is timed.
 */
public final class IndicatorThroughputRun {
  private IndicatorThroughputRun() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("log4j2.configurationFile", "ironlake-bench-log4j2.xml");
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    long points = args.length > 1 ? Long.parseLong(args[1]) : 2_000_000;
    int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    List<Variant> variants =
        args.length > 3 && !args[3].equals("-") ? variants(args[3]) : List.of(Variant.values());
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    Map<Variant, List<FlinkPhase.Result>> results =
        run(rounds, warmup, points, parallelism, variants, System.out);
    System.out.println();
    System.out.print(table(results, rounds));
  }

  /**
   * Fills the topic with at least {@code points} points, then runs every {@link Variant} {@code
   * rounds} times, interleaved; prints one line per phase to {@code out}.
   */
  static Map<Variant, List<FlinkPhase.Result>> run(
      int rounds, long points, int parallelism, PrintStream out) throws Exception {
    return run(rounds, 0, points, parallelism, List.of(Variant.values()), out);
  }

  /**
   * As {@link #run(int, long, int, PrintStream)}, with only {@code variants}, after {@code warmup}
   * rounds that are run alike but not counted.
   */
  static Map<Variant, List<FlinkPhase.Result>> run(
      int rounds, int warmup, long points, int parallelism, List<Variant> variants, PrintStream out)
      throws Exception {
    Path dir = Files.createTempDirectory("ironlake-bench-jobs");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      kafka.createTopic(Topics.TELEMETRY, parallelism);
      IndicatorInput input =
          new IndicatorInput(5, 20, Instant.parse("2026-01-05T06:00:00Z").toEpochMilli() * 1_000);
      long sent = input.produce(kafka.bootstrapServers(), points);
      out.printf(
          "Topic %s: %,d points of %d devices in %d partitions; %d rounds of %d phases"
              + " after %d warm-up rounds, parallelism %d%n",
          Topics.TELEMETRY,
          sent,
          input.devices(),
          parallelism,
          rounds,
          variants.size(),
          warmup,
          parallelism);
      JobsConfig config =
          JobsConfig.builder()
              .kafkaBootstrapServers(kafka.bootstrapServers())
              .dataDir(dir.resolve("data"))
              .parallelism(parallelism)
              // The rules inputs (as the jobs run: the rules topic) end once read, with the phase.
              .bounded(true)
              .build();
      Map<Variant, List<FlinkPhase.Result>> results = new EnumMap<>(Variant.class);
      for (int r = -warmup; r < rounds; r++) {
        for (int i = 0; i < variants.size(); i++) {
          Variant v = variants.get(Math.floorMod(i + r, variants.size()));
          FlinkPhase.Result res = FlinkPhase.run(v, config, sent, r + warmup);
          if (r >= 0) {
            results.computeIfAbsent(v, k -> new ArrayList<>()).add(res);
          }
          out.printf(
              "%s %d %-14s %,10.0f points/s  %5.1f CPU-s per 1M points%n",
              r < 0 ? "warm-up" : "round",
              r < 0 ? r + warmup + 1 : r + 1,
              v.label(),
              res.pointsPerSecond(),
              res.cpuSecondsPerMillion());
        }
      }
      return results;
    }
  }

  /** The pass-through phase and the ones named, comma-separated, in enum order. */
  static List<Variant> variants(String names) {
    EnumSet<Variant> set = EnumSet.of(Variant.PASS_THROUGH);
    for (String name : names.split(",")) {
      set.add(Variant.valueOf(name.trim().toUpperCase(Locale.ROOT)));
    }
    return List.copyOf(set);
  }

  /** The Markdown table of medians, with per-round ratios against the pass-through phase. */
  static String table(Map<Variant, List<FlinkPhase.Result>> results, int rounds) {
    StringBuilder b =
        new StringBuilder(
            "| phase | points/s (median) | ratio to pass-through (median of rounds) | target |"
                + " CPU-s per 1M points | ratio per round |\n"
                + "| --- | ---: | ---: | ---: | ---: | --- |\n");
    List<FlinkPhase.Result> base = results.get(Variant.PASS_THROUGH);
    for (Map.Entry<Variant, List<FlinkPhase.Result>> e : results.entrySet()) {
      List<Double> rates = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      for (int r = 0; r < Math.min(rounds, e.getValue().size()); r++) {
        FlinkPhase.Result res = e.getValue().get(r);
        rates.add(res.pointsPerSecond());
        ratios.add(res.pointsPerSecond() / base.get(r).pointsPerSecond());
        cpu.add(res.cpuSecondsPerMillion());
      }
      Variant v = e.getKey();
      double ratio = median(ratios);
      String target =
          v.target() == 0 || v == Variant.PASS_THROUGH
              ? "—"
              : String.format("%.1f (%s)", v.target(), ratio >= v.target() ? "met" : "NOT met");
      b.append(
          String.format(
              "| %s | %,.0f | %.2f | %s | %.1f | %s |%n",
              v.label(),
              median(rates),
              ratio,
              target,
              median(cpu),
              String.join(" / ", ratios.stream().map(x -> String.format("%.2f", x)).toList())));
    }
    return b.toString();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
