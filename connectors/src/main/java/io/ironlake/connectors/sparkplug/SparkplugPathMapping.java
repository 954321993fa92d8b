package io.ironlake.connectors.sparkplug;

import java.util.Objects;

/** Maps a Sparkplug group, edge node and device to the ISA-95 path of the points it sends. */
@FunctionalInterface
public interface SparkplugPathMapping {

  /**
   * The path of the metrics of a device, or of the edge node itself.
   *
   * @param groupId the Sparkplug group
   * @param edgeNodeId the edge node
   * @param deviceId the device; null for the edge node's own metrics (NBIRTH, NDATA)
   */
  DevicePath map(String groupId, String edgeNodeId, String deviceId);

  /**
   * The default mapping: site = group_id, area = {@code area}, line = edge_node_id, device =
   * device_id, or the edge node id for the node's own metrics.
   */
  static SparkplugPathMapping groupAsSite(String area) {
    Objects.requireNonNull(area, "area");
    return (group, edge, device) ->
        new DevicePath(group, area, edge, device == null ? edge : device);
  }
}
