package io.ironlake.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ironlake.cli.quickstart.QuickstartOptions;
import io.ironlake.cli.quickstart.QuickstartPipeline;
import io.ironlake.jobs.IronlakeJobs;
import io.ironlake.lakehouse.tables.IronlakeTables;
import io.ironlake.simulator.MeterReading;
import io.ironlake.simulator.SimMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulator -> collector -> Kafka -> Flink -> Iceberg, all four jobs of the quickstart, for a fixed
 * simulated interval: every point the simulator emitted is in ironlake.telemetry exactly once, and
 * ironlake.energy matches the simulator's true energy within 0.1%, across forced meter resets.
 */
@Tag("slow")
class EndToEndPipelineTest {
  private static final Instant START = Instant.parse("2026-03-02T06:00:00Z");
  // Minutes 0-4 close once the watermark passes 06:05, i.e. points up to 06:05 + maxOutOfOrderness
  // (5 s real = 150 s simulated at speed 30) have arrived.
  private static final Duration INTERVAL = Duration.ofMinutes(7).plusSeconds(40);
  private static final int CLOSED_MINUTES = 5;

  /** The simulated meters read to 1 Wh. */
  private static final double METER_RESOLUTION_KWH = 0.001;

  @TempDir static Path dataDir;
  private static QuickstartPipeline pipeline;

  @BeforeAll
  static void runPipelineForAFixedInterval() {
    pipeline =
        QuickstartPipeline.start(
            QuickstartOptions.builder(dataDir)
                .opcUaLines(1)
                .mqttLines(1)
                .machinesPerLine(3)
                .speed(30)
                .simulatedStart(START)
                .simulatedDuration(INTERVAL)
                .checkpointInterval(Duration.ofSeconds(1))
                .meterResetAt("line-1/m02", Duration.ofSeconds(150))
                .meterResetAt("line-2/m01", Duration.ofSeconds(200))
                .jobs(IronlakeJobs.ALL)
                .build());
    assertThat(pipeline.factory().awaitFinished(Duration.ofMinutes(2)))
        .as("simulator finished its interval")
        .isTrue();
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void everyEmittedPointLandsInTelemetryExactlyOnce() {
    var emitted = pipeline.factory().emissions();
    long total = emitted.total();
    assertThat(total).isGreaterThan(5_000);
    Table telemetry = pipeline.lake().load(IronlakeTables.TELEMETRY.identifier());

    await("all emitted points in ironlake.telemetry")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> rowCount(telemetry) >= total);

    Map<String, Map<String, Long>> counts = new TreeMap<>();
    Set<String> identities = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (Record r : rows(telemetry)) {
      String path = devicePath(r);
      counts
          .computeIfAbsent(path, k -> new TreeMap<>())
          .merge((String) r.getField("tag"), 1L, Long::sum);
      String id = r.getField("collector_id") + "|" + r.getField("source") + "|" + r.getField("seq");
      if (!identities.add(id)) {
        duplicates.add(id);
      }
    }
    assertThat(duplicates).as("(collector_id, source, seq) seen twice").isEmpty();
    assertThat(counts).isEqualTo(new TreeMap<>(emitted.counts()));
  }

  @Test
  void energyPerDeviceAndMinuteMatchesTheSimulatorsTrueMeterDeltas() {
    Table energy = pipeline.lake().load(IronlakeTables.ENERGY.identifier());
    List<SimMachine> machines = pipeline.factory().plant().machines();
    int expectedRows = machines.size() * CLOSED_MINUTES;

    await("a closed energy window per device and minute")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> closedWindows(energy).size() >= expectedRows);

    Map<String, Map<Instant, Record>> actual = new HashMap<>();
    for (Record r : closedWindows(energy)) {
      String path = devicePath(r);
      Instant start = ((OffsetDateTime) r.getField("window_start")).toInstant();
      assertThat(actual.computeIfAbsent(path, k -> new HashMap<>()).put(start, r))
          .as("one row per device and window: %s %s", path, start)
          .isNull();
    }

