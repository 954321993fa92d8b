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
  void replayCeilingCountsEachLivePointOnceAtTheSourceAndTwoPointsIntoKafka() {
    // A 100k/s, B 400k/s: 2 points into Kafka take 1/100k + 2/400k = 15 µs, so 133,333/s.
    assertThat(Rounds.replayCeiling(100_000, 400_000)).isCloseTo(400_000.0 / 3, within(1e-6));
    // A Kafka path that costs nothing leaves twice the source's rate.
    assertThat(Rounds.replayCeiling(100_000, Double.POSITIVE_INFINITY))
        .isCloseTo(200_000, within(1e-6));
  }

  @Test
  void identitiesCountGapsAndDuplicatesOfSeqNumbers() {
    long[] seqs = {7, 3, 4, 4, 6, 3, 4};

    Identities ids = Identities.of(seqs, seqs.length);

    assertThat(ids)
        .isEqualTo(new Identities(7, 4, 3, 7, 1, 3)); // 5 missing; 3 and 4 twice and thrice
    assertThat(ids.complete(4)).isFalse();
    long[] whole = {12, 10, 11, 11};
    assertThat(Identities.of(whole, 3).complete(3)).isTrue(); // only the first 3 count
    assertThat(Identities.of(new long[0], 0)).isEqualTo(new Identities(0, 0, -1, -1, 0, 0));
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
