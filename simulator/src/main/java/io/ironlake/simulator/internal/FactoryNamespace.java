package io.ironlake.simulator.internal;

import io.ironlake.connectors.record.PointValue;
import io.ironlake.simulator.EmittedEvent;
import io.ironlake.simulator.OpcUaServerOptions;
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
import java.util.function.Consumer;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.Session;
import org.eclipse.milo.opcua.sdk.server.items.BaseMonitoredItem;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredEventItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.methods.MethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.model.objects.AcknowledgeableConditionType;
import org.eclipse.milo.opcua.sdk.server.model.objects.AlarmConditionTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.BaseEventTypeNode;
import org.eclipse.milo.opcua.sdk.server.model.objects.ConditionType;
import org.eclipse.milo.opcua.sdk.server.model.variables.AnalogItemType;
import org.eclipse.milo.opcua.sdk.server.model.variables.BaseAnalogType;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.sdk.server.subscriptions.Subscription;
import org.eclipse.milo.opcua.sdk.server.util.SubscriptionModel;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.structured.EUInformation;
import org.eclipse.milo.opcua.stack.core.types.structured.Range;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's OPC UA address space: {@code Objects/<site>/<area>/<line>/<device>/<tag>}.
 *
 * <p>Values are pushed, not sampled: {@link #publish} hands each new value to every monitored item
 * of the variable at once, so a subscriber with a big enough queue and the StatusValueTimestamp
 * trigger receives every update exactly once. A new monitored item first receives the variable's
 * latest value (if any), then every later one. Items on other attributes are sampled by Milo's
 * {@link SubscriptionModel}.
 *
 * <p>Double variables are AnalogItemType variables with an EURange property (so a client can ask
 * for a percent deadband) and an EngineeringUnits property (their unit as EUInformation). Bulk
 * variables ({@link OpcUaServerOptions#bulkVariables()}) live under {@code bulk-NNN/dNNN/vNN}
 * folders next to the lines, hold a constant Double and never notify. With events on, a change of a
 * machine's {@code state} raises events (see {@link FactoryEvents}).
 *
 * <p>Alarms & Conditions (with events on): each device has a {@code fault} AlarmConditionType
 * condition node {@code ns=<index>;s=<device path>/fault} (the device folder has a HasCondition
 * reference to it), active while the machine is DOWN, with ActiveState, AckedState, Retain,
 * Severity and the Acknowledge method; ConditionType's ConditionRefresh method sends a subscription
 * RefreshStart, the retained conditions, RefreshEnd. The conditions' state lives in a {@link
 * FaultConditions} that outlives a server restart.
 */
public final class FactoryNamespace extends ManagedNamespaceWithLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(FactoryNamespace.class);

  /** The namespace URI of every simulator variable. */
  public static final String NAMESPACE_URI = "urn:ironlake:simulator";

  private final String site;
  private final String area;
  private final Map<String, List<String>> devicesByLine;
  private final SubscriptionModel subscriptionModel;
  private final Object lock = new Object();
  private final Map<NodeId, Pushed> pushed = new HashMap<>(); // every variable

  /** The machines' variables by line, device and tag: a tick finds them without a node id. */
  private final Map<String, Map<String, Map<String, Pushed>>> pushedByDevice = new HashMap<>();

  private final FaultConditions conditions;
  private final Map<String, AlarmConditionTypeNode> conditionNodes = new LinkedHashMap<>();
  private final Map<NodeId, String> conditionDevices = new HashMap<>();
  private volatile Consumer<List<EmittedEvent>> eventListener = e -> {};
  private final OpcUaServerOptions options;
  private final OpcUaServer server;
  private FactoryEvents events;

  /**
   * @param devicesByLine the OPC UA lines in order, each with its devices in order
   */
  public FactoryNamespace(
      OpcUaServer server,
      String site,
      String area,
      Map<String, List<String>> devicesByLine,
      OpcUaServerOptions options) {
    this(server, site, area, devicesByLine, options, new FaultConditions());
  }

  /**
   * @param devicesByLine the OPC UA lines in order, each with its devices in order
   * @param conditions the state of the conditions (kept by the caller across restarts)
   */
  public FactoryNamespace(
      OpcUaServer server,
      String site,
      String area,
      Map<String, List<String>> devicesByLine,
      OpcUaServerOptions options,
      FaultConditions conditions) {
    super(server, NAMESPACE_URI);
    this.conditions = conditions;
    this.server = server;
    this.options = options;
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

  /**
   * Sets the variables of one device and pushes the new values to their monitored items; raises the
   * events of a state change when events are on.
   *
   * @return the events raised
   */
  public List<EmittedEvent> publish(
      String line, String device, long tsMicros, Map<String, PointValue> values) {
    DateTime sourceTime = new DateTime(toInstant(tsMicros));
    DateTime serverTime = DateTime.now();
    List<EmittedEvent> raised = new ArrayList<>();
    synchronized (lock) {
      Map<String, Pushed> tags =
          pushedByDevice.getOrDefault(line, Map.of()).getOrDefault(device, Map.of());
      for (Map.Entry<String, PointValue> e : values.entrySet()) {
        Pushed variable = tags.get(e.getKey());
        if (variable == null) {
          continue;
        }
        DataValue value =
            new DataValue(variant(e.getValue()), StatusCode.GOOD, sourceTime, serverTime);
        variable.node.setValue(value);
        variable.latest = value;
        for (DataItem item : variable.items) {
          item.setValue(value);
        }
      }
      PointValue state = values.get(Tags.STATE);
      if (options.events() && state != null && events != null) {
        raiseStateEvents(line, device, tsMicros, state.asText(), raised);
      }
    }
    return raised;
  }

  private void raiseStateEvents(
      String line, String device, long tsMicros, String state, List<EmittedEvent> raised) {
    String devicePath = site + "/" + area + "/" + line + "/" + device;
    String before = conditions.lastState.put(devicePath, state);
    if (before == null || before.equals(state)) {
      return;
    }
    NodeId sourceNode = newNodeId(devicePath);
    try {
      raised.add(events.stateChanged(sourceNode, devicePath, tsMicros, before, state));
      if (state.equals("DOWN")) {
        raised.addAll(setFault(devicePath, true, tsMicros));
      } else if (before.equals("DOWN")) {
        raised.addAll(setFault(devicePath, false, tsMicros));
      }
    } catch (UaException | RuntimeException e) {
      LOG.warn("Simulated event not raised: device={}, error={}", devicePath, e.toString());
    }
  }

  /**
   * Makes a device's {@code fault} condition active (unacknowledged, severity 800) or inactive
   * (severity 200; retained until acknowledged) and fires its event; nothing if it already is.
   *
   * @return the event fired, or none
   */
  public List<EmittedEvent> setFault(String devicePath, boolean active, long tsMicros) {
    synchronized (lock) {
      AlarmConditionTypeNode node = conditionNodes.get(devicePath);
      FaultConditions.Condition c = conditions.of(devicePath);
      if (node == null || c.active == active) {
        return List.of();
      }
      c.active = active;
      if (active) {
        c.acked = false;
        c.severity = FactoryEvents.FAULT_SEVERITY;
      } else {
        c.severity = FactoryEvents.CLEARED_SEVERITY;
      }
      String message = devicePath + (active ? " fault: machine DOWN" : " fault cleared");
      return List.of(events.fire(node, c, message, tsMicros));
    }
  }

  /**
   * Acknowledges a device's {@code fault} condition, as an operator at the HMI (or a client's
   * Acknowledge call) would, and fires its event.
   *
   * @param eventId the EventId being acknowledged; null for the condition's latest event
   * @throws UaException Bad_NodeIdUnknown (no such condition), Bad_EventIdUnknown (not its latest
   *     event), Bad_ConditionBranchAlreadyAcked
   */
  public EmittedEvent acknowledge(String devicePath, byte[] eventId, String comment, long tsMicros)
      throws UaException {
    synchronized (lock) {
      AlarmConditionTypeNode node = conditionNodes.get(devicePath);
      if (node == null) {
        throw new UaException(StatusCodes.Bad_NodeIdUnknown, "no condition for " + devicePath);
      }
      FaultConditions.Condition c = conditions.of(devicePath);
      if (eventId != null && !java.util.Arrays.equals(eventId, c.eventId)) {
        throw new UaException(StatusCodes.Bad_EventIdUnknown);
      }
      if (c.acked) {
        throw new UaException(StatusCodes.Bad_ConditionBranchAlreadyAcked);
      }
      c.acked = true;
      node.setComment(LocalizedText.english(comment == null ? "" : comment));
      String message =
          devicePath
              + " fault acknowledged"
              + (comment == null || comment.isEmpty() ? "" : ": " + comment);
      return events.fire(node, c, message, tsMicros);
    }
  }

  /** The conditions' current state, one per device: the last event of each. */
  public List<EmittedEvent> conditionStates() {
    synchronized (lock) {
      List<EmittedEvent> states = new ArrayList<>();
      conditionNodes.forEach((path, node) -> states.add(events.emitted(node, conditions.of(path))));
      return states;
    }
  }

  /** Called with the events of acknowledgements made through OPC UA (not by a tick). */
  public void onConditionEvents(Consumer<List<EmittedEvent>> listener) {
    this.eventListener = listener;
  }

  /**
   * Replaces Milo's ConditionRefresh (which only sends RefreshStart and RefreshEnd) with one that
   * sends the subscription's event items RefreshStart, every retained condition, RefreshEnd. Call
   * after the server has started.
   */
  public void installConditionRefresh() {
    server
        .getAddressSpaceManager()
        .getManagedNode(NodeIds.ConditionType_ConditionRefresh)
        .filter(UaMethodNode.class::isInstance)
        .map(UaMethodNode.class::cast)
        .ifPresentOrElse(
            m -> m.setInvocationHandler(new RefreshHandler(m)),
            () -> LOG.warn("OPC UA simulator has no ConditionRefresh method node"));
  }

  private void refresh(Subscription subscription) throws UaException {
    List<MonitoredEventItem> items = new ArrayList<>();
    for (BaseMonitoredItem<?> item : subscription.getMonitoredItems().values()) {
      if (item instanceof MonitoredEventItem e) {
        items.add(e);
      }
    }
    BaseEventTypeNode start = events.refreshMarker(true);
    BaseEventTypeNode end = events.refreshMarker(false);
    int sent = 0;
    try {
      synchronized (lock) {
        items.forEach(i -> i.onEvent(start));
        for (Map.Entry<String, AlarmConditionTypeNode> e : conditionNodes.entrySet()) {
          if (conditions.of(e.getKey()).retain()) {
            sent++;
            items.forEach(i -> i.onEvent(e.getValue()));
          }
        }
        items.forEach(i -> i.onEvent(end));
      }
    } finally {
      start.delete();
      end.delete();
    }
    LOG.info(
        "OPC UA simulator ConditionRefresh: subscription={}, eventItems={}, conditions={}",
        subscription.getId(),
        items.size(),
        sent);
  }

  @Override
  protected MethodInvocationHandler getInvocationHandler(NodeId objectId, NodeId methodId)
      throws UaException {
    String devicePath;
    AlarmConditionTypeNode node;
    synchronized (lock) {
      devicePath = conditionDevices.get(objectId);
      node = devicePath == null ? null : conditionNodes.get(devicePath);
    }
    if (node != null
        && (methodId.equals(NodeIds.AcknowledgeableConditionType_Acknowledge)
            || methodId.equals(node.getAcknowledgeMethodNode().getNodeId()))) {
      return node.getAcknowledgeMethodNode().getInvocationHandler();
    }
    return super.getInvocationHandler(objectId, methodId);
  }

  /** Creates a device's condition node from its kept state; called with the lock held. */
  private void createCondition(UaFolderNode deviceFolder, String devicePath, NodeId inputNode) {
    NodeId id = newNodeId(devicePath + "/" + FactoryEvents.FAULT);
    try {
      AlarmConditionTypeNode node =
          (AlarmConditionTypeNode)
              new NodeFactory(getNodeContext()).createNode(id, NodeIds.AlarmConditionType);
      node.setBrowseName(newQualifiedName(FactoryEvents.FAULT));
      node.setDisplayName(LocalizedText.english(FactoryEvents.FAULT));
      events.initCondition(
          node, deviceFolder.getNodeId(), devicePath, inputNode, conditions.of(devicePath));
      deviceFolder.addReference(
          new Reference(deviceFolder.getNodeId(), NodeIds.HasCondition, id.expanded(), true));
      UaMethodNode ack = node.getAcknowledgeMethodNode();
      ack.setInvocationHandler(new AcknowledgeHandler(ack, devicePath));
      conditionNodes.put(devicePath, node);
      conditionDevices.put(id, devicePath);
    } catch (UaException | RuntimeException e) {
      LOG.warn("OPC UA simulator condition not created: device={}, error={}", devicePath, e);
    }
  }

  /** ConditionType.ConditionRefresh(SubscriptionId) for the calling session's subscription. */
  private final class RefreshHandler extends ConditionType.ConditionRefreshMethod {
    RefreshHandler(UaMethodNode node) {
      super(node);
    }

    @Override
    protected void invoke(InvocationContext context, UInteger subscriptionId) throws UaException {
      Session session =
          context.getSession().orElseThrow(() -> new UaException(StatusCodes.Bad_UserAccessDenied));
      Subscription subscription = session.getSubscriptionManager().getSubscription(subscriptionId);
      if (subscription == null) {
        throw new UaException(StatusCodes.Bad_SubscriptionIdInvalid);
      }
      refresh(subscription);
    }
  }

  /** AcknowledgeableConditionType.Acknowledge(EventId, Comment) of one device's condition. */
  private final class AcknowledgeHandler extends AcknowledgeableConditionType.AcknowledgeMethod {
    private final String devicePath;

    AcknowledgeHandler(UaMethodNode node, String devicePath) {
      super(node);
      this.devicePath = devicePath;
    }

    @Override
    protected void invoke(InvocationContext context, ByteString eventId, LocalizedText comment)
        throws UaException {
      long now = java.time.Instant.now().toEpochMilli() * 1_000L;
      EmittedEvent e =
          acknowledge(
              devicePath,
              eventId == null || eventId.isNull() ? null : eventId.bytes(),
              comment == null ? null : comment.text(),
              now);
      LOG.info(
          "OPC UA simulator condition acknowledged by a client: device={}, eventId={}",
          devicePath,
          e.eventIdHex());
      eventListener.accept(List.of(e));
    }
  }

  /**
   * Monitored items on pushed variables that this namespace has registered: from then on every new
   * value reaches them (Milo registers items after its CreateMonitoredItems response, so a loaded
   * machine may lag behind the client).
   */
  public int pushedItemCount() {
    synchronized (lock) {
      int n = 0;
      for (Pushed variable : pushed.values()) {
        n += variable.items.size();
      }
      return n;
    }
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    List<DataItem> sampled = new ArrayList<>();
    synchronized (lock) {
      for (DataItem item : dataItems) {
        Pushed variable = pushedVariable(item);
        if (variable != null) {
          variable.items.add(item);
          if (variable.latest != null) {
            item.setValue(variable.latest);
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
        Pushed variable = pushedVariable(item);
        if (variable != null) {
          variable.items.remove(item);
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
    return pushedVariable(item) != null;
  }

  /** The variable whose values {@code item} is pushed, or null when Milo samples it. */
  private Pushed pushedVariable(DataItem item) {
    return item.getReadValueId().getAttributeId().intValue() == AttributeId.Value.id()
        ? pushed.get(item.getReadValueId().getNodeId())
        : null;
  }

  /** A variable that publish() sets: its node, its last value and its monitored items. */
  private static final class Pushed {
    final UaVariableNode node;
    final Set<DataItem> items = new LinkedHashSet<>();
    DataValue latest; // null until the first tick

    Pushed(UaVariableNode node) {
      this.node = node;
    }
  }

  private void createNodes() {
    events = new FactoryEvents(server, getNamespaceIndex().intValue());
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
              if (options.events()) {
                createCondition(deviceFolder, devicePath, nodeId(line, device, Tags.STATE));
              }
              for (SimTag tag : Tags.ALL) {
                Range range = euRange(tag.name());
                UaVariableNode variable =
                    new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
                        .setNodeId(nodeId(line, device, tag.name()))
                        .setBrowseName(newQualifiedName(tag.name()))
                        .setDisplayName(LocalizedText.english(tag.name()))
                        .setDescription(LocalizedText.english(description(tag)))
                        .setDataType(dataType(tag.type()))
                        .setTypeDefinition(
                            range != null ? NodeIds.AnalogItemType : NodeIds.BaseDataVariableType)
                        .setAccessLevel(AccessLevel.READ_ONLY)
                        .setUserAccessLevel(AccessLevel.READ_ONLY)
                        .setValue(waiting)
                        .build();
                getNodeManager().addNode(variable);
                if (range != null) {
                  variable.setProperty(AnalogItemType.EU_RANGE, range);
                  variable.setProperty(
                      BaseAnalogType.ENGINEERING_UNITS, engineeringUnits(tag.unit()));
                }
                deviceFolder.addOrganizes(variable);
                Pushed p = new Pushed(variable);
                pushed.put(variable.getNodeId(), p);
                pushedByDevice
                    .computeIfAbsent(line, l -> new HashMap<>())
                    .computeIfAbsent(device, d -> new HashMap<>())
                    .put(tag.name(), p);
              }
            }
          });
      createBulk(areaFolder);
    }
  }

  /** The bulk lines, devices and variables; called with the lock held. */
  private void createBulk(UaFolderNode areaFolder) {
    int n = options.bulkVariables();
    if (n == 0) {
      return;
    }
    DataValue constant =
        new DataValue(new Variant(1.0), StatusCode.GOOD, DateTime.now(), DateTime.now());
    UaFolderNode lineFolder = null;
    UaFolderNode deviceFolder = null;
    for (int i = 0; i < n; i++) {
      String line = String.format("bulk-%03d", i / OpcUaServerOptions.BULK_PER_LINE + 1);
      String device =
          String.format(
              "d%03d",
              i % OpcUaServerOptions.BULK_PER_LINE / OpcUaServerOptions.BULK_PER_DEVICE + 1);
      String name = String.format("v%02d", i % OpcUaServerOptions.BULK_PER_DEVICE + 1);
      String linePath = site + "/" + area + "/" + line;
      if (i % OpcUaServerOptions.BULK_PER_LINE == 0) {
        lineFolder = folder(linePath, line);
        areaFolder.addOrganizes(lineFolder);
      }
      if (i % OpcUaServerOptions.BULK_PER_DEVICE == 0) {
        deviceFolder = folder(linePath + "/" + device, device);
        lineFolder.addOrganizes(deviceFolder);
      }
      UaVariableNode variable =
          new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
              .setNodeId(newNodeId(linePath + "/" + device + "/" + name))
              .setBrowseName(newQualifiedName(name))
              .setDisplayName(LocalizedText.english(name))
              .setDataType(NodeIds.Double)
              .setTypeDefinition(NodeIds.BaseDataVariableType)
              .setAccessLevel(AccessLevel.READ_ONLY)
              .setUserAccessLevel(AccessLevel.READ_ONLY)
              .setValue(constant)
              .build();
      getNodeManager().addNode(variable);
      deviceFolder.addOrganizes(variable);
      pushed.put(variable.getNodeId(), new Pushed(variable));
    }
    LOG.info("OPC UA simulator bulk variables created: count={}", n);
  }

  /** The EURange of an analog tag, null for the others. */
  private static Range euRange(String tag) {
    return switch (tag) {
      case Tags.POWER_KW -> new Range(0.0, 60.0);
      case Tags.ENERGY_KWH -> new Range(0.0, 1_000_000.0);
      case Tags.DIAMETER_MM -> new Range(11.9, 12.1);
      case Tags.TEMPERATURE_C -> new Range(0.0, 100.0);
      default -> null;
    };
  }

  /** A unit in UN/CEFACT Recommendation 20: its common code and full name. */
  private record UneceUnit(String code, String name) {}

  /** The UN/CEFACT unit of each analog tag's unit symbol. */
  private static final Map<String, UneceUnit> UNECE =
      Map.of(
          "kW", new UneceUnit("KWT", "kilowatt"),
          "kWh", new UneceUnit("KWH", "kilowatt hour"),
          "mm", new UneceUnit("MMT", "millimetre"),
          "°C", new UneceUnit("CEL", "degree Celsius"));

  /**
   * The EngineeringUnits of a unit as OPC UA Part 8 defines it: the UN/CEFACT namespace, the common
   * code's characters packed into the UnitId (-1 for a unit without one), the unit symbol as
   * display name and its full name as description.
   */
  static EUInformation engineeringUnits(String unit) {
    UneceUnit known = UNECE.get(unit);
    int unitId = -1;
    if (known != null) {
      unitId = 0;
      for (char ch : known.code().toCharArray()) {
        unitId = unitId << 8 | ch;
      }
    }
    return new EUInformation(
        "http://www.opcfoundation.org/UA/units/un/cefact",
        unitId,
        LocalizedText.english(unit),
        LocalizedText.english(known == null ? unit : known.name()));
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
