package io.ironlake.jobs.rules;

import io.ironlake.jobs.quality.OeeParams;
import io.ironlake.jobs.quality.ShiftCalendar;
import io.ironlake.jobs.quality.SpcParams;
import io.ironlake.jobs.safety.FloodParams;
import io.ironlake.jobs.safety.FrozenValueParams;
import io.ironlake.jobs.safety.LimitAlarmParams;
import io.ironlake.jobs.safety.PatternParams;
import io.ironlake.jobs.safety.Priority;
import io.ironlake.jobs.safety.RateOfChangeParams;
import io.ironlake.jobs.safety.SignalCondition;
import io.ironlake.jobs.safety.TagSafetyParams;
import java.time.Duration;
import java.util.Set;

/**
 * The built-in indicator parameters, matched to the tags the simulator and a typical machine
 * publish, until the rule catalog file exists. Every value is a constant here so that the README
 * and the tests can name it.
 */
public final class IndicatorDefaults {
  /**
   * SPC of {@code diameter_mm}: X-bar/R, n = 5, spec 11.95 .. 12.05 mm, limits from 25 subgroups.
   */
  public static final SpcParams DIAMETER_SPC = SpcParams.builder().specLimits(11.95, 12.05).build();

  /**
   * OEE from tags {@code state}, {@code good_count}, {@code total_count}: RUNNING runs, IDLE is an
   * idle stop, PLANNED / BREAK / MAINTENANCE are planned downtime, anything else is down; three
   * 8-hour shifts from 06:00 UTC; a state sample holds for at most 1 h; no ideal cycle time (set it
   * per device with {@link StaticRuleCatalog.Builder#idealCycleTime}).
   */
  public static final OeeParams OEE =
      new OeeParams(
          "state",
          "good_count",
          "total_count",
          Set.of("RUNNING"),
          Set.of("IDLE"),
          Set.of("PLANNED", "BREAK", "MAINTENANCE"),
          null,
          ShiftCalendar.DEFAULT,
          Duration.ofHours(1));

  /**
   * {@code temperature_c}: HH 55, H 45, L 10, LL 5 °C with 1 °C deadband and 10 s on-delay; rate of
   * change above 2 °C/s (0.5 deadband, 2 s on-delay); frozen when exactly unchanged for 10 min.
   */
  public static final TagSafetyParams TEMPERATURE =
      new TagSafetyParams(
          LimitAlarmParams.builder()
              .highHigh(55)
              .high(45)
              .low(10)
              .lowLow(5)
              .deadband(1)
              .onDelay(Duration.ofSeconds(10))
              .build(),
          new RateOfChangeParams(2, 0.5, Duration.ofSeconds(2)),
          new FrozenValueParams(Duration.ofMinutes(10), 0));

  /** {@code power_kw}: HH 55, H 48 kW with 1 kW deadband and 5 s on-delay. */
  public static final TagSafetyParams POWER =
      new TagSafetyParams(
          LimitAlarmParams.builder()
              .highHigh(55)
              .high(48)
              .deadband(1)
              .onDelay(Duration.ofSeconds(5))
              .build(),
          null,
          null);

  /**
   * Temperature above 45 °C and coolant flow ({@code coolant_flow_lpm}) below 2 l/min within 30 s
   * on one device: HIGH priority, not raised again for 10 min.
   */
  public static final PatternParams OVERHEAT_WITHOUT_COOLANT =
      new PatternParams(
          "overheat-without-coolant",
          SignalCondition.above("temperature_c", 45),
          SignalCondition.below("coolant_flow_lpm", 2),
          Duration.ofSeconds(30),
          Priority.HIGH,
          "",
          Duration.ofMinutes(10));

  private IndicatorDefaults() {}

  /** A builder holding every default, to change some of them. */
  public static StaticRuleCatalog.Builder builder() {
    return StaticRuleCatalog.builder()
        .spc("diameter_mm", DIAMETER_SPC)
        .oee(OEE)
        .safety("temperature_c", TEMPERATURE)
        .safety("power_kw", POWER)
        .pattern(OVERHEAT_WITHOUT_COOLANT)
        .flood(FloodParams.ISA_18_2);
  }

  /** The defaults as a catalog. */
  public static StaticRuleCatalog catalog() {
    return DEFAULTS;
  }

  private static final StaticRuleCatalog DEFAULTS = builder().build();
}
