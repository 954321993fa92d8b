package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class DedupFunctionTest {
  private static final int WINDOW = 1024;

  @Test
  void dropsRepeatsAndKeepsThemDroppedAcrossACheckpointAndRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      for (long seq = 0; seq < 10; seq++) {
        h.processElement(point("m1", "c1", "opcua", seq), seq);
      }
      h.processElement(point("m1", "c1", "opcua", 4), 10); // a transport duplicate
      h.processElement(point("m1", "c1", "opcua", 9), 11);
      h.processElement(point("m1", "c2", "opcua", 4), 12); // another collector: a new point
      h.processElement(point("m2", "c1", "opcua", 10), 13); // another device of the source
      assertThat(seqs(h.extractOutputValues()))
          .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 4L, 10L);
      assertThat(h.numKeyedStateEntries()).as("one entry per device, not per point").isEqualTo(2);
      snapshot = h.snapshot(1, 100);
    }
    try (var h = harness()) {
      h.initializeState(snapshot);
      h.open();
      // The collector restarted and sends its in-flight points again, then new ones.
      for (long seq = 5; seq < 13; seq++) {
        h.processElement(point("m1", "c1", "opcua", seq), 20 + seq);
      }
      h.processElement(point("m1", "c2", "opcua", 4), 40);
      h.processElement(point("m2", "c1", "opcua", 10), 41);
      assertThat(seqs(h.extractOutputValues())).containsExactly(10L, 11L, 12L);
    }
  }

  @Test
  void keepsAPointBelowTheWindowAndDedupsTheRestartedSequence() throws Exception {
    try (var h = harness()) {
      h.open();
      for (long seq = 100_000; seq < 100_010; seq++) {
        h.processElement(point("m1", "c1", "mqtt", seq), 1);
      }
      // Seq from 0 again: the collector lost its state folder. Nothing is dropped that was not
      // seen; repeats of the new sequence are.
      h.processElement(point("m1", "c1", "mqtt", 0), 2);
      h.processElement(point("m1", "c1", "mqtt", 1), 3);
      h.processElement(point("m1", "c1", "mqtt", 0), 4);
      h.processElement(point("m1", "c1", "mqtt", 1), 5);
      h.processElement(point("m1", "c1", "mqtt", 2), 6);
      assertThat(seqs(h.extractOutputValues()).subList(10, 13)).containsExactly(0L, 1L, 2L);
      assertThat(h.extractOutputValues()).hasSize(13);
    }
  }

  @Test
  void aDeviceSilentForTheTtlForgetsItsWindowsAndOnlyThen() throws Exception {
    long hour = Duration.ofHours(1).toMillis();
    try (var h = harness()) {
      h.open();
      h.setProcessingTime(0);
      for (long seq = 0; seq < 5; seq++) {
        h.processElement(point("m1", "c1", "opcua", seq), seq);
      }
      h.setProcessingTime(hour / 2);
      h.processElement(point("m1", "c1", "opcua", 5), 5); // new: the device stays an hour more
      // The first expiry check finds a new point half an hour old: the windows stay.
      h.setProcessingTime(hour + 1);
      h.processElement(point("m1", "c1", "opcua", 3), 6);
      assertThat(seqs(h.extractOutputValues())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
      // An hour after its last new point, the device is forgotten: a repeat is no longer known.
      h.setProcessingTime(hour + hour / 2);
      assertThat(h.numKeyedStateEntries()).isZero();
      assertThat(h.numProcessingTimeTimers()).isZero();
      h.processElement(point("m1", "c1", "opcua", 3), 7);
      assertThat(seqs(h.extractOutputValues())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 3L);
      assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
    }
  }

  @Test
  void windowsAnEarlierBuildKeptUnderStateTtlAreTakenOver() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new EarlierBuildDedup()), DedupFunction.KEY, Types.STRING)) {
      h.open();
      for (long seq = 0; seq < 10; seq++) {
        h.processElement(point("m1", "c1", "opcua", seq), seq);
      }
      assertThat(h.numKeyedStateEntries()).isEqualTo(1);
      snapshot = h.snapshot(1, 100);
    }
    try (var h = harness()) {
      h.initializeState(snapshot);
      h.open();
      h.processElement(point("m1", "c1", "opcua", 7), 20); // seen before the restore: dropped
      h.processElement(point("m1", "c1", "opcua", 10), 21);
      h.processElement(point("m1", "c1", "opcua", 7), 22); // still dropped, from the new state
      assertThat(seqs(h.extractOutputValues())).containsExactly(10L);
      assertThat(h.numKeyedStateEntries()).as("moved, not copied").isEqualTo(1);
    }
  }

  /** What earlier builds ran: the windows under {@code seq-windows} with Flink's state TTL. */
  private static final class EarlierBuildDedup
      extends KeyedProcessFunction<String, TelemetryPoint, TelemetryPoint> {
    private transient ValueState<SeqWindows> windows;

    @Override
    public void open(OpenContext openContext) {
      ValueStateDescriptor<SeqWindows> d =
          new ValueStateDescriptor<>(SeqDedup.EARLIER_STATE, SeqWindowsSerializer.INSTANCE);
      d.enableTimeToLive(
          StateTtlConfig.newBuilder(Duration.ofHours(1))
              .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
              .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
              .build());
      windows = getRuntimeContext().getState(d);
    }

    @Override
    public void processElement(TelemetryPoint p, Context ctx, Collector<TelemetryPoint> out)
        throws Exception {
      SeqWindows state = windows.value() == null ? new SeqWindows() : windows.value();
      state.window(p.collectorId(), p.source(), WINDOW).offer(p.seq());
      windows.update(state);
      out.collect(p);
    }
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, TelemetryPoint, TelemetryPoint>
      harness() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(new DedupFunction(Duration.ofHours(1), WINDOW)),
        DedupFunction.KEY,
        Types.STRING);
  }

  private static List<Long> seqs(List<TelemetryPoint> points) {
    return points.stream().map(TelemetryPoint::seq).toList();
  }

  private static TelemetryPoint point(String device, String collector, String source, long seq) {
    return new TelemetryPoint(
        "s",
        "a",
        "l",
        device,
        "power_kw",
        seq * 1_000_000L,
        seq * 1_000_000L + 10,
        PointValue.of(1.0),
        Quality.GOOD,
        0L,
        "kW",
        collector,
        source,
        seq);
  }
}
