package io.ironlake.bench.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Both alarm latency runs end to end on a tiny load: alarms come out, each is matched to the point
 * or the server-side change that caused it, and none arrives before its cause. No assertion on
 * speed: that is what the drivers measure.
 */
@Tag("slow")
class AlarmLatencyBenchIT {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());

  @Test
  void kafkaToAlarmsMatchesEveryAlarmToItsPoint() throws Exception {
    AlarmLatencyRun.Result r = AlarmLatencyRun.run(12, 0.5, 8_000, Duration.ofSeconds(2), QUIET);

    assertThat(r.generated()).isPositive();
    assertThat(r.fromSchedule()).as("alarms after the warm-up").isNotEmpty();
    // run() refuses an alarm without its point on telemetry.v1, so both lists have every alarm.
    assertThat(r.fromKafka()).hasSameSizeAs(r.fromSchedule());
    assertThat(r.fromKafka()).as("ms from the point's append to its alarm's").allMatch(l -> l >= 0);
    assertThat(r.summary()).contains("telemetry.v1 append -> alarms.v1 append", "p99");
  }

  @Test
  void opcUaChangeToAlarmIsMeasuredFromTheServerSideChange() throws Exception {
    OpcUaAlarmLatencyRun.Result r =
        OpcUaAlarmLatencyRun.run(
            new OpcUaAlarmLatencyRun.Options(12, 1, 4, 100, 100, Duration.ofSeconds(2)));

    assertThat(r.emitted()).as("values the simulator emitted").isPositive();
    assertThat(r.sent()).as("points the collector sent").isPositive();
    assertThat(r.latencies()).as("alarms after the warm-up").isNotEmpty();
    assertThat(r.latencies()).as("ms from the change to its alarm").allMatch(l -> l >= 0);
  }
}
