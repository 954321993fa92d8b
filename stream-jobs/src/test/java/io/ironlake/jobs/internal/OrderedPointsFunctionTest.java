package io.ironlake.jobs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.connectors.record.Quality;
import io.ironlake.connectors.record.TelemetryPoint;
import io.ironlake.jobs.rules.LiveRules;
import io.ironlake.jobs.rules.PublishedCatalog;
import io.ironlake.jobs.rules.StaticRuleCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class OrderedPointsFunctionTest {
  private static final OutputTag<TelemetryPoint> LATE =
      new OutputTag<>("late", TelemetryPointTypeInfo.INSTANCE);

  @Test
  void handsPointsOverInTimestampOrderOnceTheWatermarkPassesThem() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, PublishedCatalog, String> h =
        harness(new Recording())) {
      h.processElement(point("a", 3_000_000), 0);
      h.processElement(point("b", 1_000_700), 0);
      h.processElement(point("c", 1_000_200), 0); // the same millisecond as b, earlier
      h.processElement(point("d", 2_000_000), 0);
      h.processElement(point("e", 1_000_700), 0); // the same microsecond as b: after it
      h.watermark(999);
      assertThat(h.extractOutputValues()).isEmpty();
      h.watermark(1_000);
      assertThat(h.extractOutputValues()).containsExactly("c@1000200", "b@1000700", "e@1000700");
      h.watermark(5_000);
      assertThat(h.extractOutputValues())
          .containsExactly("c@1000200", "b@1000700", "e@1000700", "d@2000000", "a@3000000");

      h.processElement(point("late", 4_999_999), 0);
      assertThat(h.extractOutputValues()).hasSize(5);
      assertThat(h.getSideOutput(LATE)).extracting(r -> r.getValue().tag()).containsExactly("late");
    }
  }

  @Test
  void takesThePointsAnEarlierBuildLeftWaitingInState() throws Exception {
    // Earlier builds kept waiting points by microsecond under "pending"; a savepoint of
    // one restores them with their timers, and they must still come out, in order.
    Recording f = new Recording();
    try (KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, PublishedCatalog, String> h =
        harness(f)) {
      h.processElement(point("earlier-build-1", 1_500_000), 0);
      h.processElement(point("now-1", 2_000_000), 0);
      h.processElement(point("earlier-build-2", 3_000_000), 0);
      h.processElement(point("now-2", 3_500_000), 0);
      h.watermark(2_000);
      assertThat(h.extractOutputValues())
          .containsExactly("earlier-build-1@1500000", "now-1@2000000");
      h.watermark(4_000);
      assertThat(h.extractOutputValues())
          .containsExactly(
              "earlier-build-1@1500000",
              "now-1@2000000",
              "earlier-build-2@3000000",
              "now-2@3500000");
      assertThat(f.earlierBuildState.isEmpty()).isTrue();
    }
  }

  private static KeyedBroadcastOperatorTestHarness<String, TelemetryPoint, PublishedCatalog, String>
      harness(Recording f) throws Exception {
    return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
        f, TelemetryPoint::devicePath, Types.STRING, LiveRules.STATE);
  }

  private static TelemetryPoint point(String tag, long tsMicros) {
    return new TelemetryPoint(
        "plant",
        "area",
        "line-1",
        "m1",
        tag,
        tsMicros,
        tsMicros,
        PointValue.of(1.0),
        Quality.GOOD,
        0L,
        "",
        "edge-1",
        "opcua",
        tsMicros);
  }

  /**
   * Emits {@code tag@tsMicros} per point handed over. Points whose tag starts with {@code
   * earlier-build} are put where earlier builds kept them (by microsecond, under {@code pending},
   * with their timer), as a restore from its savepoint would leave them.
   */
  private static final class Recording extends OrderedPointsFunction<String> {
    private static final long serialVersionUID = 1L;
    private transient MapState<Long, List<TelemetryPoint>> earlierBuildState;

    Recording() {
      super("test", LATE, StaticRuleCatalog.builder().build());
    }

    @Override
    protected void openState() {
      earlierBuildState =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "pending", Types.LONG, new ListTypeInfo<>(TelemetryPointTypeInfo.INSTANCE)));
    }

    @Override
    public void processElement(TelemetryPoint point, ReadOnlyContext ctx, Collector<String> out)
        throws Exception {
      if (!point.tag().startsWith("earlier-build")) {
        super.processElement(point, ctx, out);
        return;
      }
      List<TelemetryPoint> list = new ArrayList<>();
      list.add(point);
      earlierBuildState.put(point.tsMicros(), list);
      ctx.timerService().registerEventTimeTimer(point.tsMicros() / 1000);
    }

    @Override
    protected void onPoint(TelemetryPoint p, OnTimerContext ctx, Collector<String> out) {
      out.collect(p.tag() + "@" + p.tsMicros());
    }
  }
}
