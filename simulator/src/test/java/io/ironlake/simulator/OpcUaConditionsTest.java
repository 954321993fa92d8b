package io.ironlake.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.ContentFilterElement;
import org.eclipse.milo.opcua.stack.core.types.structured.EventFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.SimpleAttributeOperand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulator's Alarms & Conditions seen by a plain Milo client: the {@code fault} condition of a
 * device is acknowledged through its Acknowledge method (checked EventId, refused twice), and
 * ConditionRefresh sends the calling subscription RefreshStart, each retained condition,
 * RefreshEnd.
 */
class OpcUaConditionsTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static SimulatedFactory factory;
  private static OpcUaClient client;

  @BeforeAll
  static void start() throws Exception {
    factory =
        SimulatedFactory.start(
            SimulatorConfig.builder()
                .opcUaLines(1)
                .mqttLines(0)
                .machinesPerLine(3)
                .faultProbability(0)
                .emitOnStart(false)
                .build());
    client =
        OpcUaClient.create(
            factory.opcUaEndpoint(),
            endpoints ->
                endpoints.stream()
                    .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
                    .findFirst(),
            transport -> {},
            config ->
                config
                    .setApplicationName(LocalizedText.english("ironlake conditions test"))
                    .setApplicationUri("urn:ironlake:simulator:conditions-test"));
    client.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    if (factory != null) {
      factory.close();
    }
  }

  @Test
  void aClientAcknowledgesAConditionByItsLatestEventId() throws Exception {
    String device = factory.plant().machines(Channel.OPCUA).get(0).devicePath();
    EmittedEvent raised = factory.raiseAlarm(device).get(0);
    NodeId condition = NodeId.parse(raised.conditionId());

    StatusCode wrongId = acknowledge(condition, new byte[16]);
    assertThat(wrongId.value()).isEqualTo(StatusCodes.Bad_EventIdUnknown);

    StatusCode ok = acknowledge(condition, HexFormat.of().parseHex(raised.eventIdHex()));
    assertThat(ok.isGood()).as("Acknowledge: %s", ok).isTrue();
    EmittedEvent acked = factory.emissions().events().get(factory.emissions().events().size() - 1);
    assertThat(acked.conditionId()).isEqualTo(raised.conditionId());
    assertThat(acked.active()).isTrue();
    assertThat(acked.acked()).isTrue();
    assertThat(acked.retain()).isTrue();
    assertThat(acked.message()).isEqualTo(device + " fault acknowledged: from the test");

    StatusCode twice = acknowledge(condition, HexFormat.of().parseHex(acked.eventIdHex()));
    assertThat(twice.value()).isEqualTo(StatusCodes.Bad_ConditionBranchAlreadyAcked);
    factory.clearAlarm(device);
    assertThat(factory.alarmStates())
        .filteredOn(e -> e.devicePath().equals(device))
        .singleElement()
        .satisfies(e -> assertThat(e.retain()).isFalse());
  }

  @Test
  void conditionRefreshSendsTheRetainedConditionsToTheCallingSubscription() throws Exception {
    String device = factory.plant().machines(Channel.OPCUA).get(1).devicePath();
    EmittedEvent raised = factory.raiseAlarm(device).get(0);

    List<Variant[]> received = new CopyOnWriteArrayList<>();
    OpcUaSubscription subscription = new OpcUaSubscription(client, 100.0);
    subscription.create();
    OpcUaMonitoredItem item =
        OpcUaMonitoredItem.newEventItem(
            NodeIds.Server,
            new EventFilter(
                new SimpleAttributeOperand[] {
                  field(NodeIds.BaseEventType, "EventType"),
                  field(NodeIds.BaseEventType, "EventId"),
                  new SimpleAttributeOperand(
                      NodeIds.ConditionType,
                      new QualifiedName[0],
                      uint(AttributeId.NodeId.id()),
                      null),
                  field(NodeIds.ConditionType, "Retain")
                },
                new ContentFilter(new ContentFilterElement[0])));
    item.setQueueSize(uint(100));
    item.setEventValueListener((i, fields) -> received.add(fields));
    subscription.addMonitoredItems(List.of(item));
    subscription.synchronizeMonitoredItems();

    StatusCode refresh =
        client
            .call(
                List.of(
                    new CallMethodRequest(
                        NodeIds.ConditionType,
                        NodeIds.ConditionType_ConditionRefresh,
                        new Variant[] {
                          new Variant(subscription.getSubscriptionId().orElseThrow())
                        })))
            .getResults()[0]
            .getStatusCode();
    assertThat(refresh.isGood()).as("ConditionRefresh: %s", refresh).isTrue();
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                received.stream()
                    .anyMatch(f -> NodeIds.RefreshEndEventType.equals(f[0].getValue())));
    List<Object> types = received.stream().map(f -> f[0].getValue()).toList();
    assertThat(types.get(0)).isEqualTo(NodeIds.RefreshStartEventType);
    assertThat(types.get(types.size() - 1)).isEqualTo(NodeIds.RefreshEndEventType);
    List<Variant[]> conditions = received.subList(1, received.size() - 1);
    assertThat(conditions)
        .extracting(f -> ((NodeId) f[2].getValue()).toParseableString())
        .contains(raised.conditionId())
        .doesNotHaveDuplicates();
    assertThat(conditions).allSatisfy(f -> assertThat(f[3].getValue()).isEqualTo(true));
    Variant[] mine =
        conditions.stream()
            .filter(
                f -> ((NodeId) f[2].getValue()).toParseableString().equals(raised.conditionId()))
            .findFirst()
            .orElseThrow();
    assertThat(HexFormat.of().formatHex(((ByteString) mine[1].getValue()).bytes()))
        .isEqualTo(raised.eventIdHex());

    StatusCode unknown =
        client
            .call(
                List.of(
                    new CallMethodRequest(
                        NodeIds.ConditionType,
                        NodeIds.ConditionType_ConditionRefresh,
                        new Variant[] {new Variant(uint(987_654))})))
            .getResults()[0]
            .getStatusCode();
    assertThat(unknown.value()).isEqualTo(StatusCodes.Bad_SubscriptionIdInvalid);
    subscription.delete();
  }

  private static StatusCode acknowledge(NodeId condition, byte[] eventId) throws Exception {
    return client
        .call(
            List.of(
                new CallMethodRequest(
                    condition,
                    NodeIds.AcknowledgeableConditionType_Acknowledge,
                    new Variant[] {
                      new Variant(ByteString.of(eventId)),
                      new Variant(LocalizedText.english("from the test"))
                    })))
        .getResults()[0]
        .getStatusCode();
  }

  private static SimpleAttributeOperand field(NodeId type, String name) {
    return new SimpleAttributeOperand(
        type, new QualifiedName[] {new QualifiedName(0, name)}, uint(AttributeId.Value.id()), null);
  }
}
