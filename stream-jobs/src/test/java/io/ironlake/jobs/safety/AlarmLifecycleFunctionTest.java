package io.ironlake.jobs.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alarm lifecycle, driven input by input with Flink's operator test harness. */
class AlarmLifecycleFunctionTest {
  private KeyedTwoInputStreamOperatorTestHarness<String, AlarmEvent, AlarmCommand, AlarmEvent>
      harness;

  @BeforeEach
  void open() throws Exception {
    harness =
        new KeyedTwoInputStreamOperatorTestHarness<>(
            new KeyedCoProcessOperator<>(new AlarmLifecycleFunction()),
            AlarmEvent::key,
            c -> AlarmEvent.keyOfId(c.alarmId()),
            Types.STRING);
    harness.open();
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  @Test
  void raisedAcknowledgedClearedIsBackToNormal() throws Exception {
    AlarmEvent raised = event(AlarmState.RAISED, 1_000, 1_000);
    harness.processElement1(new StreamRecord<>(raised, 1));
    harness.processElement2(new StreamRecord<>(ack(raised.alarmId(), "op-7", 5_000), 5));
    harness.processElement2(new StreamRecord<>(ack(raised.alarmId(), "op-8", 6_000), 6));
    harness.processElement1(new StreamRecord<>(event(AlarmState.CLEARED, 9_000, 1_000), 9));
    // Back to normal: a late ACK of the old occurrence is refused.
    harness.processElement2(new StreamRecord<>(ack(raised.alarmId(), "op-7", 10_000), 10));

    List<AlarmEvent> out = harness.extractOutputValues();
    assertThat(out)
        .extracting(AlarmEvent::state)
        .containsExactly(AlarmState.RAISED, AlarmState.ACKNOWLEDGED, AlarmState.CLEARED);
    AlarmEvent acked = out.get(1);
    assertThat(acked.alarmId()).isEqualTo(raised.alarmId());
    assertThat(acked.actor()).isEqualTo("op-7");
    assertThat(acked.tsMicros()).isEqualTo(5_000);
    assertThat(acked.raisedTsMicros()).isEqualTo(1_000);
    assertThat(acked.type()).isEqualTo(AlarmType.HH);
    assertThat(acked.message()).isEqualTo("acknowledged by op-7");
  }

  @Test
  void clearedBeforeAcknowledgedWaitsForTheAck() throws Exception {
    AlarmEvent raised = event(AlarmState.RAISED, 1_000, 1_000);
    harness.processElement1(new StreamRecord<>(raised, 1));
    harness.processElement1(new StreamRecord<>(event(AlarmState.CLEARED, 2_000, 1_000), 2));
    harness.processElement2(new StreamRecord<>(ack(raised.alarmId(), "op-7", 3_000), 3));
    // A new occurrence supersedes: ACKs of the old one are refused, of the new one accepted.
    AlarmEvent again = event(AlarmState.RAISED, 4_000, 4_000);
    harness.processElement1(new StreamRecord<>(again, 4));
    harness.processElement2(new StreamRecord<>(ack(raised.alarmId(), "op-7", 5_000), 5));
    harness.processElement2(new StreamRecord<>(ack(again.alarmId(), "op-7", 6_000), 6));
    harness.processElement2(new StreamRecord<>(ack("plant-sh/x/y/z/t/H/1", "op-7", 7_000), 7));

    assertThat(harness.extractOutputValues())
        .extracting(e -> e.state() + " " + e.raisedTsMicros())
        .containsExactly(
            "RAISED 1000", "CLEARED 1000", "ACKNOWLEDGED 1000", "RAISED 4000", "ACKNOWLEDGED 4000");
  }

  @Test
  void commandsAreJsonAndRefusedWithAReason() {
    byte[] json =
        "{\"command\":\"ACK\",\"alarmId\":\"a/b/c/d/t/H/5\",\"user\":\"op-1\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(AlarmJson.parseCommand(json, 42))
        .isEqualTo(new AlarmCommand("ACK", "a/b/c/d/t/H/5", "op-1", 42));
    assertThatThrownBy(() -> AlarmJson.parseCommand("{\"command\":\"SHELVE\"}".getBytes(), 0))
        .hasMessage("Invalid value SHELVE for `command` of an alarm command: expected ACK");
    assertThatThrownBy(() -> AlarmJson.parseCommand("{\"command\":\"ACK\"}".getBytes(), 0))
        .hasMessage("Missing value for `alarmId` of an alarm command");
    assertThatThrownBy(() -> AlarmJson.parseCommand("nope".getBytes(), 0))
        .hasMessageStartingWith("Invalid alarm command: not JSON");
    AlarmEvent e = event(AlarmState.RAISED, 1_000_000, 1_000_000).withRulesVersion(7);
    assertThat(AlarmJson.parseEvent(AlarmJson.toJson(e))).isEqualTo(e);
    String text = new String(AlarmJson.toJson(e), StandardCharsets.UTF_8);
    assertThat(text)
        .contains(
            "\"ts\":\"1970-01-01T00:00:01Z\"",
            "\"state\":\"RAISED\"",
            "\"actor\":null",
            "\"rulesVersion\":7");
    // An event written before the field existed reads as made by the initial catalog.
    byte[] older = text.replace(",\"rulesVersion\":7", "").getBytes(StandardCharsets.UTF_8);
    assertThat(AlarmJson.parseEvent(older)).isEqualTo(e.withRulesVersion(0));
  }

  private static AlarmEvent event(AlarmState state, long ts, long raisedTs) {
    return AlarmEvent.of(
        "plant-sh",
        "press",
        "line-1",
        "m1",
        "pressure_bar",
        AlarmType.HH,
        Priority.HIGH,
        state,
        250,
        240,
        ts,
        raisedTs,
        "pressure");
  }

  private static AlarmCommand ack(String alarmId, String user, long ts) {
    return new AlarmCommand(AlarmCommand.ACK, alarmId, user, ts);
  }
}
