package io.ironlake.bench.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link TelemetryCodecBenchmark} in interleaved rounds (ceiling, then each codec benchmark,
 * again and again) so that a change in machine load hits both sides of the ratio alike, and prints
 * the medians and the ratios to the ceiling as a Markdown table.
 *
 * <p>Run: {@code bench/run io.ironlake.bench.codec.CodecRatioRun [rounds]}
 */
public final class CodecRatioRun {
  private static final String CEILING = "ceilingHandWrittenRoundTrip";
  private static final List<String> BENCHMARKS = List.of(CEILING, "roundTrip", "encode", "decode");

  private CodecRatioRun() {}

  public static void main(String[] args) throws RunnerException {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Map<String, List<Double>> scores = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (String benchmark : BENCHMARKS) {
        double score = run(benchmark);
        scores.computeIfAbsent(benchmark, b -> new ArrayList<>()).add(score);
        System.out.printf("round %d/%d %-28s %,14.0f points/s%n", round, rounds, benchmark, score);
      }
    }
    double ceiling = median(scores.get(CEILING));
    System.out.println();
    System.out.println("| benchmark | median points/s | ratio to ceiling | rounds |");
    System.out.println("| --- | ---: | ---: | ---: |");
    for (String benchmark : BENCHMARKS) {
      double m = median(scores.get(benchmark));
      System.out.printf(
          "| `%s` | %,.0f | %.2f | %d |%n",
          benchmark, m, m / ceiling, scores.get(benchmark).size());
    }
  }

  private static double run(String benchmark) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(TelemetryCodecBenchmark.class.getName() + "." + benchmark + "$")
            .forks(1)
            .warmupIterations(2)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(1))
            .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
            .build();
    RunResult result = new Runner(options).runSingle();
    return result.getPrimaryResult().getScore();
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
