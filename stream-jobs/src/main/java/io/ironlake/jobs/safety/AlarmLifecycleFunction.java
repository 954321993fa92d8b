package io.ironlake.jobs.safety;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ISA-18.2 lifecycle of each alarm (keyed by {@link AlarmEvent#key()}): RAISED and CLEARED pass
 * through and update the current occurrence; an ACK command for the current occurrence that is not
 * yet acknowledged emits ACKNOWLEDGED. An occurrence both cleared and acknowledged is back to
 * normal and forgotten. Other ACKs (unknown or superseded id, already acknowledged) are logged,
 * counted in {@value #REJECTED_METRIC} and change nothing.
 */
public final class AlarmLifecycleFunction
    extends KeyedCoProcessFunction<String, AlarmEvent, AlarmCommand, AlarmEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AlarmLifecycleFunction.class);

  /** Name of the counter of rejected acknowledgements. */
  public static final String REJECTED_METRIC = "alarmAcksRejected";

  /**
   * The current occurrence of an alarm.
   *
   * @param raised its RAISED event
   * @param active not yet cleared
   * @param acknowledged already acknowledged
   */
  public record Occurrence(AlarmEvent raised, boolean active, boolean acknowledged) {}

  private transient ValueState<Occurrence> current;
  private transient Counter rejected;

  @Override
  public void open(OpenContext openContext) {
    current =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("occurrence", TypeInformation.of(Occurrence.class)));
    rejected = getRuntimeContext().getMetricGroup().counter(REJECTED_METRIC);
  }

  @Override
  public void processElement1(AlarmEvent e, Context ctx, Collector<AlarmEvent> out)
      throws Exception {
    Occurrence o = current.value();
    if (e.state() == AlarmState.RAISED) {
      current.update(new Occurrence(e, true, false));
    } else if (e.state() == AlarmState.CLEARED
        && o != null
        && o.raised().alarmId().equals(e.alarmId())) {
      if (o.acknowledged()) {
        current.clear();
      } else {
        current.update(new Occurrence(o.raised(), false, false));
      }
    }
    out.collect(e);
  }

  @Override
  public void processElement2(AlarmCommand c, Context ctx, Collector<AlarmEvent> out)
      throws Exception {
    Occurrence o = current.value();
    String reason = null;
    if (o == null || !o.raised().alarmId().equals(c.alarmId())) {
      reason = "not the current occurrence of its alarm";
    } else if (o.acknowledged()) {
      reason = "already acknowledged";
    }
    if (reason != null) {
      rejected.inc();
      LOG.warn("alarm ack rejected: alarmId={}, user={}, reason={}", c.alarmId(), c.user(), reason);
      return;
    }
    out.collect(o.raised().acknowledged(c.tsMicros(), c.user()));
    if (o.active()) {
      current.update(new Occurrence(o.raised(), true, true));
    } else {
      current.clear();
    }
  }
}
