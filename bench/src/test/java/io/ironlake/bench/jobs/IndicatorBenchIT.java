package io.ironlake.bench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The indicator benchmark runs end to end on a tiny load: every phase reads exactly the points in
 * the topic (the driver refuses a phase that read more or fewer) and the table names every phase
 * with the targets. No assertion on speed: that is what the driver measures.
 */
@Tag("slow")
class IndicatorBenchIT {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  @Test
  void everyPhaseReadsTheWholeTopic() throws Exception {
    Map<Variant, List<FlinkPhase.Result>> results = IndicatorThroughputRun.run(1, 8_000, 1, QUIET);

    assertThat(results).containsOnlyKeys(Variant.values());
    results.forEach(
        (v, r) ->
            assertThat(r)
                .as(v.label())
                .singleElement()
                .satisfies(
                    res -> {
                      assertThat(res.points()).isEqualTo(8_000); // 10 ticks of 100 devices x 8 tags
                      assertThat(res.pointsPerSecond()).isPositive();
                    }));
    String table = IndicatorThroughputRun.table(results, 1);
    assertThat(table).contains("| energy |", "| 0.5 (", "| CEP pattern |", "| 0.2 (");
  }
}
