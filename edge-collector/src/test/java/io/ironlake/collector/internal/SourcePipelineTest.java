package io.ironlake.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.collector.seq.SeqStore;
import io.ironlake.collector.spool.Spool;
import io.ironlake.collector.spool.SpoolConfig;
import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbering and spooling of one source's points. */
class SourcePipelineTest {
  @TempDir Path dir;

  private static List<TelemetryPoint> points(int n) {
    List<TelemetryPoint> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TelemetryPoint(
              "plant-sh",
              "assembly",
              "line-1",
              "m01",
              "power_kw",
              i,
              i,
              PointValue.of(1.0 * i),
              Quality.GOOD,
              0,
              "kW",
              "edge-1",
              "opcua-plant",
              0));
    }
    return out;
  }

  @Test
  void aLargeBatchWithoutAMarkIsSpooledInChunksNumberedInOrder() throws Exception {
    CollectorMetrics metrics = new CollectorMetrics();
    AtomicInteger stored = new AtomicInteger();
    try (Spool spool = Spool.open(SpoolConfig.defaults(dir.resolve("spool")), Clock.systemUTC());
        SeqStore seq = SeqStore.open(dir.resolve("s.seq"), 1000)) {
      SourcePipeline pipeline = new SourcePipeline("opcua-plant", seq, spool, metrics);
      pipeline.emit(points(10_000), stored::incrementAndGet);
      assertThat(stored).as("stored once, when the last chunk is").hasValue(1);
      List<SpoolEntry> entries = spool.poll(64 << 20, Duration.ofMillis(50));
      assertThat(entries)
          .extracting(SpoolEntry::pointCount)
          .containsExactly(4096, 4096, 10_000 - 2 * 4096);
      assertThat(entries)
          .extracting(e -> ((SpoolEntry.Points) e).firstSeq())
          .containsExactly(0L, 4096L, 8192L);
      assertThat(metrics.snapshot().pointsRead()).isEqualTo(10_000);
    }
  }
}
