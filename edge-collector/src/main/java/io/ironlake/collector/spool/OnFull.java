package io.ironlake.collector.spool;

import java.util.Locale;

/** What the spool does when an append would take it past {@code spool.max-bytes}. */
public enum OnFull {
  /**
   * Appends wait until the publisher frees space: sources stop being acknowledged (back-pressure).
   * An MQTT broker then keeps QoS 1/2 messages for the collector's session; an OPC UA server queues
   * up to {@code queue-size} values per node, then drops the oldest.
   */
  BLOCK,
  /**
   * The oldest segment is deleted, sent or not; its unsent points are counted, logged at ERROR and
   * recorded as lost sequence ranges per source ({@link Spool#droppedRanges()}).
   */
  DROP_OLDEST;

  /** The name used in the YAML file, e.g. {@code drop-oldest}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The policy of a YAML name such as {@code drop-oldest}. */
  public static OnFull fromConfigName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
