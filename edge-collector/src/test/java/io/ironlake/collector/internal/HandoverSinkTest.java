package io.ironlake.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.collector.spool.SpoolEntry;
import io.ironlake.connectors.kafka.DeadLetter;
import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sink two instances of a source share while a reload hands the source over. */
class HandoverSinkTest {
  /** What reaches the pipeline: tag@ts of each point. */
  private final List<String> emitted = new ArrayList<>();

  private final HandoverSink sink =
      new HandoverSink(
          new PointSink() {
            @Override
            public void emit(List<TelemetryPoint> points, long mark, Runnable onStored) {
              points.forEach(p -> emitted.add(p.tag() + "@" + p.tsMicros()));
              onStored.run();
            }

            @Override
            public void emitEvents(List<SpoolEntry.EncodedPoint> events, Runnable onStored) {
              onStored.run();
            }

            @Override
            public void deadLetter(DeadLetter letter, long mark, Runnable onStored) {}

            @Override
            public boolean alreadySpooled(long mark) {
              return false;
            }

            @Override
            public void redeliverySkipped() {}
          });

  private static TelemetryPoint point(String tag, long ts) {
    return point("line-1", "m01", tag, ts);
  }

  private static TelemetryPoint point(String line, String device, String tag, long ts) {
    return new TelemetryPoint(
        "plant-sh",
        "assembly",
        line,
        device,
        tag,
        ts,
        ts,
        PointValue.of(ts * 1.5),
        Quality.GOOD,
        0,
        "",
        "edge-1",
        "opcua-plant",
        0);
  }

  @Test
  void devicesOfAPlantsSystematicNamesGetDistinctHashes() {
    // Lines line-1..line-99 of machines m01..m99 in two areas, and a larger numbered grid.
    Set<Integer> hashes = new HashSet<>();
    int devices = 0;
    for (String area : List.of("assembly", "press")) {
      for (int l = 1; l <= 99; l++) {
        for (int m = 1; m <= 99; m++) {
          hashes.add(
              HandoverSink.deviceHash(
                  "plant-sh", area, "line-" + l, String.format(Locale.ROOT, "m%02d", m)));
          devices++;
        }
      }
    }
    for (int l = 1; l < 200; l++) {
      for (int m = 1; m < 500; m++) {
        hashes.add(
            HandoverSink.deviceHash(
                "plant-sh",
                "body",
                String.format(Locale.ROOT, "L%03d", l),
                String.format(Locale.ROOT, "dev%04d", m)));
        devices++;
      }
    }

    assertThat(hashes).hasSize(devices);
  }

  @Test
  void aPointOfEachOfManyDevicesPassesAndIsRememberedForTheHandover() {
    List<TelemetryPoint> first = new ArrayList<>();
    for (int l = 1; l <= 15; l++) {
      for (int m = 1; m <= 96; m++) {
        first.add(point("line-" + l, String.format(Locale.ROOT, "m%02d", m), "power_kw", 1));
      }
    }
    sink.emit(first, () -> {});
    sink.beginHandover();
    sink.emit(first, () -> {}); // the new instance's first values: all delivered already

    assertThat(emitted).hasSize(15 * 96);
    assertThat(sink.dropped()).isEqualTo(15 * 96);
  }

  @Test
  void outsideAHandoverEveryPointPassesEvenARepeat() {
    sink.emit(List.of(point("power_kw", 1), point("power_kw", 2)), () -> {});
    sink.emit(List.of(point("power_kw", 2)), () -> {});

    assertThat(emitted).containsExactly("power_kw@1", "power_kw@2", "power_kw@2");
  }

  @Test
  void duringAHandoverTheOverlapOfOldAndNewInstanceIsEmittedOnce() {
    sink.emit(List.of(point("power_kw", 1), point("state", 1)), () -> {}); // old, before
    sink.beginHandover();
    // The new instance starts with the current values, which the old one delivered already ...
    sink.emit(List.of(point("power_kw", 1), point("state", 1)), () -> {});
    // ... then both deliver the next changes, in either order, the new one first here.
    sink.emit(List.of(point("power_kw", 2), point("temperature_c", 2)), () -> {}); // new
    sink.emit(List.of(point("power_kw", 2), point("state", 2)), () -> {}); // old
    sink.emit(List.of(point("state", 2)), () -> {}); // new
    sink.endHandover(0);
    sink.emit(List.of(point("power_kw", 3), point("power_kw", 3)), () -> {});

    assertThat(emitted)
        .containsExactly(
            "power_kw@1",
            "state@1",
            "power_kw@2",
            "temperature_c@2",
            "state@2",
            "power_kw@3",
            "power_kw@3");
    assertThat(sink.dropped()).isEqualTo(4);
  }
}
