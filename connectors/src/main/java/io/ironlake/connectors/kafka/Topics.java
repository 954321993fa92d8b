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

  private Topics() {}
}
