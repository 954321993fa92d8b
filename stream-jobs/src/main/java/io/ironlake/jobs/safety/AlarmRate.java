package io.ironlake.jobs.safety;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The ISA-18.2 alarm rate: RAISED events per line in tumbling event-time windows ({@link
 * FloodParams#window()}); a window with more than {@link FloodParams#threshold()} is a flood. A
 * window without alarms has no row.
 */
public final class AlarmRate {
  private AlarmRate() {}

  /** One row per line and window with at least one alarm raised. */
  public static DataStream<AlarmRateRow> rows(
      DataStream<AlarmEvent> events, FloodParams flood, String uid) {
    return events
        .filter(e -> e.state() == AlarmState.RAISED)
        .name("alarms-raised")
        .uid(uid + "-raised")
        .keyBy(AlarmEvent::linePath)
        .window(TumblingEventTimeWindows.of(flood.window()))
        .aggregate(
            new Count(),
            new ToRow(flood.threshold()),
            TypeInformation.of(Long.class),
            TypeInformation.of(Long.class),
            TypeInformation.of(AlarmRateRow.class))
        .name("alarm-rate")
        .uid(uid + "-rate");
  }

  private static final class Count implements AggregateFunction<AlarmEvent, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(AlarmEvent value, Long acc) {
      return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
      return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  private static final class ToRow
      extends ProcessWindowFunction<Long, AlarmRateRow, String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private final int threshold;

    ToRow(int threshold) {
      this.threshold = threshold;
    }

    @Override
    public void process(
        String line, Context ctx, Iterable<Long> counts, Collector<AlarmRateRow> out) {
      long n = counts.iterator().next();
      String[] p = line.split("/", 3);
      out.collect(
          new AlarmRateRow(
              p[0],
              p[1],
              p[2],
              ctx.window().getStart() * 1000L,
              ctx.window().getEnd() * 1000L,
              (int) n,
              threshold,
              n > threshold));
    }
  }
}
