package io.ironlake.collector.config;

import java.util.List;

/**
 * Which OPC UA events and alarms a source subscribes to ({@code events}, {@code event-notifiers}).
 *
 * @param enabled {@code events}: whether events are read at all
 * @param notifiers {@code event-notifiers}: node ids of the objects whose events are read; the
 *     Server object ({@code i=2253}) by default, which reports every event of the server
 */
public record OpcUaEvents(boolean enabled, List<String> notifiers) {
  /** The Server object, the notifier of every event of a server. */
  public static final String SERVER_OBJECT = "i=2253";

  /** No events. */
  public static final OpcUaEvents NONE = new OpcUaEvents(false, List.of(SERVER_OBJECT));

  /** Events of the Server object. */
  public static final OpcUaEvents SERVER = new OpcUaEvents(true, List.of(SERVER_OBJECT));

  public OpcUaEvents {
    notifiers = List.copyOf(notifiers);
  }
}
