package io.ironlake.bench.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {

  @Test
  void composedCeilingIsTheHarmonicSumOfBothPathsPerRound() {
    Rounds r = new Rounds();
    r.add("A", new Measurement(100_000, 1_000_000_000L, 500_000_000L)); // 100k/s
    r.add("B", new Measurement(300_000, 1_000_000_000L, 300_000_000L)); // 300k/s
    r.add("c", new Measurement(60_000, 1_000_000_000L, 1_200_000_000L)); // 60k/s

    List<Double> ceiling = r.composed("A", "B");

    assertThat(ceiling)
        .singleElement()
        .satisfies(c -> assertThat(c).isCloseTo(75_000, within(1e-6)));
    assertThat(r.ratios("c", ceiling)).containsExactly(0.8);
    // A costs 5 CPU-s per 1M points, B 1, c 20: c costs (5 + 1) / 20 = 0.3 of the ceilings.
    assertThat(r.cpuRatios("c", "A", "B").get(0)).isCloseTo(0.3, within(1e-9));
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Rounds.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Rounds.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Rounds.median(List.of())).isNaN();
  }

  @Test
  void measurementRatesAndCpuCost() {
    Measurement m = new Measurement(2_000_000, 4_000_000_000L, 6_000_000_000L);

    assertThat(m.pointsPerSecond()).isEqualTo(500_000);
    assertThat(m.cpuSecondsPerMillion()).isEqualTo(3.0);
    assertThat(m.coresUsed()).isEqualTo(1.5);
  }

  @Test
  void latencyPercentilesAreNearestRank() {
    List<Long> micros = new java.util.ArrayList<>();
    for (long i = 1; i <= 100; i++) {
      micros.add(i * 1_000); // 1 .. 100 ms
    }

    Latency l = Latency.ofMicros(micros);

    assertThat(l.count()).isEqualTo(100);
    assertThat(l.p50Ms()).isEqualTo(50.0);
    assertThat(l.p99Ms()).isEqualTo(99.0);
    assertThat(l.maxMs()).isEqualTo(100.0);
  }
}
