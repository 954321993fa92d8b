package io.ironlake.connectors.sparkplug;

import java.util.Set;

/**
 * What a {@link SparkplugDecoder} knows about one edge node.
 *
 * @param groupId the group
 * @param edgeNodeId the edge node
 * @param online whether its last NBIRTH came after its last NDEATH
 * @param bdSeq the bdSeq of its last NBIRTH, -1 if it had none
 * @param lastSeq the sequence number of its last message
 * @param births NBIRTHs decoded so far (a rebirth adds one)
 * @param onlineDevices devices born since the last NBIRTH and not dead
 */
public record EdgeNodeStatus(
    String groupId,
    String edgeNodeId,
    boolean online,
    long bdSeq,
    int lastSeq,
    long births,
    Set<String> onlineDevices) {
  public EdgeNodeStatus {
    onlineDevices = Set.copyOf(onlineDevices);
  }
}
