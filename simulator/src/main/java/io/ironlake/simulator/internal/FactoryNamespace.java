package io.ironlake.simulator.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.simulator.SimTag;
import io.ironlake.simulator.TagType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The simulator's OPC UA address space: {@code Objects/<site>/<area>/<line>/<device>/<tag>}.
 *
 * <p>Values are pushed, not sampled: {@link #publish} hands each new value to every monitored item
 * of the variable at once, so a subscriber with a big enough queue and the StatusValueTimestamp
 * trigger receives every update exactly once. A new monitored item first receives the variable's
 * latest value (if any), then every later one. Items on other attributes are sampled by Milo's
 * {@link SubscriptionModel}.
 */
public final class FactoryNamespace extends ManagedNamespaceWithLifecycle {

  /** The namespace URI of every simulator variable. */
  public static final String NAMESPACE_URI = "urn:ironlake:simulator";

  private final String site;
  private final String area;
  private final Map<String, List<String>> devicesByLine;
  private final SubscriptionModel subscriptionModel;
  private final Object lock = new Object();
  private final Map<NodeId, UaVariableNode> variables = new HashMap<>();
  private final Map<NodeId, DataValue> latest = new HashMap<>();
  private final Map<NodeId, Set<DataItem>> itemsByNode = new HashMap<>();

  /**
   * @param devicesByLine the OPC UA lines in order, each with its devices in order
   */
  public FactoryNamespace(
      OpcUaServer server, String site, String area, Map<String, List<String>> devicesByLine) {
    super(server, NAMESPACE_URI);
    this.site = site;
    this.area = area;
    this.devicesByLine = new LinkedHashMap<>(devicesByLine);
    this.subscriptionModel = new SubscriptionModel(server, this);
    getLifecycleManager().addLifecycle(subscriptionModel);
    getLifecycleManager().addStartupTask(this::createNodes);
  }

  /** The NodeId string ({@code ns=<index>;s=<path>/<tag>}) of one tag of one device. */
  public String nodeIdString(String line, String device, String tag) {
    return nodeId(line, device, tag).toParseableString();
  }

  /** Sets the variables of one device and pushes the new values to their monitored items. */
  public void publish(String line, String device, long tsMicros, Map<String, PointValue> values) {
    DateTime sourceTime = new DateTime(toInstant(tsMicros));
    DateTime serverTime = DateTime.now();
    synchronized (lock) {
      for (Map.Entry<String, PointValue> e : values.entrySet()) {
        NodeId nodeId = nodeId(line, device, e.getKey());
        DataValue value =
            new DataValue(variant(e.getValue()), StatusCode.GOOD, sourceTime, serverTime);
        UaVariableNode node = variables.get(nodeId);
        if (node != null) {
          node.setValue(value);
        }
        latest.put(nodeId, value);
        for (DataItem item : itemsByNode.getOrDefault(nodeId, Set.of())) {
          item.setValue(value);
        }
      }
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    List<DataItem> sampled = new ArrayList<>();
    synchronized (lock) {
      for (DataItem item : dataItems) {
        NodeId nodeId = item.getReadValueId().getNodeId();
        if (isPushed(item)) {
          itemsByNode.computeIfAbsent(nodeId, n -> new LinkedHashSet<>()).add(item);
          DataValue value = latest.get(nodeId);
          if (value != null) {
            item.setValue(value);
          }
        } else {
          sampled.add(item);
        }
      }
    }
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsCreated(sampled);
    }
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    List<DataItem> sampled = dataItems.stream().filter(i -> !isPushed(i)).toList();
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsModified(sampled);
    }
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    List<DataItem> sampled = new ArrayList<>();
    synchronized (lock) {
      for (DataItem item : dataItems) {
        if (isPushed(item)) {
          Set<DataItem> items = itemsByNode.get(item.getReadValueId().getNodeId());
          if (items != null) {
            items.remove(item);
          }
        } else {
          sampled.add(item);
        }
      }
    }
    if (!sampled.isEmpty()) {
      subscriptionModel.onDataItemsDeleted(sampled);
    }
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    List<MonitoredItem> sampled =
        monitoredItems.stream().filter(i -> !(i instanceof DataItem d && isPushed(d))).toList();
    if (!sampled.isEmpty()) {
      subscriptionModel.onMonitoringModeChanged(sampled);
    }
  }

  private boolean isPushed(DataItem item) {
    return item.getReadValueId().getAttributeId().intValue() == AttributeId.Value.id()
        && variables.containsKey(item.getReadValueId().getNodeId());
  }

  private void createNodes() {
    UaFolderNode siteFolder = folder(site, site);
    siteFolder.addReference(
        new Reference(
            siteFolder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));
    UaFolderNode areaFolder = folder(site + "/" + area, area);
    siteFolder.addOrganizes(areaFolder);
    DataValue waiting = new DataValue(new StatusCode(StatusCodes.Bad_WaitingForInitialData));
    synchronized (lock) {
      devicesByLine.forEach(
          (line, devices) -> {
            UaFolderNode lineFolder = folder(site + "/" + area + "/" + line, line);
            areaFolder.addOrganizes(lineFolder);
            for (String device : devices) {
              String devicePath = site + "/" + area + "/" + line + "/" + device;
              UaFolderNode deviceFolder = folder(devicePath, device);
              lineFolder.addOrganizes(deviceFolder);
              for (SimTag tag : Tags.ALL) {
                UaVariableNode variable =
                    new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                        .setNodeId(nodeId(line, device, tag.name()))
                        .setBrowseName(newQualifiedName(tag.name()))
                        .setDisplayName(LocalizedText.english(tag.name()))
                        .setDescription(LocalizedText.english(description(tag)))
                        .setDataType(dataType(tag.type()))
                        .setTypeDefinition(NodeIds.BaseDataVariableType)
                        .setAccessLevel(AccessLevel.READ_ONLY)
                        .setUserAccessLevel(AccessLevel.READ_ONLY)
                        .setValue(waiting)
                        .build();
                getNodeManager().addNode(variable);
                deviceFolder.addOrganizes(variable);
                variables.put(variable.getNodeId(), variable);
              }
            }
          });
    }
  }

  private UaFolderNode folder(String path, String name) {
    UaFolderNode folder =
        new UaFolderNode(
            getNodeContext(), newNodeId(path), newQualifiedName(name), LocalizedText.english(name));
    getNodeManager().addNode(folder);
    return folder;
  }

  private NodeId nodeId(String line, String device, String tag) {
    return newNodeId(site + "/" + area + "/" + line + "/" + device + "/" + tag);
  }

  private static String description(SimTag tag) {
    return tag.unit().isEmpty() ? tag.name() : tag.name() + " [" + tag.unit() + "]";
  }

  private static NodeId dataType(TagType type) {
    return switch (type) {
      case DOUBLE -> NodeIds.Double;
      case LONG -> NodeIds.Int64;
      case STRING -> NodeIds.String;
    };
  }

  private static Variant variant(PointValue value) {
    if (value instanceof PointValue.DoubleValue d) {
      return new Variant(d.value());
    } else if (value instanceof PointValue.LongValue l) {
      return new Variant(l.value());
    } else if (value instanceof PointValue.BooleanValue b) {
      return new Variant(b.value());
    }
    return new Variant(value.asText());
  }

  private static Instant toInstant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
  }
}