    int resetsSeen = 0;
    for (SimMachine m : machines) {
      List<MeterReading> readings = sortedReadings(m.devicePath());
      Map<Instant, Double> fromMeter = perMinute(readings, false);
      Map<Instant, Double> truth = perMinute(readings, true);
      double gotTotal = 0;
      double trueTotal = 0;
      for (int minute = 0; minute < CLOSED_MINUTES; minute++) {
        Instant window = START.plus(Duration.ofMinutes(minute));
        Record row = actual.getOrDefault(m.devicePath(), Map.of()).get(window);
        assertThat(row).as("energy row for %s at %s", m.devicePath(), window).isNotNull();
        double got = (Double) row.getField("energy_kwh");
        // The meter's own deltas (a drop is a reset: the meter restarted from 0).
        assertThat(got)
            .as("kWh of %s in the minute from %s vs the meter's deltas", m.devicePath(), window)
            .isCloseTo(fromMeter.getOrDefault(window, 0.0), Offset.offset(1e-9));
        // The truth, up to the meter's 1 Wh resolution at the window's two ends.
        double want = truth.getOrDefault(window, 0.0);
        assertThat(got)
            .as("kWh of %s in the minute from %s vs true energy", m.devicePath(), window)
            .isCloseTo(want, Offset.offset(Math.max(want * 0.001, 2 * METER_RESOLUTION_KWH)));
        gotTotal += got;
        trueTotal += want;
        resetsSeen += (Integer) row.getField("meter_resets");
      }
      assertThat(gotTotal)
          .as("kWh of %s over the interval vs true energy", m.devicePath())
          .isCloseTo(
              trueTotal, Offset.offset(Math.max(trueTotal * 0.001, 2 * METER_RESOLUTION_KWH)));
    }
    assertThat(resetsSeen).as("the forced meter resets were in the data").isGreaterThanOrEqualTo(2);
  }

  private static List<MeterReading> sortedReadings(String devicePath) {
    List<MeterReading> readings =
        new ArrayList<>(pipeline.factory().emissions().meterReadings(devicePath));
    readings.sort(java.util.Comparator.comparingLong(MeterReading::tsMicros));
    return readings;
  }

  /**
   * Energy per minute window, each reading-to-reading interval attributed to the later reading:
   * from the true (never resetting) energy, or from the meter's values, where a drop is a reset.
   */
  private static Map<Instant, Double> perMinute(List<MeterReading> readings, boolean truth) {
    Map<Instant, Double> perMinute = new HashMap<>();
    for (int i = 1; i < readings.size(); i++) {
      MeterReading prev = readings.get(i - 1);
      MeterReading cur = readings.get(i);
      double delta;
      if (truth) {
        delta = cur.trueEnergyKwh() - prev.trueEnergyKwh();
      } else {
        delta =
            cur.meterKwh() >= prev.meterKwh() ? cur.meterKwh() - prev.meterKwh() : cur.meterKwh();
      }
      Instant window =
          Instant.EPOCH
              .plus(Duration.ofNanos(cur.tsMicros() * 1000))
              .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
      perMinute.merge(window, delta, Double::sum);
    }
    return perMinute;
  }

  private static String devicePath(Record r) {
    return r.getField("site")
        + "/"
        + r.getField("area")
        + "/"
        + r.getField("line")
        + "/"
        + r.getField("device");
  }

  private static List<Record> closedWindows(Table energy) {
    Instant end = START.plus(Duration.ofMinutes(CLOSED_MINUTES));
    List<Record> out = new ArrayList<>();
    for (Record r : rows(energy)) {
      if (!((OffsetDateTime) r.getField("window_start")).toInstant().isBefore(START)
          && ((OffsetDateTime) r.getField("window_start")).toInstant().isBefore(end)) {
        out.add(r);
      }
    }
    return out;
  }

  private static long rowCount(Table table) {
    table.refresh();
    return table.currentSnapshot() == null
        ? 0
        : Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "0"));
  }

  private static List<Record> rows(Table table) {
    table.refresh();
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).build()) {
      it.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
