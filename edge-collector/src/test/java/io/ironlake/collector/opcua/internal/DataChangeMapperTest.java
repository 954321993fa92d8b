package io.ironlake.collector.opcua.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.collector.config.NodeMapping;
import io.ironlake.connectors.record.TelemetryPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

class DataChangeMapperTest {
  private static final NodeMapping NODE =
      new NodeMapping("ns=2;s=a", "plant-sh", "assembly", "line-1", "m01", "power_kw", "kW");
  private static final Instant T0 = Instant.parse("2026-03-02T06:00:00Z");

  @Test
  void aRepublishedOlderNotificationIsSkippedButANewReadingWithTheSameValueIsKept() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    List<TelemetryPoint> out = new ArrayList<>();
    out.addAll(map(mapper, value(10.0, 0), value(11.0, 1), value(12.0, 2)));
    // A republished message repeats readings 0 and 1 after reading 2 arrived.
    out.addAll(map(mapper, value(10.0, 0), value(11.0, 1)));
    // The same value at a new source time is a new reading.
    out.addAll(map(mapper, value(12.0, 3)));

    assertThat(out).extracting(p -> p.value().asDouble()).containsExactly(10.0, 11.0, 12.0, 12.0);
    assertThat(out)
        .extracting(TelemetryPoint::tsMicros)
        .containsExactly(micros(0), micros(1), micros(2), micros(3));
  }

  @Test
  void anOlderOrEqualSourceTimeWithANewValueOrStatusIsANewReading() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    List<TelemetryPoint> out = new ArrayList<>();
    out.addAll(map(mapper, value(10.0, 5), value(11.0, 6)));
    // The device's clock stepped back: an older source time never read before is kept.
    out.addAll(map(mapper, value(12.0, 2)));
    // A coarse source clock: a new value at the same source time is kept, and so is a new status.
    out.addAll(map(mapper, value(13.0, 6)));
    DateTime t6 = new DateTime(T0.plusSeconds(6));
    out.addAll(map(mapper, new DataValue(new Variant(13.0), StatusCode.UNCERTAIN, t6, t6)));
    // ...but each of them only once.
    out.addAll(map(mapper, value(12.0, 2), value(13.0, 6), value(11.0, 6)));

    assertThat(out)
        .extracting(p -> p.value().asDouble())
        .containsExactly(10.0, 11.0, 12.0, 13.0, 13.0);
    assertThat(out.get(4).statusCode()).isEqualTo(StatusCode.UNCERTAIN.value());
  }

  @Test
  void republishedMessagesInterleavedWithNewOnesAreSkippedPerNode() {
    NodeMapping other =
        new NodeMapping("ns=2;s=b", "plant-sh", "assembly", "line-1", "m01", "speed_rpm", "rpm");
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    List<TelemetryPoint> out = new ArrayList<>();
    for (int s = 0; s < 40; s++) {
      out.addAll(
          mapper.toPoints(
              List.of(mapper.track(NODE), mapper.track(other)),
              List.of(value(s, s), value(1000 + s, s)),
              micros(1000),
              false));
      if (s >= 3) {
        // The message of three ticks ago arrives again after the newer ones.
        out.addAll(
            mapper.toPoints(
                List.of(mapper.track(NODE), mapper.track(other)),
                List.of(value(s - 3, s - 3), value(1000 + s - 3, s - 3)),
                micros(1000),
                false));
      }
    }
    assertThat(out).hasSize(80);
    assertThat(out).extracting(TelemetryPoint::tag).containsOnly("power_kw", "speed_rpm");
    assertThat(out.stream().filter(p -> p.tag().equals("power_kw")).map(p -> p.value().asDouble()))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 40).mapToObj(i -> (double) i).toList());
  }

  @Test
  void textAndIntegerReadingsAreComparedByValue() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    DateTime t = new DateTime(T0);
    DataValue running = new DataValue(new Variant("RUNNING"), StatusCode.GOOD, t, t);
    DataValue down = new DataValue(new Variant("DOWN"), StatusCode.GOOD, t, t);
    DataValue count = new DataValue(new Variant(7L), StatusCode.GOOD, t, t);
    DataValue otherCount = new DataValue(new Variant(8L), StatusCode.GOOD, t, t);
    List<TelemetryPoint> out = new ArrayList<>();
    out.addAll(map(mapper, running, down, count, otherCount));
    out.addAll(map(mapper, new DataValue(new Variant("RUNNING"), StatusCode.GOOD, t, t), count));

    assertThat(out)
        .extracting(p -> p.value().asText())
        .containsExactly("RUNNING", "DOWN", "7", "8");
  }

  @Test
  void readingsWithoutSourceTimeAreNeverTakenForRepeats() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    DataValue noTime = new DataValue(new Variant(1.0), StatusCode.GOOD, null, null);
    assertThat(map(mapper, noTime, noTime)).hasSize(2);
  }

  @Test
  void onlyTheRecentReadingsAreRemembered() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    for (int i = 0; i <= DataChangeMapper.RECENT_READINGS; i++) {
      assertThat(map(mapper, value(i, i))).hasSize(1);
    }
    // Reading 0 has left the window; reading RECENT_READINGS is still in it.
    assertThat(map(mapper, value(0, 0))).hasSize(1);
    int last = DataChangeMapper.RECENT_READINGS;
    assertThat(map(mapper, value(last, last))).isEmpty();
  }

  @Test
  void aNodeMappedAgainKeepsItsReadings() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    DataChangeMapper.Node first = mapper.track(NODE);
    assertThat(mapper.toPoints(List.of(first), List.of(value(10.0, 0)), micros(1000), false))
        .hasSize(1);
    // A re-created subscription maps an equal node again and re-sends the last value.
    NodeMapping again =
        new NodeMapping("ns=2;s=a", "plant-sh", "assembly", "line-1", "m01", "power_kw", "kW");
    DataChangeMapper.Node second = mapper.track(again);
    assertThat(mapper.toPoints(List.of(second), List.of(value(10.0, 0)), micros(2000), false))
        .isEmpty();
    assertThat(mapper.toPoints(List.of(second), List.of(value(11.0, 1)), micros(2000), false))
        .hasSize(1);
  }

  @Test
  void aPolledValueWithoutSourceTimeIsARepeatUntilItChanges() {
    DataChangeMapper mapper = new DataChangeMapper("edge-1", "opcua");
    List<DataChangeMapper.Node> node = List.of(mapper.track(NODE));
    DataValue one = new DataValue(new Variant(1.0), StatusCode.GOOD, null, null);
    DataValue two = new DataValue(new Variant(2.0), StatusCode.GOOD, null, null);
    List<TelemetryPoint> out = new ArrayList<>();
    for (DataValue v : List.of(one, one, two, two, one)) {
      out.addAll(mapper.toPoints(node, List.of(v), micros(1000), true));
    }
    assertThat(out).extracting(p -> p.value().asDouble()).containsExactly(1.0, 2.0, 1.0);
  }

  private static List<TelemetryPoint> map(DataChangeMapper mapper, DataValue... values) {
    return mapper.toPoints(
        Collections.nCopies(values.length, mapper.track(NODE)),
        List.of(values),
        micros(1000),
        false);
  }

  private static DataValue value(double v, int second) {
    DateTime t = new DateTime(T0.plusSeconds(second));
    return new DataValue(new Variant(v), StatusCode.GOOD, t, t);
  }

  private static long micros(int second) {
    return T0.plusSeconds(second).toEpochMilli() * 1000;
  }
}
