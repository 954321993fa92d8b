package io.ironlake.connectors.sparkplug;

import java.util.Objects;

/**
 * An NCMD a host publishes to make an edge node send its NBIRTH and DBIRTHs again. Publish it with
 * QoS 0 and retain false, as the specification asks.
 *
 * @param topic {@code spBv1.0/<group_id>/NCMD/<edge_node_id>}
 * @param payload {@code Node Control/Rebirth = true}
 */
public record RebirthRequest(String topic, byte[] payload) {
  public RebirthRequest {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
  }
}
