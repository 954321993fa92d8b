package io.ironlake.jobs.quality;

import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * How OEE is computed for one machine. A rule catalog supplies one per device.
 *
 * @param stateTag tag carrying the machine state as a string
 * @param goodCountTag tag of the cumulative good-part counter
 * @param totalCountTag tag of the cumulative total-part counter
 * @param runStates states that count as running
 * @param idleStates states that count as an idle stop (availability loss); states in none of the
 *     three sets count as down (availability loss)
 * @param plannedStates states that count as planned downtime (excluded from planned production)
 * @param idealCycleTime the fastest possible time per part; null when unknown (then performance and
 *     OEE are not computed)
 * @param shifts the shift calendar and its planned stops
 * @param maxStateGap how long a state sample stays valid without a newer one; time beyond it is not
 *     counted at all
 */
public record OeeParams(
    String stateTag,
    String goodCountTag,
    String totalCountTag,
    Set<String> runStates,
    Set<String> idleStates,
    Set<String> plannedStates,
    Duration idealCycleTime,
    ShiftCalendar shifts,
    Duration maxStateGap)
    implements Serializable {

  /** The categories a state falls into. */
  public enum StateCategory {
    RUN,
    IDLE,
    DOWN,
    PLANNED
  }

  public OeeParams {
    runStates = Set.copyOf(runStates);
    idleStates = Set.copyOf(idleStates);
    plannedStates = Set.copyOf(plannedStates);
    if (idealCycleTime != null && (idealCycleTime.isNegative() || idealCycleTime.isZero())) {
      throw new IllegalArgumentException(
          "Invalid ideal cycle time " + idealCycleTime + ": expected a positive duration");
    }
    if (maxStateGap == null || maxStateGap.isNegative() || maxStateGap.isZero()) {
      throw new IllegalArgumentException(
          "Invalid max state gap " + maxStateGap + ": expected a positive duration");
    }
  }

  /** The category of a state value. */
  public StateCategory categorize(String state) {
    if (runStates.contains(state)) {
      return StateCategory.RUN;
    }
    if (plannedStates.contains(state)) {
      return StateCategory.PLANNED;
    }
    if (idleStates.contains(state)) {
      return StateCategory.IDLE;
    }
    return StateCategory.DOWN;
  }

  /** The ideal cycle time in seconds, NaN when unknown. */
  public double idealCycleSeconds() {
    return idealCycleTime == null ? Double.NaN : idealCycleTime.toNanos() / 1e9;
  }

  /** A copy with another ideal cycle time. */
  public OeeParams withIdealCycleTime(Duration value) {
    return new OeeParams(
        stateTag,
        goodCountTag,
        totalCountTag,
        runStates,
        idleStates,
        plannedStates,
        value,
        shifts,
        maxStateGap);
  }

  /** A copy with another shift calendar. */
  public OeeParams withShifts(ShiftCalendar value) {
    return new OeeParams(
        stateTag,
        goodCountTag,
        totalCountTag,
        runStates,
        idleStates,
        plannedStates,
        idealCycleTime,
        value,
        maxStateGap);
  }
}
