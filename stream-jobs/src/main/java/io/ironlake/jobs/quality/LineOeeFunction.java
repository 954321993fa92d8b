package io.ironlake.jobs.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A line's OEE per shift from its devices' rows (keyed by {@code site/area/line}). Device rows of a
 * shift carry the timestamp shift end − 1 ms and all arrive before the watermark passes it; the
 * line's row is emitted then, with {@link OeeRow#line}.
 */
public final class LineOeeFunction extends KeyedProcessFunction<String, OeeRow, OeeRow> {
  private static final long serialVersionUID = 1L;

  private transient MapState<Long, List<OeeRow>> shifts;

  @Override
  public void open(OpenContext openContext) {
    shifts =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "shifts", Types.LONG, new ListTypeInfo<>(TypeInformation.of(OeeRow.class))));
  }

  @Override
  public void processElement(OeeRow row, Context ctx, Collector<OeeRow> out) throws Exception {
    List<OeeRow> rows = shifts.get(row.shiftStartMicros());
    List<OeeRow> next = rows == null ? new ArrayList<>() : new ArrayList<>(rows);
    next.add(row);
    shifts.put(row.shiftStartMicros(), next);
    ctx.timerService().registerEventTimeTimer(Math.floorDiv(row.shiftEndMicros(), 1000L) - 1);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<OeeRow> out) throws Exception {
    List<Long> done = new ArrayList<>();
    for (Map.Entry<Long, List<OeeRow>> e : shifts.entries()) {
      if (Math.floorDiv(e.getValue().get(0).shiftEndMicros(), 1000L) - 1 <= timestamp) {
        done.add(e.getKey());
      }
    }
    done.sort(Long::compare);
    for (Long start : done) {
      List<OeeRow> rows = shifts.get(start);
      // The line row is as new as the newest rules of its device rows.
      long version = rows.stream().mapToLong(OeeRow::rulesVersion).max().orElse(0L);
      out.collect(OeeRow.line(rows).withRulesVersion(version));
      shifts.remove(start);
    }
  }
}
