package io.ironlake.simulator.internal;

import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.TagType;
import java.util.List;

/** The tags every simulated machine publishes, with type and unit. */
public final class Tags {

  public static final String POWER_KW = "power_kw";
  public static final String ENERGY_KWH = "energy_kwh";
  public static final String STATE = "state";
  public static final String GOOD_COUNT = "good_count";
  public static final String TOTAL_COUNT = "total_count";
  public static final String DIAMETER_MM = "diameter_mm";
  public static final String TEMPERATURE_C = "temperature_c";

  /** Tags without addresses, in publishing order. */
  public static final List<SimTag> ALL =
      List.of(
          new SimTag(POWER_KW, TagType.DOUBLE, "kW", null),
          new SimTag(ENERGY_KWH, TagType.DOUBLE, "kWh", null),
          new SimTag(STATE, TagType.STRING, "", null),
          new SimTag(GOOD_COUNT, TagType.LONG, "", null),
          new SimTag(TOTAL_COUNT, TagType.LONG, "", null),
          new SimTag(DIAMETER_MM, TagType.DOUBLE, "mm", null),
          new SimTag(TEMPERATURE_C, TagType.DOUBLE, "°C", null));

  private Tags() {}
}
