package io.ironlake.connectors.kafka;

/** Names of Ironlake's Kafka topics: the one place they are defined. */
public final class Topics {
  /** Telemetry points, keyed by device path, value in the telemetry wire format. */
  public static final String TELEMETRY = "telemetry.v1";

  /** Input that could not be turned into points: raw bytes, with the reason in headers. */
  public static final String DEADLETTER = "deadletter.v1";

  /** OPC UA events and alarms and conditions read at the edge. */
  public static final String EVENTS = "events.v1";

  /**
   * Alarms raised, cleared and acknowledged by the safety jobs, JSON keyed by device path; at least
   * once: after a job restore an event may come again, the same event with the same {@code
   * (alarmId, state)}, which consumers drop.
   */
  public static final String ALARMS = "alarms.v1";

  /** Indicator results for live consumers. */
  public static final String KPI = "kpi.v1";

  /** Energy per device per minute (rows of {@code ironlake.energy}) as JSON, keyed by path. */
  public static final String ENERGY = "energy.v1";

  /** Energy per device and line per shift (rows of {@code ironlake.energy_shift}) as JSON. */
  public static final String ENERGY_SHIFT = "energy-shift.v1";

  /** 15-minute demand per device and line (rows of {@code ironlake.energy_demand}) as JSON. */
  public static final String ENERGY_DEMAND = "energy-demand.v1";

  /** Daily peak demand per device and line (rows of {@code ironlake.energy_peak}) as JSON. */
  public static final String ENERGY_PEAK = "energy-peak.v1";

  /** SPC subgroups per characteristic (rows of {@code ironlake.spc}) as JSON. */
  public static final String SPC = "spc.v1";

  /** OEE per device and line per shift (rows of {@code ironlake.oee}) as JSON. */
  public static final String OEE = "oee.v1";

  /** Data quality per device, tag and hour (rows of {@code ironlake.data_quality}) as JSON. */
  public static final String DATA_QUALITY = "data-quality.v1";

  private Topics() {}
}
