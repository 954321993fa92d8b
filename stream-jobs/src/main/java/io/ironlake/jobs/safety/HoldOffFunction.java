package io.ironlake.jobs.safety;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops a RAISED event of an alarm (keyed by {@link AlarmEvent#key()}) less than the hold-off after
 * the previous one passed, so a condition that keeps matching does not flood; counted in {@value
 * #SUPPRESSED_METRIC}.
 */
public final class HoldOffFunction extends KeyedProcessFunction<String, AlarmEvent, AlarmEvent> {
  private static final long serialVersionUID = 1L;

  /** Name of the counter of suppressed repeats. */
  public static final String SUPPRESSED_METRIC = "alarmRepeatsSuppressed";

  private final long holdOffMicros;
  private transient ValueState<Long> last;
  private transient Counter suppressed;

  /** Suppresses repeats within {@code holdOff}. */
  public HoldOffFunction(Duration holdOff) {
    this.holdOffMicros = holdOff.toNanos() / 1000;
  }

  @Override
  public void open(OpenContext openContext) {
    last = getRuntimeContext().getState(new ValueStateDescriptor<>("lastRaised", Types.LONG));
    suppressed = getRuntimeContext().getMetricGroup().counter(SUPPRESSED_METRIC);
  }

  @Override
  public void processElement(AlarmEvent e, Context ctx, Collector<AlarmEvent> out)
      throws Exception {
    Long previous = last.value();
    if (e.state() == AlarmState.RAISED) {
      if (previous != null && e.tsMicros() - previous < holdOffMicros) {
        suppressed.inc();
        return;
      }
      last.update(e.tsMicros());
    }
    out.collect(e);
  }
}
