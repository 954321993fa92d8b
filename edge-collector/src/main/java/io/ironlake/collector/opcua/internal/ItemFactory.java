package io.ironlake.collector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.ironlake.collector.config.Deadband;
import io.ironlake.collector.config.OpcUaSourceConfig;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;

/** Builds the monitored items of a source: data items with their filter, event items. */
public final class ItemFactory {
  private ItemFactory() {}

  /** A data item for a mapped node, the node (its mapping and readings) as the user object. */
  public static OpcUaMonitoredItem dataItem(
      OpcUaSourceConfig config, DataChangeMapper.Node node, NodeId nodeId) {
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeId);
    item.setUserObject(node);
    item.setSamplingInterval(config.samplingIntervalMs());
    item.setQueueSize(uint(config.queueSize()));
    item.setDiscardOldest(true);
    item.setFilter(filter(node.mapping().deadband()));
    return item;
  }

  /**
   * The data change filter of a node. Without a deadband: StatusValueTimestamp, so a new source
   * timestamp alone is a new point even if the value repeats (a counter that did not move is still
   * a reading). With one: StatusValue, since a deadband is about values; a repeated value is then
   * not reported.
   */
  public static DataChangeFilter filter(Deadband deadband) {
    if (!deadband.active()) {
      return new DataChangeFilter(DataChangeTrigger.StatusValueTimestamp, uint(0), 0.0);
    }
    DeadbandType type =
        deadband.type() == Deadband.Type.PERCENT ? DeadbandType.Percent : DeadbandType.Absolute;
    return new DataChangeFilter(
        DataChangeTrigger.StatusValue, uint(type.getValue()), deadband.value());
  }

  /**
   * An event item on a notifier with {@link EventMapper#filter()}, the notifier's text as user
   * object.
   */
  public static OpcUaMonitoredItem eventItem(
      OpcUaSourceConfig config, String notifier, NodeId nodeId) {
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newEventItem(nodeId, EventMapper.filter());
    item.setUserObject(notifier);
    item.setQueueSize(uint(Math.max(config.queueSize(), 1000)));
    item.setDiscardOldest(true);
    return item;
  }
}
