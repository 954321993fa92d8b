package io.ironlake.connectors.sparkplug;

/**
 * A message of an edge node whose sequence number is not the one after the previous message's:
 * messages were lost or reordered between the edge node and this host.
 *
 * @param edgeNodeDescriptor {@code group_id/edge_node_id}
 * @param expected the sequence number that should have come, 0 to 255
 * @param actual the one that came, or -1 if the message had none
 */
public record SequenceGap(String edgeNodeDescriptor, int expected, long actual) {

  /** A text for logs and dead letters. */
  public String describe() {
    return "Sparkplug sequence gap from "
        + edgeNodeDescriptor
        + ": expected seq "
        + expected
        + ", got "
        + (actual < 0 ? "none" : Long.toString(actual));
  }
}
